package dev.vigil.taxii;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only TAXII 2.1 server as Javalin routes, over a {@link TaxiiCollections} source and a {@link
 * TaxiiAuthenticator}.
 *
 * <p>Endpoints (all GET, all under {@code /taxii2/}): discovery {@code /taxii2/}; the API root {@code
 * /taxii2/{root}/}; {@code collections/}, {@code collections/{id}/}, {@code collections/{id}/objects/} (filters
 * {@code added_after}, {@code limit}, {@code next}, {@code match[id]}, {@code match[type]}), {@code
 * collections/{id}/objects/{object-id}/}, {@code collections/{id}/objects/{object-id}/versions/} and {@code
 * collections/{id}/manifest/}.
 *
 * <p>Every request is checked in the order the specification's status codes suggest: the {@code Accept} header must
 * admit {@code application/taxii+json;version=2.1} (else 406); the credentials must prove a principal (else 401 with
 * {@code WWW-Authenticate}); the API root and the collection must exist <em>for the principal's tenant</em> (else 404,
 * so a tenant cannot learn another's collection ids); the collection must be readable (else 403). Errors are TAXII
 * error messages. Pages carry {@code X-TAXII-Date-Added-First} and {@code -Last}; timestamps have microseconds, so a
 * client that resumes with {@code added_after} set to the last one neither misses nor repeats objects.
 */
public final class TaxiiServer {
    /** The TAXII 2.1 media type, sent with every response and required in {@code Accept}. */
    public static final String MEDIA_TYPE = "application/taxii+json;version=2.1";

    static final String STIX_MEDIA_TYPE = "application/stix+json;version=2.1";
    private static final Logger LOG = LoggerFactory.getLogger(TaxiiServer.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final TaxiiCollections source;
    private final TaxiiAuthenticator authenticator;
    private final Options options;

    /**
     * How the server describes itself.
     *
     * @param title the title in discovery and the API root
     * @param apiRoot the name of the one API root ({@code /taxii2/{apiRoot}/})
     * @param maxPageSize the largest page served, whatever {@code limit} a client asks for
     * @param defaultPageSize the page size when the client gives no {@code limit}
     * @param publicBaseUrl the scheme, host and port clients reach the server at (e.g. {@code https://vigil.example}),
     *     used for the URLs in discovery; null to take them from each request
     */
    public record Options(String title, String apiRoot, int maxPageSize, int defaultPageSize, String publicBaseUrl) {
        public Options {
            requireNonNull(title, "title");
            requireNonNull(apiRoot, "apiRoot");
            if (!apiRoot.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("apiRoot must be 1-64 letters, digits, '-' or '_': " + apiRoot);
            }
            if (maxPageSize < 1 || defaultPageSize < 1 || defaultPageSize > maxPageSize) {
                throw new IllegalArgumentException("need 1 <= defaultPageSize <= maxPageSize");
            }
        }

        /** Title "Vigil", API root {@code vigil}, pages of 100 by default and 1,000 at most. */
        public static Options defaults() {
            return new Options("Vigil", "vigil", 1000, 100, null);
        }
    }

    private TaxiiServer(TaxiiCollections source, TaxiiAuthenticator authenticator, Options options) {
        this.source = requireNonNull(source, "source");
        this.authenticator = requireNonNull(authenticator, "authenticator");
        this.options = requireNonNull(options, "options");
    }

    /** Registers the TAXII routes on a Javalin configuration ({@code Javalin.create(cfg -> register(cfg.routes…))}). */
    public static void register(
            RoutesConfig routes, TaxiiCollections source, TaxiiAuthenticator authenticator, Options options) {
        TaxiiServer server = new TaxiiServer(source, authenticator, options);
        String root = "/taxii2/{apiRoot}";
        String collection = root + "/collections/{collectionId}";
        routes.get("/taxii2/", ctx -> server.handle(ctx, server::discovery));
        routes.get(root + "/", ctx -> server.handle(ctx, server::apiRootInfo));
        routes.get(root + "/collections/", ctx -> server.handle(ctx, server::collections));
        routes.get(collection + "/", ctx -> server.handle(ctx, server::collection));
        routes.get(collection + "/objects/", ctx -> server.handle(ctx, server::objects));
        routes.get(collection + "/objects/{objectId}/", ctx -> server.handle(ctx, server::object));
        routes.get(collection + "/objects/{objectId}/versions/", ctx -> server.handle(ctx, server::versions));
        routes.get(collection + "/manifest/", ctx -> server.handle(ctx, server::manifest));
    }

    @FunctionalInterface
    private interface Endpoint {
        void serve(Context ctx, TaxiiPrincipal principal) throws IOException;
    }

    private void handle(Context ctx, Endpoint endpoint) {
        try {
            if (!acceptsTaxii(ctx.header("Accept"))) {
                throw new TaxiiError(406, "Not Acceptable", "the Accept header must admit " + MEDIA_TYPE);
            }
            Optional<TaxiiPrincipal> principal = authenticator.authenticate(ctx.header("Authorization"));
            if (principal.isEmpty()) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"TAXII\", Basic realm=\"TAXII\"");
                throw new TaxiiError(401, "Unauthorized", "valid credentials are required");
            }
            String apiRoot = ctx.pathParamMap().get("apiRoot");
            if (apiRoot != null && !apiRoot.equals(options.apiRoot())) {
                throw new TaxiiError(404, "Not Found", "no API root '" + apiRoot + "'");
            }
            endpoint.serve(ctx, principal.get());
        } catch (TaxiiError e) {
            error(ctx, e.status, e.title, e.getMessage());
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "Bad Request", e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("TAXII request {} failed", ctx.path(), e);
            error(ctx, 500, "Internal Server Error", "the request could not be served");
        }
    }

    private void discovery(Context ctx, TaxiiPrincipal p) throws IOException {
        String rootUrl = baseUrl(ctx) + "/taxii2/" + options.apiRoot() + "/";
        respond(ctx, 200, g -> {
            g.writeStartObject();
            g.writeStringField("title", options.title());
            g.writeStringField("description", "TAXII 2.1 server of Vigil: read-only collections of indicators");
            g.writeStringField("default", rootUrl);
            g.writeArrayFieldStart("api_roots");
            g.writeString(rootUrl);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private void apiRootInfo(Context ctx, TaxiiPrincipal p) throws IOException {
        respond(ctx, 200, g -> {
            g.writeStartObject();
            g.writeStringField("title", options.title());
            g.writeArrayFieldStart("versions");
            g.writeString(MEDIA_TYPE);
            g.writeEndArray();
            // Nothing can be posted: the largest request body is irrelevant but the field is required.
            g.writeNumberField("max_content_length", 0);
            g.writeEndObject();
        });
    }

    private void collections(Context ctx, TaxiiPrincipal p) throws IOException {
        List<TaxiiCollection> list = source.collections(p.tenant());
        respond(ctx, 200, g -> {
            g.writeStartObject();
            if (!list.isEmpty()) {
                g.writeArrayFieldStart("collections");
                for (TaxiiCollection c : list) {
                    writeCollection(g, c);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    private void collection(Context ctx, TaxiiPrincipal p) throws IOException {
        TaxiiCollection c = findCollection(ctx, p, false);
        respond(ctx, 200, g -> writeCollection(g, c));
    }

    private void objects(Context ctx, TaxiiPrincipal p) throws IOException {
        TaxiiCollection c = findCollection(ctx, p, true);
        ObjectPage page = source.objects(p.tenant(), c.id(), query(ctx));
        dateHeaders(ctx, page.objects());
        respond(ctx, 200, g -> envelope(g, page.objects(), page.next()));
    }

    private void object(Context ctx, TaxiiPrincipal p) throws IOException {
        TaxiiCollection c = findCollection(ctx, p, true);
        List<StixObject> versions = objectVersions(ctx, p, c);
        dateHeaders(ctx, versions);
        respond(ctx, 200, g -> envelope(g, versions, null));
    }

    private void versions(Context ctx, TaxiiPrincipal p) throws IOException {
        TaxiiCollection c = findCollection(ctx, p, true);
        List<StixObject> versions = objectVersions(ctx, p, c);
        dateHeaders(ctx, versions);
        respond(ctx, 200, g -> {
            g.writeStartObject();
            g.writeBooleanField("more", false);
            g.writeArrayFieldStart("versions");
            for (StixObject o : versions) {
                g.writeString(o.version());
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private void manifest(Context ctx, TaxiiPrincipal p) throws IOException {
        TaxiiCollection c = findCollection(ctx, p, true);
        ObjectPage page = source.objects(p.tenant(), c.id(), query(ctx));
        dateHeaders(ctx, page.objects());
        respond(ctx, 200, g -> {
            g.writeStartObject();
            g.writeBooleanField("more", page.more());
            if (page.more()) {
                g.writeStringField("next", page.next());
            }
            g.writeArrayFieldStart("objects");
            for (StixObject o : page.objects()) {
                g.writeStartObject();
                g.writeStringField("id", o.id());
                g.writeStringField("date_added", TaxiiTime.format(o.dateAdded()));
                g.writeStringField("version", o.version());
                g.writeStringField("media_type", STIX_MEDIA_TYPE);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private List<StixObject> objectVersions(Context ctx, TaxiiPrincipal p, TaxiiCollection c) {
        String objectId = ctx.pathParam("objectId");
        List<StixObject> versions = source.object(p.tenant(), c.id(), objectId);
        if (versions.isEmpty()) {
            throw new TaxiiError(404, "Not Found", "no object '" + objectId + "' in collection " + c.id());
        }
        return versions;
    }

    private TaxiiCollection findCollection(Context ctx, TaxiiPrincipal p, boolean mustRead) {
        String id = ctx.pathParam("collectionId");
        TaxiiCollection c = source.collection(p.tenant(), id)
                .orElseThrow(() -> new TaxiiError(404, "Not Found", "no collection '" + id + "'"));
        if (mustRead && !c.canRead()) {
            throw new TaxiiError(403, "Forbidden", "collection " + id + " cannot be read by " + p.name());
        }
        return c;
    }

    private ObjectQuery query(Context ctx) {
        Instant addedAfter = null;
        String after = ctx.queryParam("added_after");
        if (after != null) {
            try {
                addedAfter = Instant.parse(after);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("added_after is not an RFC 3339 timestamp: " + after);
            }
        }
        int limit = options.defaultPageSize();
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit is not a number: " + limitText);
            }
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1");
            }
        }
        return new ObjectQuery(
                addedAfter,
                listParam(ctx, "match[id]"),
                listParam(ctx, "match[type]"),
                Math.min(limit, options.maxPageSize()),
                ctx.queryParam("next"));
    }

    /** A filter may be repeated or hold a comma-separated list; both mean "any of". */
    private static Set<String> listParam(Context ctx, String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : ctx.queryParams(name)) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    private static void dateHeaders(Context ctx, List<StixObject> objects) {
        if (!objects.isEmpty()) {
            Instant first = objects.get(0).dateAdded();
            Instant last = first;
            for (StixObject o : objects) {
                first = o.dateAdded().isBefore(first) ? o.dateAdded() : first;
                last = o.dateAdded().isAfter(last) ? o.dateAdded() : last;
            }
            ctx.header("X-TAXII-Date-Added-First", TaxiiTime.format(first));
            ctx.header("X-TAXII-Date-Added-Last", TaxiiTime.format(last));
        }
    }

    private static void envelope(JsonGenerator g, List<StixObject> objects, String next) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("more", next != null);
        if (next != null) {
            g.writeStringField("next", next);
        }
        g.writeArrayFieldStart("objects");
        for (StixObject o : objects) {
            // Stored objects are JSON already: copied as they are, not parsed and written again.
            g.writeRawValue(o.json());
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeCollection(JsonGenerator g, TaxiiCollection c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("title", c.title());
        if (!c.description().isEmpty()) {
            g.writeStringField("description", c.description());
        }
        g.writeBooleanField("can_read", c.canRead());
        g.writeBooleanField("can_write", c.canWrite());
        g.writeArrayFieldStart("media_types");
        g.writeString(STIX_MEDIA_TYPE);
        g.writeEndArray();
        g.writeEndObject();
    }

    private String baseUrl(Context ctx) {
        if (options.publicBaseUrl() != null) {
            return options.publicBaseUrl().replaceAll("/+$", "");
        }
        return ctx.scheme() + "://" + ctx.host();
    }

    /**
     * Whether an {@code Accept} header admits TAXII 2.1: one of its media ranges is {@code application/taxii+json}
     * with no version or version 2.1. Wildcards do not count: the specification asks clients to name the type.
     */
    static boolean acceptsTaxii(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (!parts[0].strip().toLowerCase(Locale.ROOT).equals("application/taxii+json")) {
                continue;
            }
            boolean versionOk = true;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv[0].strip().equalsIgnoreCase("version")) {
                    versionOk =
                            kv.length == 2 && kv[1].strip().replace("\"", "").equals("2.1");
                }
            }
            if (versionOk) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    private static void respond(Context ctx, int status, JsonBody body) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            body.write(g);
        }
        ctx.status(status);
        ctx.contentType(MEDIA_TYPE);
        ctx.result(w.toString());
    }

    private static void error(Context ctx, int status, String title, String description) {
        try {
            respond(ctx, status, g -> {
                g.writeStartObject();
                g.writeStringField("title", title);
                g.writeStringField("description", description);
                g.writeStringField("http_status", Integer.toString(status));
                g.writeEndObject();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request the server refuses with a TAXII error message. */
    private static final class TaxiiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String title;

        TaxiiError(int status, String title, String description) {
            super(description);
            this.status = status;
            this.title = title;
        }
    }
}
