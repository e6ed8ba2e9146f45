package dev.vigil.formats;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.util.Optional;

/**
 * How {@link EventReaders} reads a file.
 *
 * @param tenant the tenant every event read belongs to
 * @param format the format to read the file as, or {@code null} to detect it from the content
 * @param textFormat the {@link dev.vigil.formats.text.TextFormat} name a text file is read as, or {@code null} to
 *     detect it (forcing a text format forces {@link EventFormat#TEXT})
 */
public record ReadOptions(TenantId tenant, EventFormat format, String textFormat) {
    /** Tenant {@link TenantId#DEFAULT}, format detected. */
    public static final ReadOptions DEFAULT = new ReadOptions(TenantId.DEFAULT, null, null);

    public ReadOptions {
        requireNonNull(tenant, "tenant");
        if (textFormat != null) {
            format = EventFormat.TEXT;
        }
    }

    public ReadOptions(TenantId tenant, EventFormat format) {
        this(tenant, format, null);
    }

    /**
     * These options with the format given by name: {@code evtx}, {@code json} (lines), {@code json-array}, {@code
     * json-objects}, a text format's name, or a custom access-log format written {@code apache-format:FORMAT} or
     * {@code nginx-format:FORMAT}.
     *
     * @throws IllegalArgumentException naming the known formats when {@code name} is none of them
     */
    public ReadOptions withFormatNamed(String name) {
        if (dev.vigil.formats.text.TextFormats.customAccessFormat(name).isPresent()) {
            return new ReadOptions(tenant, EventFormat.TEXT, name); // the format string keeps its case
        }
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "evtx" -> new ReadOptions(tenant, EventFormat.EVTX, null);
            case "json", "jsonl", "ndjson", "json-lines" -> new ReadOptions(tenant, EventFormat.JSON_LINES, null);
            case "json-array" -> new ReadOptions(tenant, EventFormat.JSON_ARRAY, null);
            case "json-objects" -> new ReadOptions(tenant, EventFormat.JSON_OBJECTS, null);
            default -> {
                if (dev.vigil.formats.text.TextFormats.byName(n).isEmpty()) {
                    throw new IllegalArgumentException("unknown format '" + name + "'; known: evtx, json, json-array,"
                            + " json-objects, " + String.join(", ", dev.vigil.formats.text.TextFormats.names()));
                }
                yield new ReadOptions(tenant, EventFormat.TEXT, n);
            }
        };
    }

    public static ReadOptions defaults() {
        return DEFAULT;
    }

    public ReadOptions withTenant(TenantId tenant) {
        return new ReadOptions(tenant, format, textFormat);
    }

    /** These options with {@code format} forced ({@code null} to detect). */
    public ReadOptions withFormat(EventFormat format) {
        return new ReadOptions(tenant, format, null);
    }

    public Optional<EventFormat> forcedFormat() {
        return Optional.ofNullable(format);
    }
}
