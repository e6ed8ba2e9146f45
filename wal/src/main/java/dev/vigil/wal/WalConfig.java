package dev.vigil.wal;

import static java.util.Objects.requireNonNull;

/**
 * How a {@link WriteAheadLog} syncs and lays out its files.
 *
 * @param fsyncPolicy when an append is durable (see {@link FsyncPolicy})
 * @param segmentBytes the size at which the log starts a new segment file; a record larger than this gets a segment of
 *     its own
 * @param maxRecordBytes the largest payload {@link WriteAheadLog#append} accepts
 */
public record WalConfig(FsyncPolicy fsyncPolicy, long segmentBytes, int maxRecordBytes) {
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;
    /** The largest record size the format allows; recovery treats longer length fields as corrupt. */
    public static final int MAX_RECORD_BYTES_LIMIT = RecordFormat.MAX_PAYLOAD_BYTES;

    public WalConfig {
        requireNonNull(fsyncPolicy, "fsyncPolicy");
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be at least 4096, got " + segmentBytes);
        }
        if (maxRecordBytes < 1 || maxRecordBytes > MAX_RECORD_BYTES_LIMIT) {
            throw new IllegalArgumentException(
                    "maxRecordBytes must be between 1 and " + MAX_RECORD_BYTES_LIMIT + ", got " + maxRecordBytes);
        }
    }

    /** {@link FsyncPolicy#always()}, 64 MiB segments, 16 MiB records. */
    public static WalConfig defaults() {
        return new WalConfig(FsyncPolicy.always(), DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_RECORD_BYTES);
    }

    public WalConfig withFsyncPolicy(FsyncPolicy policy) {
        return new WalConfig(policy, segmentBytes, maxRecordBytes);
    }

    public WalConfig withSegmentBytes(long bytes) {
        return new WalConfig(fsyncPolicy, bytes, maxRecordBytes);
    }

    public WalConfig withMaxRecordBytes(int bytes) {
        return new WalConfig(fsyncPolicy, segmentBytes, bytes);
    }
}
