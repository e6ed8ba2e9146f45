package dev.vigil.wal;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * One record read back from the log. The payload array belongs to the caller (each read makes a fresh one).
 *
 * @param sequence the record's position in the log, from 1, without gaps
 * @param payload the bytes given to {@link WriteAheadLog#append}
 */
@SuppressWarnings("ArrayRecordComponent") // a fresh array per record; equality below compares contents
public record WalRecord(long sequence, byte[] payload) {
    public WalRecord {
        requireNonNull(payload, "payload");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1, got " + sequence);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WalRecord other && sequence == other.sequence && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "WalRecord{sequence=" + sequence + ", " + payload.length + " bytes}";
    }
}
