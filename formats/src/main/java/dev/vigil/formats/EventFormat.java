package dev.vigil.formats;

/**
 * The input formats {@link EventReaders} recognises from a file's content. Gzip is not a format but a wrapping: a
 * gzip-compressed file is decompressed and its content detected as one of these.
 *
 * <p>To add a format (the text log readers to come), add a constant here, teach {@code FormatDetector} to recognise it
 * and give it a reader in {@link EventReader}'s dispatch.
 */
public enum EventFormat {
    /** A Windows XML event log file ({@code ElfFile} magic). */
    EVTX,
    /** One JSON array of event objects. */
    JSON_ARRAY,
    /** One JSON value per line (NDJSON / JSON lines). */
    JSON_LINES,
    /** JSON objects one after another, typically pretty-printed (each starts with an opening brace at column 1). */
    JSON_OBJECTS
}
