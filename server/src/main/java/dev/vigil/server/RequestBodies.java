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
    private RequestBodies() {}

    static byte[] read(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
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
            return readBounded(in, maxBytes);
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
}
