package dev.vigil.formats;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.util.Optional;

/**
 * How {@link EventReaders} reads a file.
 *
 * @param tenant the tenant every event read belongs to
 * @param format the format to read the file as, or {@code null} to detect it from the content
 */
public record ReadOptions(TenantId tenant, EventFormat format) {
    /** Tenant {@link TenantId#DEFAULT}, format detected. */
    public static final ReadOptions DEFAULT = new ReadOptions(TenantId.DEFAULT, null);

    public ReadOptions {
        requireNonNull(tenant, "tenant");
    }

    public static ReadOptions defaults() {
        return DEFAULT;
    }

    public ReadOptions withTenant(TenantId tenant) {
        return new ReadOptions(tenant, format);
    }

    /** These options with {@code format} forced ({@code null} to detect). */
    public ReadOptions withFormat(EventFormat format) {
        return new ReadOptions(tenant, format);
    }

    public Optional<EventFormat> forcedFormat() {
        return Optional.ofNullable(format);
    }
}
