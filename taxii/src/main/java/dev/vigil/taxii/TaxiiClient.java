package dev.vigil.taxii;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * A TAXII 2.1 client: discovery, API roots, collections, and objects page by page ({@code more}/{@code next}, falling
 * back to {@code added_after} with {@code X-TAXII-Date-Added-Last} for servers that page without tokens).
 *
 * <p>Objects come back as raw STIX JSON ({@link ObjectNode}s) for the caller's importer. {@link #poll} reads a
 * collection to its end and returns the {@code date_added} of the last object seen: stored and passed as {@code
 * addedAfter} next time, it makes polls incremental. Every response is bounded ({@link Builder#maxResponseBytes}) and
 * parsed with Jackson's stream limits; a failure names the status and the URL.
 */
public final class TaxiiClient {
    private static final int MAX_PAGES_PER_POLL = 100_000;

    private final HttpClient http;
    private final String authorization;
    private final long maxResponseBytes;
    private final Duration timeout;
    private final ObjectMapper json;

    private TaxiiClient(Builder b) {
        this.http = b.http != null
                ? b.http
                : HttpClient.newBuilder()
                        .connectTimeout(b.timeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
        this.authorization = b.authorization;
        this.maxResponseBytes = b.maxResponseBytes;
        this.timeout = b.timeout;
        this.json = new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(b.maxResponseBytes)
                        .maxNestingDepth(100)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, b.maxResponseBytes))
                        .build())
                .build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The discovery resource: the server's title and its API roots (resolved to absolute URLs). */
    public record Discovery(String title, URI defaultApiRoot, List<URI> apiRoots) {
        public Discovery {
            requireNonNull(title, "title");
            apiRoots = List.copyOf(apiRoots);
        }
    }

    /** An API root's information. */
    public record ApiRoot(String title, List<String> versions, long maxContentLength) {
        public ApiRoot {
            requireNonNull(title, "title");
            versions = List.copyOf(versions);
        }
    }

    /**
     * One page of objects.
     *
     * @param objects the STIX objects of the page, as sent
     * @param more whether the server has more
     * @param next the server's token for the next page, or null
     * @param dateAddedFirst the {@code X-TAXII-Date-Added-First} header, or null
     * @param dateAddedLast the {@code X-TAXII-Date-Added-Last} header, or null
     */
    public record Page(
            List<ObjectNode> objects, boolean more, String next, Instant dateAddedFirst, Instant dateAddedLast) {
        public Page {
            objects = List.copyOf(objects);
        }
    }

    /**
     * What a poll read.
     *
     * @param pages the pages fetched
     * @param objects the objects handed to the consumer
     * @param lastAdded the latest {@code date_added} seen, to pass as {@code addedAfter} next time; the previous value
     *     when nothing new came
     */
    public record PollResult(int pages, long objects, Instant lastAdded) {}

    /** Reads the discovery resource ({@code https://host/taxii2/}). */
    public Discovery discover(URI discoveryUrl) {
        JsonNode d = getJson(discoveryUrl).body;
        List<URI> roots = new ArrayList<>();
        for (JsonNode r : d.path("api_roots")) {
            roots.add(discoveryUrl.resolve(r.asText()));
        }
        String def = d.path("default").asText("");
        return new Discovery(d.path("title").asText(""), def.isEmpty() ? null : discoveryUrl.resolve(def), roots);
    }

    /** Reads an API root's information. */
    public ApiRoot apiRoot(URI apiRootUrl) {
        JsonNode r = getJson(slash(apiRootUrl)).body;
        List<String> versions = new ArrayList<>();
        r.path("versions").forEach(v -> versions.add(v.asText()));
        return new ApiRoot(
                r.path("title").asText(""),
                versions,
                r.path("max_content_length").asLong(0));
    }

    /** The collections of an API root that the credentials can see. */
    public List<TaxiiCollection> collections(URI apiRootUrl) {
        JsonNode r = getJson(slash(apiRootUrl).resolve("collections/")).body;
        List<TaxiiCollection> out = new ArrayList<>();
        for (JsonNode c : r.path("collections")) {
            out.add(new TaxiiCollection(
                    c.path("id").asText(),
                    c.path("title").asText(""),
                    c.path("description").asText(""),
                    c.path("can_read").asBoolean(false),
                    c.path("can_write").asBoolean(false)));
        }
        return out;
    }

    /**
     * Fetches one page of a collection's objects.
     *
     * @param addedAfter only objects added after this instant, or null
     * @param next the token of the previous page, or null
     * @param limit the page size asked for (the server may send fewer), or 0 for the server's default
     */
    public Page objects(URI apiRootUrl, String collectionId, Instant addedAfter, String next, int limit) {
        StringBuilder q = new StringBuilder();
        if (addedAfter != null) {
            q.append("&added_after=").append(encode(TaxiiTime.format(addedAfter)));
        }
        if (next != null) {
            q.append("&next=").append(encode(next));
        }
        if (limit > 0) {
            q.append("&limit=").append(limit);
        }
        URI url = slash(apiRootUrl)
                .resolve("collections/" + encode(collectionId) + "/objects/"
                        + (q.isEmpty() ? "" : "?" + q.substring(1)));
        Response r = getJson(url);
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode o : r.body.path("objects")) {
            if (o instanceof ObjectNode on) {
                objects.add(on);
            }
        }
        String nextToken = r.body.path("next").asText(null);
        return new Page(
                objects,
                r.body.path("more").asBoolean(false),
                nextToken,
                header(r, url, "X-TAXII-Date-Added-First"),
                header(r, url, "X-TAXII-Date-Added-Last"));
    }

    /**
     * Reads a collection from {@code addedAfter} (null: from the start) to its end, handing each page to {@code
     * pages}.
     */
    public PollResult poll(
            URI apiRootUrl, String collectionId, Instant addedAfter, int pageSize, Consumer<Page> pages) {
        Instant after = addedAfter;
        Instant last = addedAfter;
        String next = null;
        int count = 0;
        long objects = 0;
        while (count < MAX_PAGES_PER_POLL) {
            Page page = objects(apiRootUrl, collectionId, next == null ? after : addedAfter, next, pageSize);
            count++;
            objects += page.objects().size();
            if (page.dateAddedLast() != null
                    && (last == null || page.dateAddedLast().isAfter(last))) {
                last = page.dateAddedLast();
            }
            pages.accept(page);
            if (!page.more() || page.objects().isEmpty()) {
                break;
            }
            if (page.next() != null) {
                next = page.next();
            } else if (page.dateAddedLast() != null
                    && (after == null || page.dateAddedLast().isAfter(after))) {
                // A server that pages by time only: continue after the last object it sent.
                next = null;
                after = page.dateAddedLast();
            } else {
                throw new TaxiiException(
                        0,
                        apiRootUrl,
                        "the server says there is more but gives neither next nor X-TAXII-Date-Added-Last");
            }
        }
        return new PollResult(count, objects, last);
    }

    private record Response(JsonNode body, HttpResponse<byte[]> raw) {}

    private Response getJson(URI url) {
        HttpRequest.Builder req =
                HttpRequest.newBuilder(url).GET().timeout(timeout).header("Accept", TaxiiServer.MEDIA_TYPE);
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        HttpResponse<byte[]> resp = BoundedBodies.send(http, req.build(), maxResponseBytes, url);
        if (resp.statusCode() != 200) {
            throw new TaxiiException(resp.statusCode(), url, describeError(resp));
        }
        try {
            JsonNode body = json.readTree(resp.body());
            if (body == null || !body.isObject()) {
                throw new TaxiiException(resp.statusCode(), url, "the response is not a JSON object");
            }
            return new Response(body, resp);
        } catch (JsonProcessingException e) {
            throw new TaxiiException(resp.statusCode(), url, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TaxiiException(resp.statusCode(), url, "cannot read the response: " + e.getMessage());
        }
    }

    /** The server's TAXII error message when it sent one, else the status alone. */
    private String describeError(HttpResponse<byte[]> resp) {
        try {
            JsonNode e = json.readTree(resp.body());
            if (e != null && e.hasNonNull("title")) {
                String description = e.path("description").asText("");
                return e.get("title").asText() + (description.isEmpty() ? "" : ": " + description);
            }
        } catch (IOException e) {
            // Not a TAXII error message: the status says enough.
        }
        return "HTTP " + resp.statusCode();
    }

    private static Instant header(Response r, URI url, String name) {
        String v = r.raw.headers().firstValue(name).orElse(null);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new TaxiiException(200, url, name + " is not a timestamp: " + v);
        }
    }

    private static URI slash(URI u) {
        return u.getPath() != null && u.getPath().endsWith("/") ? u : URI.create(u + "/");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Configures a {@link TaxiiClient}. */
    public static final class Builder {
        private HttpClient http;
        private String authorization;
        private long maxResponseBytes = 64L * 1024 * 1024;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {}

        /** The HTTP client to use (e.g. with a proxy or a trust store); default: a new one. */
        public Builder httpClient(HttpClient client) {
            this.http = requireNonNull(client, "client");
            return this;
        }

        /** Authenticates with {@code Authorization: Bearer token}. */
        public Builder bearerToken(String token) {
            this.authorization = "Bearer " + requireNonNull(token, "token");
            return this;
        }

        /** Authenticates with HTTP basic authentication. */
        public Builder basicAuth(String user, String password) {
            requireNonNull(user, "user");
            requireNonNull(password, "password");
            this.authorization = "Basic "
                    + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** The largest response body accepted (default 64 MiB); a larger one fails the request. */
        public Builder maxResponseBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /** The connect and request timeout (default 60 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = requireNonNull(timeout, "timeout");
            return this;
        }

        public TaxiiClient build() {
            return new TaxiiClient(this);
        }
    }
}
