package dev.vigil.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Helpers for values that templates put where HTML escaping alone is not enough. JTE escapes every {@code ${...}} for
 * its HTML context (text or attribute); these add the rules of the other languages inside HTML: URLs (only http, https
 * and same-site relative links may become an {@code href}) and JSON in {@code data-*} attributes (produced by Jackson,
 * then attribute-escaped by JTE, and parsed by {@code console.js} with {@code JSON.parse}, never evaluated).
 */
public final class Html {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Html() {}

    /**
     * The URL if it is safe as a link target: {@code http(s)://...} or a path starting with a single {@code /};
     * otherwise {@code #} ({@code javascript:}, {@code data:}, protocol-relative {@code //host} and anything odd).
     */
    public static String safeUrl(String url) {
        if (url == null) {
            return "#";
        }
        String u = url.strip();
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return "#";
            }
        }
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return u;
        }
        if (u.startsWith("/") && !u.startsWith("//")) {
            return u;
        }
        return "#";
    }

    /** Whether a value looks like a link a user might want to follow (shown as one only when {@link #safeUrl} keeps it). */
    public static boolean isLink(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** JSON for a {@code data-*} attribute. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode chart data as JSON", e);
        }
    }

    /** A query-string component. */
    public static String q(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }
}
