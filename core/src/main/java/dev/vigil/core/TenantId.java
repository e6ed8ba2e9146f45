package dev.vigil.core;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * The organisation an event, rule setting or alert belongs to. Every event carries one from the moment it is read, so
 * that nothing downstream can mix the data of two tenants by accident.
 */
public record TenantId(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** The tenant of single-organisation use, such as {@code vigil hunt} over local files. */
    public static final TenantId DEFAULT = new TenantId("default");

    public TenantId {
        requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid tenant id '" + value
                    + "': use 1 to 63 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
