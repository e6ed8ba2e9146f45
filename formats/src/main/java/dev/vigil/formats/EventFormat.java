package dev.vigil.formats;

/**
 * The input formats {@link EventReaders} recognises from a file's content. Gzip is not a format but a wrapping: a
 * gzip-compressed file is decompressed and its content detected as one of these.
 *
 * <p>Line-oriented log formats (syslog, CEF, auditd, ...) are all {@link #TEXT}: which one is a {@link
 * dev.vigil.formats.text.TextFormat} chosen by detection or by name ({@link ReadOptions#textFormat()}); add one in
 * {@link dev.vigil.formats.text.TextFormats}. JSON dialects (Suricata EVE, Zeek JSON, journald) are recognised per
 * object by a {@link JsonShape}.
 */
public enum EventFormat {
    /** A Windows XML event log file ({@code ElfFile} magic). */
    EVTX,
    /** One JSON array of event objects. */
    JSON_ARRAY,
    /** One JSON value per line (NDJSON / JSON lines). */
    JSON_LINES,
    /**
     * JSON objects one after another, typically pretty-printed (each starts with an opening brace at column 1); the
     * {@code Record N} lines of evtx_dump's default JSON output between them are read as separators.
     */
    JSON_OBJECTS,
    /** A line-oriented text log; the {@link dev.vigil.formats.text.TextFormat} says which. */
    TEXT
}
