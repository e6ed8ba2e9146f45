package dev.vigil.meta;

/** The metadata database failed (connection lost, disk full, a schema newer than this build): not the caller's input. */
public final class MetadataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }

    public MetadataException(String message) {
        super(message);
    }
}
