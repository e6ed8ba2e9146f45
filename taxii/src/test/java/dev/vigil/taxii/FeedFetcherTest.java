package dev.vigil.taxii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feed fetcher against a real HTTP server on loopback that honours conditional requests like a CDN does. */
class FeedFetcherTest {
    private static final String LAST_MODIFIED = "Wed, 21 Oct 2026 07:28:00 GMT";

    private HttpServer server;
    private volatile String content = "# Feodo Tracker\n198.51.100.7,443\n";
    private volatile String etag = "\"v1\"";
    private final List<Map<String, String>> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final FeedFetcher fetcher =
            new FeedFetcher(HttpClient.newHttpClient(), 1024 * 1024, Duration.ofSeconds(30));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/feed.csv", this::feed);
        server.createContext("/modified-only.csv", this::modifiedOnly);
        server.createContext("/big.csv", ex -> send(ex, 200, "x".repeat(2 * 1024 * 1024), true));
        server.createContext("/missing.csv", ex -> send(ex, 404, "not here", false));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void feed(HttpExchange ex) throws IOException {
        record(ex);
        if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            ex.getResponseHeaders().set("ETag", etag);
            send(ex, 304, "", false);
            return;
        }
        ex.getResponseHeaders().set("ETag", etag);
        ex.getResponseHeaders().set("Content-Type", "text/csv");
        boolean gzip = String.valueOf(ex.getRequestHeaders().getFirst("Accept-Encoding"))
                .contains("gzip");
        send(ex, 200, content, gzip);
    }

    private void modifiedOnly(HttpExchange ex) throws IOException {
        record(ex);
        if (LAST_MODIFIED.equals(ex.getRequestHeaders().getFirst("If-Modified-Since"))) {
            send(ex, 304, "", false);
            return;
        }
        ex.getResponseHeaders().set("Last-Modified", LAST_MODIFIED);
        send(ex, 200, content, false);
    }

    private void record(HttpExchange ex) {
        Map<String, String> h = new java.util.HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        requests.add(h);
    }

    private static void send(HttpExchange ex, int status, String body, boolean gzip) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(buf)) {
                z.write(bytes);
            }
            bytes = buf.toByteArray();
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        ex.sendResponseHeaders(status, status == 304 || bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void aSecondFetchWithTheEtagIsNotModifiedUntilTheFeedChanges() {
        FeedFetcher.Result first = fetcher.fetch(url("/feed.csv"), FeedFetcher.Validators.NONE);
        assertThat(first).isInstanceOf(FeedFetcher.Fetched.class);
        FeedFetcher.Fetched f = (FeedFetcher.Fetched) first;
        assertThat(new String(f.body(), StandardCharsets.UTF_8)).isEqualTo(content);
        assertThat(f.validators().etag()).isEqualTo("\"v1\"");
        assertThat(f.contentType()).isEqualTo("text/csv");
        assertThat(requests.get(0)).containsEntry("accept-encoding", "gzip").doesNotContainKey("if-none-match");

        assertThat(fetcher.fetch(url("/feed.csv"), f.validators())).isInstanceOf(FeedFetcher.NotModified.class);
        assertThat(requests.get(1)).containsEntry("if-none-match", "\"v1\"");

        content = "# Feodo Tracker\n198.51.100.8,8080\n";
        etag = "\"v2\"";
        FeedFetcher.Fetched changed = (FeedFetcher.Fetched) fetcher.fetch(url("/feed.csv"), f.validators());
        assertThat(new String(changed.body(), StandardCharsets.UTF_8)).contains("198.51.100.8");
        assertThat(changed.validators().etag()).isEqualTo("\"v2\"");
    }

    @Test
    void lastModifiedAloneWorksAsAValidator() {
        FeedFetcher.Fetched f =
                (FeedFetcher.Fetched) fetcher.fetch(url("/modified-only.csv"), FeedFetcher.Validators.NONE);
        assertThat(f.validators()).isEqualTo(new FeedFetcher.Validators(null, LAST_MODIFIED));
        assertThat(fetcher.fetch(url("/modified-only.csv"), f.validators()))
                .isEqualTo(new FeedFetcher.NotModified(url("/modified-only.csv")));
        assertThat(requests.get(1)).containsEntry("if-modified-since", LAST_MODIFIED);
    }

    @Test
    void extraHeadersAreSent() {
        fetcher.fetch(url("/feed.csv"), FeedFetcher.Validators.NONE, Map.of("Auth-Key", "k-123"));
        assertThat(requests.get(0)).containsEntry("auth-key", "k-123");
    }

    @Test
    void aBodyOverTheLimitAfterDecompressionFails() {
        assertThatThrownBy(() -> fetcher.fetch(url("/big.csv"), FeedFetcher.Validators.NONE))
                .isInstanceOf(TaxiiException.class)
                .hasMessageContaining("larger than the limit of 1048576 bytes");
    }

    @Test
    void anErrorStatusNamesTheStatusAndTheUrl() {
        assertThatThrownBy(() -> fetcher.fetch(url("/missing.csv"), FeedFetcher.Validators.NONE))
                .isInstanceOfSatisfying(TaxiiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.url()).isEqualTo(url("/missing.csv").toString());
                })
                .hasMessage("HTTP 404 from " + url("/missing.csv") + ": the feed could not be fetched");
    }

    @Test
    void noServerIsAnErrorWithoutStatus() {
        URI dead = url("/feed.csv");
        server.stop(0);
        assertThatThrownBy(() -> fetcher.fetch(dead, FeedFetcher.Validators.NONE))
                .isInstanceOfSatisfying(
                        TaxiiException.class, e -> assertThat(e.status()).isZero())
                .hasMessageStartingWith("request to " + dead + ": request failed");
    }
}
