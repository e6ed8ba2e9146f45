package dev.vigil.taxii;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLSession;

/**
 * Sends a request and reads at most a given number of body bytes, decompressing gzip: a server (or a decompression
 * bomb) cannot make Vigil hold more than the limit.
 */
final class BoundedBodies {
    private BoundedBodies() {}

    static HttpResponse<byte[]> send(HttpClient http, HttpRequest request, long maxBytes, URI url) {
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new TaxiiException(0, url, "request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaxiiException(0, url, "interrupted", e);
        }
        boolean gzip = resp.headers()
                .firstValue("Content-Encoding")
                .map(v -> v.strip().equalsIgnoreCase("gzip"))
                .orElse(false);
        try (InputStream raw = resp.body();
                InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new TaxiiException(
                            resp.statusCode(), url, "the response is larger than the limit of " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
            return new Buffered(resp, out.toByteArray());
        } catch (IOException e) {
            throw new TaxiiException(resp.statusCode(), url, "cannot read the response: " + e, e);
        }
    }

    /** A response whose body has been read into memory. */
    private record Buffered(HttpResponse<InputStream> head, byte[] body) implements HttpResponse<byte[]> {
        @Override
        public int statusCode() {
            return head.statusCode();
        }

        @Override
        public HttpRequest request() {
            return head.request();
        }

        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return head.headers();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return head.sslSession();
        }

        @Override
        public URI uri() {
            return head.uri();
        }

        @Override
        public HttpClient.Version version() {
            return head.version();
        }
    }
}
