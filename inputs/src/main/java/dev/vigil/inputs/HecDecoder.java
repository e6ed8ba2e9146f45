package dev.vigil.inputs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import dev.vigil.formats.JsonEventNormalizer;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splunk HTTP Event Collector bodies.
 *
 * <p><b>{@code /services/collector/event}</b>: one or more JSON objects one after another (no array, any white space
 * between), each {@code {"time":..,"host":..,"source":..,"sourcetype":..,"index":..,"event":..,"fields":{..}}}. An
 * object event is normalised as JSON (Windows, EVE, Zeek shapes recognised); a string event is a log line parsed by
 * the format its sourcetype names ({@code syslog}, {@code access_combined}, {@code cef}, ... see {@link LineFormats})
 * or, when it names none, by the format detected from the line itself; a string that holds a JSON object is read as
 * one. {@code time} (epoch seconds, fractions allowed) becomes the event's time; host, source, sourcetype and index
 * become fields of those names ({@code host} also {@code host.name}), and {@code fields} entries are added as they
 * are, the record's own fields winning on a clash.
 *
 * <p>Items are numbered from 1 in the body; a bad item is rejected with its number and the rest decoded. A syntax
 * error cannot be skipped inside JSON, so the decoder resumes at the next object that starts a line or follows a
 * closing brace. {@link #response} turns the result into Splunk's answer, whose {@code invalid-event-number} counts
 * from 0 as Splunk's does.
 *
 * <p><b>{@code /services/collector/raw}</b>: newline-separated lines, the metadata from the request parameters; the
 * format comes from the sourcetype or is detected from the first lines of the body, and one parser reads the whole
 * body (so multi-line records, such as auditd's, join as in a file).
 *
 * <p>Pure (no I/O) and thread-safe: parsers are made per call.
 */
public final class HecDecoder {
    public static final int CODE_SUCCESS = 0;
    public static final int CODE_NO_DATA = 5;
    public static final int CODE_INVALID_DATA_FORMAT = 6;
    public static final int CODE_EVENT_FIELD_REQUIRED = 12;
    public static final int CODE_EVENT_FIELD_BLANK = 13;

    static final String EVENT_REQUIRED = "Event field is required";
    static final String EVENT_BLANK = "Event field cannot be blank";

    /** The default largest body and longest raw line or string event, in bytes. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 << 20;

    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    private final int maxLineBytes;
    private final BoundedJson json;

    public HecDecoder() {
        this(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LINE_BYTES);
    }

    public HecDecoder(int maxBodyBytes, int maxLineBytes) {
        if (maxLineBytes < 2 || maxBodyBytes < maxLineBytes) {
            throw new IllegalArgumentException(
                    "need 2 <= maxLineBytes <= maxBodyBytes, got " + maxLineBytes + " and " + maxBodyBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.json = new BoundedJson(maxBodyBytes);
    }

    /**
     * Decodes a {@code /services/collector/event} body.
     *
     * @param defaults request-level metadata each object may override
     */
    public DecodeResult decodeEvent(TenantId tenant, byte[] body, HecMetadata defaults) {
        requireNonNull(tenant, "tenant");
        requireNonNull(defaults, "defaults");
        List<Event> events = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        Map<TextFormat, TextParser> parsers = new HashMap<>();
        int item = 0;
        int start = 0;
        while (start < body.length) {
            // One parser runs over the rest of the body; only a syntax error makes a new one, after resuming.
            long objectStart = start;
            boolean itemCounted = false;
            try (JsonParser p = json.parser(body, start, body.length - start)) {
                JsonToken t;
                while (true) {
                    itemCounted = false;
                    t = p.nextToken();
                    if (t == null) {
                        break;
                    }
                    objectStart = start + p.currentTokenLocation().getByteOffset();
                    item++;
                    itemCounted = true;
                    Object value = BoundedJson.readValue(p, t);
                    if (value instanceof Map<?, ?> map) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> object = (Map<String, Object>) map;
                        eventObject(tenant, object, item, defaults, parsers, events, rejected);
                    } else {
                        rejected.add(
                                new Rejection(item, "expected a JSON object but found " + BoundedJson.kind(value)));
                    }
                    // A failure in the next token resumes after this value, never inside it.
                    objectStart = start + p.currentLocation().getByteOffset() - 1;
                }
                start = body.length;
            } catch (IOException | RuntimeException e) {
                if (!itemCounted) {
                    item++;
                }
                JsonLocation loc = e instanceof JsonProcessingException jpe ? jpe.getLocation() : null;
                long errorAt = loc == null || loc.getByteOffset() < 0 ? objectStart : start + loc.getByteOffset();
                rejected.add(new Rejection(
                        item, BoundedJson.describe(e) + " (byte offset " + errorAt + "); resumed at the next object"));
                start = resume(body, (int) objectStart + 1, (int) Math.min(body.length, errorAt));
            }
        }
        return new DecodeResult(events, rejected);
    }

    /**
     * Where to resume after a syntax error: the first '{' after {@code from} that starts a line or follows a '}' (with
     * only white space between), searching from whichever comes first; {@code body.length} when there is none.
     */
    static int resume(byte[] body, int objectStart, int errorAt) {
        for (int i = objectStart; i < body.length; i++) {
            if (body[i] != '{') {
                continue;
            }
            int j = i - 1;
            while (j >= 0 && (body[j] == ' ' || body[j] == '\t' || body[j] == '\r')) {
                j--;
            }
            if (j < 0 || body[j] == '\n' || (body[j] == '}' && i >= errorAt)) {
                return i;
            }
        }
        return body.length;
    }

    private void eventObject(
            TenantId tenant,
            Map<String, Object> object,
            int item,
            HecMetadata defaults,
            Map<TextFormat, TextParser> parsers,
            List<Event> events,
            List<Rejection> rejected) {
        if (!object.containsKey("event")) {
            rejected.add(new Rejection(item, EVENT_REQUIRED));
            return;
        }
        Object event = object.get("event");
        if (event == null || (event instanceof String s && s.isBlank())) {
            rejected.add(new Rejection(item, EVENT_BLANK));
            return;
        }
        Instant time;
        try {
            time = epochSeconds(object.get("time"));
        } catch (IllegalArgumentException e) {
            rejected.add(new Rejection(item, e.getMessage()));
            return;
        }
        Object indexed = object.get("fields");
        if (indexed != null && !(indexed instanceof Map<?, ?>)) {
            rejected.add(new Rejection(item, "fields must be a JSON object, not " + BoundedJson.kind(indexed)));
            return;
        }
        String host = text(object.get("host"), defaults.host());
        String source = text(object.get("source"), defaults.source());
        String sourcetype = text(object.get("sourcetype"), defaults.sourcetype());
        String index = text(object.get("index"), defaults.index());
        String sourceName = source != null ? source : "hec";
        Map<String, Object> metadata = metadata(host, source, sourcetype, index, defaults.channel());
        if (indexed instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() instanceof Map<?, ?>) {
                    rejected.add(new Rejection(item, "fields." + e.getKey() + " must be a string, number or list"));
                    return;
                }
                metadata.putIfAbsent(String.valueOf(e.getKey()), e.getValue());
            }
        }
        List<Event> decoded = new ArrayList<>(1);
        List<String> problems = new ArrayList<>(1);
        if (event instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> eventObject = (Map<String, Object>) map;
            decoded.add(JsonEventNormalizer.normalize(eventObject, sourceName, item, tenant));
        } else if (event instanceof List<?>) {
            rejected.add(new Rejection(item, "event must be a string or a JSON object, not an array"));
            return;
        } else {
            String line = String.valueOf(event);
            if (line.length() > maxLineBytes) {
                rejected.add(new Rejection(item, "event string longer than " + maxLineBytes + " characters"));
                return;
            }
            Map<String, Object> embedded = embeddedObject(line, sourcetype);
            if (embedded != null) {
                decoded.add(JsonEventNormalizer.normalize(embedded, sourceName, item, tenant));
            } else {
                TextFormat format = LineFormats.named(sourcetype).orElseGet(() -> LineFormats.detect(List.of(line)));
                TextParser parser = parsers.computeIfAbsent(
                        format, f -> f.newParser(dev.vigil.formats.text.TextContext.of(sourceName, tenant)));
                parser.line(line, item, decoded::add, (Problem pr) -> problems.add(pr.message()));
            }
        }
        if (decoded.isEmpty()) {
            rejected.add(new Rejection(
                    item, problems.isEmpty() ? "the event string produced no event" : String.join("; ", problems)));
            return;
        }
        for (Event e : decoded) {
            events.add(Events.withMetadata(e, metadata, time));
        }
    }

    private Map<String, Object> embeddedObject(String line, String sourcetype) {
        String s = line.strip();
        boolean declaredJson = "_json".equals(sourcetype) || "json".equals(sourcetype);
        if (!declaredJson && !(s.startsWith("{") && s.endsWith("}"))) {
            return null;
        }
        try {
            Object v = json.parseComplete(s);
            if (v instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                return object;
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON after all: read it as a text line.
        }
        return null;
    }

    /**
     * Decodes a {@code /services/collector/raw} body: lines separated by {@code \n} ({@code \r\n} accepted), each
     * numbered from 1; blank lines are skipped.
     */
    public DecodeResult decodeRaw(TenantId tenant, byte[] body, HecMetadata metadata) {
        requireNonNull(tenant, "tenant");
        requireNonNull(metadata, "metadata");
        List<String> lines = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        int start = 0;
        while (start < body.length) {
            int nl = NdjsonDecoder.indexOf(body, (byte) '\n', start);
            int end = NdjsonDecoder.trimCarriageReturn(body, start, nl < 0 ? body.length : nl);
            if (end - start > maxLineBytes) {
                rejected.add(new Rejection(
                        lines.size() + 1, "line of " + (end - start) + " bytes is longer than " + maxLineBytes));
                lines.add(null);
            } else {
                lines.add(new String(body, start, end - start, StandardCharsets.UTF_8));
            }
            start = nl < 0 ? body.length : nl + 1;
        }
        String sourceName = metadata.source() != null ? metadata.source() : "hec:raw";
        TextFormat format = LineFormats.named(metadata.sourcetype())
                .orElseGet(() -> LineFormats.detect(
                        lines.stream().filter(l -> l != null).limit(256).toList()));
        TextParser parser = format.newParser(dev.vigil.formats.text.TextContext.of(sourceName, tenant));
        Map<String, Object> extra = metadata(
                metadata.host(), metadata.source(), metadata.sourcetype(), metadata.index(), metadata.channel());
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line == null || line.isBlank()) {
                continue;
            }
            int lineNumber = i + 1;
            List<String> problems = new ArrayList<>(1);
            int before = events.size();
            parser.line(
                    line,
                    lineNumber,
                    e -> events.add(Events.withMetadata(e, extra, null)),
                    pr -> problems.add(pr.message()));
            if (events.size() == before && !problems.isEmpty()) {
                rejected.add(new Rejection(lineNumber, String.join("; ", problems)));
            }
        }
        parser.end(
                e -> events.add(Events.withMetadata(e, extra, null)),
                pr -> rejected.add(new Rejection((int) Math.min(Integer.MAX_VALUE, pr.location()), pr.message())));
        return new DecodeResult(events, rejected);
    }

    /**
     * Splunk's answer to a decoded request: success when nothing was rejected; otherwise 400 with the code of the first
     * rejection and its 0-based {@code invalid-event-number}. Events that were accepted are still ingested; Splunk
     * stops at the first bad event, Vigil keeps the others, and says how many in {@code accepted}.
     */
    public static HecResponse response(DecodeResult result) {
        if (result.rejected().isEmpty()) {
            if (result.events().isEmpty()) {
                return new HecResponse(400, "{\"text\":\"No data\",\"code\":" + CODE_NO_DATA + "}");
            }
            return new HecResponse(200, "{\"text\":\"Success\",\"code\":" + CODE_SUCCESS + "}");
        }
        Rejection first = result.rejected().getFirst();
        int code = first.reason().equals(EVENT_REQUIRED)
                ? CODE_EVENT_FIELD_REQUIRED
                : first.reason().equals(EVENT_BLANK) ? CODE_EVENT_FIELD_BLANK : CODE_INVALID_DATA_FORMAT;
        String text = code == CODE_INVALID_DATA_FORMAT ? "Invalid data format" : first.reason();
        return new HecResponse(
                400,
                "{\"text\":\"" + text + "\",\"code\":" + code + ",\"invalid-event-number\":"
                        + Math.max(0, first.line() - 1) + ",\"accepted\":"
                        + result.events().size() + "}");
    }

    private static Map<String, Object> metadata(
            String host, String source, String sourcetype, String index, String channel) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (host != null) {
            m.put("host", host);
            m.put("host.name", host);
        }
        if (source != null) {
            m.put("source", source);
        }
        if (sourcetype != null) {
            m.put("sourcetype", sourcetype);
        }
        if (index != null) {
            m.put("index", index);
        }
        if (channel != null) {
            m.put("hec.channel", channel);
        }
        return m;
    }

    private static String text(Object value, String fallback) {
        if (value == null) {
            return fallback;
        }
        return value instanceof String s ? s : String.valueOf(value);
    }

    /** HEC's {@code time}: epoch seconds as a number or a numeric string, fractions kept to the nanosecond. */
    static Instant epochSeconds(Object value) {
        if (value == null) {
            return null;
        }
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(value instanceof String s ? s.strip() : String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("time must be epoch seconds, got '" + value + "'", e);
        }
        if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(253402300799L)) > 0) {
            throw new IllegalArgumentException("time out of range: " + value);
        }
        long whole = seconds.longValue();
        int nanos =
                seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole, nanos);
    }
}
