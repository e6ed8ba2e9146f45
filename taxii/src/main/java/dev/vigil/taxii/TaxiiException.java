package dev.vigil.taxii;

import java.net.URI;

/** A TAXII or feed request that failed: the HTTP status (0 when there was no response), the URL and why. */
public final class TaxiiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String url;

    public TaxiiException(int status, URI url, String message) {
        this(status, url, message, null);
    }

    public TaxiiException(int status, URI url, String message, Throwable cause) {
        super((status > 0 ? "HTTP " + status + " from " : "request to ") + url + ": " + message, cause);
        this.status = status;
        this.url = String.valueOf(url);
    }

    /** The HTTP status, or 0 when no response came (connection refused, timeout, body too large to read). */
    public int status() {
        return status;
    }

    public String url() {
        return url;
    }
}
