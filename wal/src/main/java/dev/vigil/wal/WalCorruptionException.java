package dev.vigil.wal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;

/** A reader met a damaged record (the disk changed after the log was opened and checked). */
public final class WalCorruptionException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path segment;
    private final long offset;

    WalCorruptionException(Path segment, long offset, long sequence, String reason) {
        super("corrupt write-ahead log record in " + segment + " at offset " + offset + " (sequence " + sequence + "): "
                + reason);
        this.segment = requireNonNull(segment, "segment");
        this.offset = offset;
    }

    public Path segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }
}
