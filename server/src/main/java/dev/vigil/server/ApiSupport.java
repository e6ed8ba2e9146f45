package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Principal;
import dev.vigil.meta.Role;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What every group of API routes shares: token authentication (every call is scoped to the token's tenant), JSON
 * answers and errors, and checked query parameters. {@link HttpApi} and the route groups of later capabilities
 * ({@link ApiRoutes}) use this one instance, so a rule such as "401 names what was wrong" holds at every door.
 */
final class ApiSupport {
    private final MetadataStore meta;
    private final ObjectMapper json;

    ApiSupport(MetadataStore meta) {
        this.meta = requireNonNull(meta, "meta");
        this.json = JsonMapper.builder().build();
        this.json
                .getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(1 << 20)
                        .build());
    }

    ObjectMapper json() {
        return json;
    }

    /** The caller's principal; 401 without a known token, 403 when its role is below {@code needed}. */
    Principal authenticate(Context ctx, Role needed) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "missing Authorization header (Bearer <token>, or Splunk <token> for HEC)");
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        String scheme = space < 0 ? "" : h.substring(0, space).toLowerCase(Locale.ROOT);
        if (!scheme.equals("bearer") && !scheme.equals("splunk")) {
            throw new ApiException(401, "unsupported Authorization scheme (Bearer or Splunk)");
        }
        Optional<Principal> principal = meta.authenticate(h.substring(space + 1).strip());
        if (principal.isEmpty()) {
            throw new ApiException(401, "unknown or revoked token");
        }
        Principal p = principal.get();
        if (!p.role().allows(needed)) {
            throw new ApiException(403, "this token's role (" + p.role().wireName() + ") cannot do this");
        }
        return p;
    }

    void respond(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a response", e);
        }
    }

    void error(Context ctx, int status, String message) {
        respond(ctx, status, Map.of("error", message == null ? "error" : message));
    }

    static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new ApiException(400, name + ": must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiException(400, name + ": not a whole number");
        }
    }
}
