package dev.vigil.inputs;

import static java.util.Objects.requireNonNull;

/**
 * One part of a request or stream that could not be turned into an event.
 *
 * @param line the 1-based line (NDJSON, HEC raw, syslog message number) or item index (HEC event, OTLP log record);
 *     0 when the whole body is unusable
 * @param reason what was wrong, readable by the sender
 */
public record Rejection(int line, String reason) {
    public Rejection {
        requireNonNull(reason, "reason");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0: " + line);
        }
    }

    @Override
    public String toString() {
        return line == 0 ? reason : line + ": " + reason;
    }
}
