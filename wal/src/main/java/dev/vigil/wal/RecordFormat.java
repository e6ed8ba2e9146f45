package dev.vigil.wal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The on-disk layout, big-endian.
 *
 * <pre>
 * segment file  = header record*            named %020d.wal after its first sequence
 * header        = magic "VGWL" (4) | version (4) | first sequence (8)
 * record        = payload length (4) | CRC32C (4) | sequence (8) | payload
 * </pre>
 *
 * The checksum covers the length, the sequence and the payload, so a torn length or a record left from another place
 * is caught as well as damaged payload bytes. The sequence in each record lets recovery and readers check that the
 * records they meet are the ones they expect.
 */
final class RecordFormat {
    static final int SEGMENT_MAGIC = 0x5647574C; // "VGWL"
    static final int FORMAT_VERSION = 1;
    static final int SEGMENT_HEADER_BYTES = 16;
    static final int RECORD_HEADER_BYTES = 16;
    /** A sanity bound on length fields, so a damaged length never leads to a huge allocation. */
    static final int MAX_PAYLOAD_BYTES = 256 << 20;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.wal");

    private RecordFormat() {}

    static String segmentFileName(long firstSequence) {
        return String.format(Locale.ROOT, "%020d.wal", firstSequence);
    }

    /** The first sequence a segment file's name gives, or -1 when the name is not a segment's. */
    static long firstSequenceOf(Path file) {
        Matcher m = SEGMENT_NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    static byte[] segmentHeader(long firstSequence) {
        byte[] header = new byte[SEGMENT_HEADER_BYTES];
        INT.set(header, 0, SEGMENT_MAGIC);
        INT.set(header, 4, FORMAT_VERSION);
        LONG.set(header, 8, firstSequence);
        return header;
    }

    /** Why a segment header is not the one expected, or null when it is. */
    static String checkSegmentHeader(byte[] header, long expectedFirstSequence) {
        int magic = (int) INT.get(header, 0);
        if (magic != SEGMENT_MAGIC) {
            return String.format(Locale.ROOT, "not a segment header (magic 0x%08x)", magic);
        }
        int version = (int) INT.get(header, 4);
        if (version != FORMAT_VERSION) {
            return "unsupported format version " + version;
        }
        long first = (long) LONG.get(header, 8);
        return first == expectedFirstSequence
                ? null
                : "header names first sequence " + first + " but the file name " + expectedFirstSequence;
    }

    /** Writes a record's header and payload at {@code offset}; returns the offset after it. */
    static int encode(byte[] buffer, int offset, long sequence, byte[] payload) {
        INT.set(buffer, offset, payload.length);
        LONG.set(buffer, offset + 8, sequence);
        System.arraycopy(payload, 0, buffer, offset + RECORD_HEADER_BYTES, payload.length);
        INT.set(buffer, offset + 4, checksum(buffer, offset, payload.length));
        return offset + RECORD_HEADER_BYTES + payload.length;
    }

    /** The CRC32C of a record laid out at {@code offset}: length, sequence and payload, not the checksum field. */
    static int checksum(byte[] buffer, int offset, int payloadLength) {
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset, 4);
        crc.update(buffer, offset + 8, 8 + payloadLength);
        return (int) crc.getValue();
    }

    static int payloadLength(byte[] buffer, int offset) {
        return (int) INT.get(buffer, offset);
    }

    static int storedChecksum(byte[] buffer, int offset) {
        return (int) INT.get(buffer, offset + 4);
    }

    static long sequence(byte[] buffer, int offset) {
        return (long) LONG.get(buffer, offset + 8);
    }

    /**
     * Why the complete record at {@code offset} is not the intact record {@code expectedSequence}, or null when it is.
     */
    static String checkRecord(byte[] buffer, int offset, long expectedSequence) {
        int length = payloadLength(buffer, offset);
        if (storedChecksum(buffer, offset) != checksum(buffer, offset, length)) {
            return "checksum mismatch";
        }
        long sequence = sequence(buffer, offset);
        return sequence == expectedSequence
                ? null
                : "record has sequence " + sequence + " where " + expectedSequence + " was expected";
    }
}
