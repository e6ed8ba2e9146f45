package dev.vigil.core.alert;

/** The kinds of thing an alert can be about; see {@link EntityRef} for how each value is normalised. */
public enum EntityType {
    HOST,
    USER,
    IP,
    PROCESS,
    FILE_HASH,
    FILE,
    DOMAIN,
    URL
}
