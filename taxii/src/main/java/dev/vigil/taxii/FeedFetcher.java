package dev.vigil.taxii;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Fetches plain HTTP feeds (CSV block lists, MISP manifests and events, STIX bundles on a web server) with conditional
 * requests: the validators of the last fetch ({@code ETag}, {@code Last-Modified}) go back as {@code If-None-Match}
 * and {@code If-Modified-Since}, and a {@code 304} costs no download. Bodies are bounded and gzip is accepted.
 */
public final class FeedFetcher {
    private final HttpClient http;
    private final long maxBytes;
    private final Duration timeout;

    /**
     * @param http the HTTP client (redirects are followed as it is configured to)
     * @param maxBytes the largest body accepted, after decompression
     * @param timeout the request timeout
     */
    public FeedFetcher(HttpClient http, long maxBytes, Duration timeout) {
        this.http = requireNonNull(http, "http");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
        this.timeout = requireNonNull(timeout, "timeout");
    }

    /** A fetcher with a new HTTP client that follows redirects, 256 MiB bodies and a 2-minute timeout. */
    public static FeedFetcher withDefaults() {
        return new FeedFetcher(
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .connectTimeout(Duration.ofSeconds(30))
                        .build(),
                256L * 1024 * 1024,
                Duration.ofMinutes(2));
    }

    /**
     * The validators a server gave for a feed, stored by the caller between fetches.
     *
     * @param etag the {@code ETag} header, or null
     * @param lastModified the {@code Last-Modified} header, as sent, or null
     */
    public record Validators(String etag, String lastModified) {
        /** No validators: the first fetch of a feed. */
        public static final Validators NONE = new Validators(null, null);
    }

    /** The outcome of a fetch. */
    public sealed interface Result permits NotModified, Fetched {}

    /** The feed has not changed since the validators given. */
    public record NotModified(URI url) implements Result {}

    /**
     * The feed's content and the validators to send next time.
     *
     * @param url the URL fetched
     * @param body the body, decompressed when the server sent gzip
     * @param validators the new validators (fields null when the server sent none)
     * @param contentType the {@code Content-Type} header, or an empty string
     */
    public record Fetched(URI url, byte[] body, Validators validators, String contentType) implements Result {}

    /** Fetches a feed; {@code previous} is {@link Validators#NONE} the first time. */
    public Result fetch(URI url, Validators previous) {
        return fetch(url, previous, Map.of());
    }

    /**
     * Fetches a feed with extra request headers (an API key, for instance).
     *
     * @throws TaxiiException on a status other than 200 and 304, a body over the limit, or no response
     */
    public Result fetch(URI url, Validators previous, Map<String, String> headers) {
        requireNonNull(url, "url");
        requireNonNull(previous, "previous");
        HttpRequest.Builder req =
                HttpRequest.newBuilder(url).GET().timeout(timeout).header("Accept-Encoding", "gzip");
        headers.forEach(req::header);
        if (previous.etag() != null) {
            req.header("If-None-Match", previous.etag());
        }
        if (previous.lastModified() != null) {
            req.header("If-Modified-Since", previous.lastModified());
        }
        HttpResponse<byte[]> resp = BoundedBodies.send(http, req.build(), maxBytes, url);
        if (resp.statusCode() == 304) {
            return new NotModified(url);
        }
        if (resp.statusCode() != 200) {
            throw new TaxiiException(resp.statusCode(), url, "the feed could not be fetched");
        }
        Validators next = new Validators(
                resp.headers().firstValue("ETag").orElse(null),
                resp.headers().firstValue("Last-Modified").orElse(null));
        return new Fetched(
                url,
                resp.body(),
                next,
                resp.headers().firstValue("Content-Type").orElse(""));
    }
}
