package dev.vigil.server;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads request bodies within the size limit, inflating {@code Content-Encoding: gzip} (which the OpenTelemetry
 * Collector and most shippers use) with the same limit applied to the inflated size, so a small compressed bomb is
 * refused with 413 like a large plain body.
 */
final class RequestBodies {
    /**
     * How much of a refused body is read and dropped before the 413 goes out. A client still sending its body when the
     * server answers and closes gets a reset connection and never sees the answer (the JDK's client reports "header
     * parser received no bytes"), so a body up to this much past the limit is read to its end first; a larger one is
     * cut off, as before.
     */
    static final long DRAIN_BYTES = 8L << 20;

    private RequestBodies() {}

    static byte[] read(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            if (declared - maxBytes <= DRAIN_BYTES) {
                try (InputStream raw = ctx.req().getInputStream()) {
                    drainQuietly(raw, declared);
                } catch (IOException e) {
                    // closing failed: the client went away, and the 413 below is for the log
                }
            }
            throw new ApiException(413, "request body of " + declared + " bytes is over the limit of " + maxBytes);
        }
        String encoding = ctx.header("Content-Encoding");
        try (InputStream raw = ctx.req().getInputStream()) {
            InputStream in = raw;
            if (encoding != null && !encoding.isBlank()) {
                String e = encoding.strip().toLowerCase(Locale.ROOT);
                if (e.equals("gzip") || e.equals("x-gzip")) {
                    in = new GZIPInputStream(raw, 8192);
                } else if (!e.equals("identity")) {
                    throw new ApiException(415, "unsupported Content-Encoding '" + encoding + "' (gzip or identity)");
                }
            }
            try {
                return readBounded(in, maxBytes);
            } catch (ApiException tooLarge) {
                drainQuietly(raw, DRAIN_BYTES);
                throw tooLarge;
            }
        } catch (IOException e) {
            throw new ApiException(400, "cannot read the request body: " + e.getMessage());
        }
    }

    private static byte[] readBounded(InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buf = new byte[65536];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw new ApiException(413, "request body is over the limit of " + maxBytes + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads and drops up to {@code limit} bytes of {@code in}, or to its end; a read error (the client left) ends. */
    private static void drainQuietly(InputStream in, long limit) {
        byte[] buf = new byte[65536];
        long total = 0;
        int n;
        try {
            while (total < limit && (n = in.read(buf)) > 0) {
                total += n;
            }
        } catch (IOException e) {
            // nothing to answer to any more
        }
    }
}
