package dev.vigil.evtx;

/** Corrupt or unsupported content met while parsing; caught by the reader and turned into a problem report. */
final class CorruptDataException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptDataException(String message) {
        super(message, null, false, false);
    }
}
