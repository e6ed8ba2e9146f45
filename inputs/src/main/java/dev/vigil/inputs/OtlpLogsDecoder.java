package dev.vigil.inputs;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.formats.JsonEventNormalizer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * OTLP/HTTP logs: {@code ExportLogsServiceRequest} as protobuf ({@code application/x-protobuf}) or in the OTLP JSON
 * encoding ({@code application/json}: camelCase names, {@code AnyValue} objects, 64-bit integers as strings, trace and
 * span ids as hex).
 *
 * <p>Both encodings are first read into the same plain view of each log record ({@link Record}), so one mapping makes
 * the events: resource, scope and record attributes become flat fields with dotted names (nested key-value lists joined
 * with dots; the record's attribute wins over the scope's, the scope's over the resource's), {@code otel.scope.name}
 * and {@code otel.scope.version}; the body becomes {@code message}, or, when it is a key-value list or a string holding
 * a JSON object, is normalised as a JSON event (so a forwarded winlogbeat or EVE record keeps its shape's fields and log
 * source); {@code timeUnixNano}, else {@code observedTimeUnixNano}, becomes the time; {@code severityText} and {@code
 * severityNumber} become {@code log.level} and {@code event.severity}; trace and span ids {@code trace.id} and {@code
 * span.id} (ECS names).
 *
 * <p>Log records are numbered from 1 across the request; a record that cannot be read (a malformed id or attribute in
 * JSON) is rejected with its number and the others decoded; a body that is not a request at all is rejected as a whole
 * (line 0: answer HTTP 400). {@link #response} builds the {@code ExportLogsServiceResponse} with partial success.
 * Pure and thread-safe.
 */
public final class OtlpLogsDecoder {
    /** Protobuf's own nesting limit for messages (AnyValue lists and maps nest). */
    private static final int MAX_PROTOBUF_DEPTH = 64;

    private static final HexFormat HEX = HexFormat.of();

    private final BoundedJson json;

    public OtlpLogsDecoder() {
        this(HecDecoder.DEFAULT_MAX_BODY_BYTES);
    }

    public OtlpLogsDecoder(int maxBodyBytes) {
        this.json = new BoundedJson(maxBodyBytes);
    }

    /**
     * Decodes by content type: JSON when it names {@code json}, protobuf otherwise.
     *
     * @param contentType the request's Content-Type header, may be null (protobuf, OTLP's default)
     */
    public DecodeResult decode(TenantId tenant, byte[] body, String contentType) {
        boolean isJson =
                contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
        return isJson ? decodeJson(tenant, body) : decodeProtobuf(tenant, body);
    }

    /** Decodes a protobuf {@code ExportLogsServiceRequest}. */
    public DecodeResult decodeProtobuf(TenantId tenant, byte[] body) {
        requireNonNull(tenant, "tenant");
        ExportLogsServiceRequest request;
        try {
            CodedInputStream in = CodedInputStream.newInstance(body);
            in.setRecursionLimit(MAX_PROTOBUF_DEPTH);
            request = ExportLogsServiceRequest.parseFrom(in);
        } catch (IOException e) {
            return DecodeResult.failed("not an OTLP ExportLogsServiceRequest in protobuf: " + e.getMessage());
        }
        Output out = new Output(tenant);
        for (ResourceLogs rl : request.getResourceLogsList()) {
            Map<String, Object> resource = attributes(rl.getResource().getAttributesList());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                var scope = sl.getScope();
                Map<String, Object> scopeAttributes = attributes(scope.getAttributesList());
                for (LogRecord lr : sl.getLogRecordsList()) {
                    int index = out.next();
                    try {
                        out.add(
                                index,
                                new Record(
                                        resource,
                                        emptyToNull(scope.getName()),
                                        emptyToNull(scope.getVersion()),
                                        scopeAttributes,
                                        lr.getTimeUnixNano(),
                                        lr.getObservedTimeUnixNano(),
                                        lr.getSeverityNumberValue(),
                                        emptyToNull(lr.getSeverityText()),
                                        lr.hasBody() ? value(lr.getBody()) : null,
                                        attributes(lr.getAttributesList()),
                                        id(lr.getTraceId(), 16, "traceId"),
                                        id(lr.getSpanId(), 8, "spanId"),
                                        emptyToNull(lr.getEventName())));
                    } catch (IllegalArgumentException e) {
                        out.reject(index, e.getMessage());
                    }
                }
            }
        }
        return out.result();
    }

    /** Decodes an {@code ExportLogsServiceRequest} in the OTLP JSON encoding. */
    public DecodeResult decodeJson(TenantId tenant, byte[] body) {
        requireNonNull(tenant, "tenant");
        Object root;
        try {
            root = json.parseComplete(body, 0, body.length);
        } catch (IOException | RuntimeException e) {
            return DecodeResult.failed(BoundedJson.describe(e));
        }
        if (!(root instanceof Map<?, ?> request)) {
            return DecodeResult.failed(
                    "expected a JSON object (ExportLogsServiceRequest) but found " + BoundedJson.kind(root));
        }
        Output out = new Output(tenant);
        for (Object rlValue : list(request.get("resourceLogs"))) {
            Map<?, ?> rl = map(rlValue);
            Map<String, Object> resource;
            try {
                resource = jsonAttributes(map(rl.get("resource")).get("attributes"));
            } catch (IllegalArgumentException e) {
                // Every record of this resource is unusable; count them so the sender learns how many.
                for (Object sl : list(rl.get("scopeLogs"))) {
                    for (Object ignored : list(map(sl).get("logRecords"))) {
                        out.reject(out.next(), "resource " + e.getMessage());
                    }
                }
                continue;
            }
            for (Object slValue : list(rl.get("scopeLogs"))) {
                Map<?, ?> sl = map(slValue);
                Map<?, ?> scope = map(sl.get("scope"));
                Map<String, Object> scopeAttributes;
                String scopeProblem = null;
                try {
                    scopeAttributes = jsonAttributes(scope.get("attributes"));
                } catch (IllegalArgumentException e) {
                    scopeAttributes = Map.of();
                    scopeProblem = "scope " + e.getMessage();
                }
                for (Object lrValue : list(sl.get("logRecords"))) {
                    int index = out.next();
                    if (scopeProblem != null) {
                        out.reject(index, scopeProblem);
                        continue;
                    }
                    try {
                        if (!(lrValue instanceof Map<?, ?> lr)) {
                            throw new IllegalArgumentException(
                                    "log record must be an object, not " + BoundedJson.kind(lrValue));
                        }
                        out.add(
                                index,
                                new Record(
                                        resource,
                                        string(scope.get("name")),
                                        string(scope.get("version")),
                                        scopeAttributes,
                                        unsignedLong(lr.get("timeUnixNano"), "timeUnixNano"),
                                        unsignedLong(lr.get("observedTimeUnixNano"), "observedTimeUnixNano"),
                                        severityNumber(lr.get("severityNumber")),
                                        string(lr.get("severityText")),
                                        lr.get("body") == null ? null : jsonValue(lr.get("body"), "body"),
                                        jsonAttributes(lr.get("attributes")),
                                        hexId(lr.get("traceId"), 16, "traceId"),
                                        hexId(lr.get("spanId"), 8, "spanId"),
                                        string(lr.get("eventName"))));
                    } catch (IllegalArgumentException e) {
                        out.reject(index, e.getMessage());
                    }
                }
            }
        }
        return out.result();
    }

    /**
     * The answer to send: empty when everything was accepted, otherwise partial success with the number of rejected
     * log records and the first reasons.
     */
    public static ExportLogsServiceResponse response(DecodeResult result) {
        if (result.rejected().isEmpty()) {
            return ExportLogsServiceResponse.getDefaultInstance();
        }
        return ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                        .setRejectedLogRecords(result.rejected().size())
                        .setErrorMessage(errorMessage(result)))
                .build();
    }

    /** {@link #response} in the OTLP JSON encoding (the count as a string, as proto3 JSON writes 64-bit integers). */
    public static String responseJson(DecodeResult result) {
        if (result.rejected().isEmpty()) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder("{\"partialSuccess\":{\"rejectedLogRecords\":\"")
                .append(result.rejected().size())
                .append("\",\"errorMessage\":\"");
        String message = errorMessage(result);
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append("\"}}").toString();
    }

    private static String errorMessage(DecodeResult result) {
        String shown = result.rejected().stream()
                .limit(5)
                .map(r -> r.line() == 0 ? r.reason() : "log record " + r.line() + ": " + r.reason())
                .collect(Collectors.joining("; "));
        int more = result.rejected().size() - 5;
        return more > 0 ? shown + "; and " + more + " more" : shown;
    }

    /** One log record in a form independent of the encoding. */
    private record Record(
            Map<String, Object> resource,
            String scopeName,
            String scopeVersion,
            Map<String, Object> scopeAttributes,
            long timeUnixNano,
            long observedTimeUnixNano,
            int severityNumber,
            String severityText,
            Object body,
            Map<String, Object> attributes,
            String traceId,
            String spanId,
            String eventName) {}

    /** Collects events and rejections, numbering records across the request. */
    private final class Output {
        final TenantId tenant;
        final List<Event> events = new ArrayList<>();
        final List<Rejection> rejected = new ArrayList<>();
        int count;

        Output(TenantId tenant) {
            this.tenant = tenant;
        }

        int next() {
            return ++count;
        }

        void reject(int index, String reason) {
            rejected.add(new Rejection(index, reason));
        }

        void add(int index, Record r) {
            events.add(toEvent(tenant, index, r));
        }

        DecodeResult result() {
            return new DecodeResult(events, rejected);
        }
    }

    private Event toEvent(TenantId tenant, int index, Record r) {
        Map<String, Object> extra = new LinkedHashMap<>();
        flatten(r.resource(), null, extra);
        if (r.scopeName() != null) {
            extra.put("otel.scope.name", r.scopeName());
        }
        if (r.scopeVersion() != null) {
            extra.put("otel.scope.version", r.scopeVersion());
        }
        flatten(r.scopeAttributes(), null, extra);
        flatten(r.attributes(), null, extra);
        if (r.severityText() != null) {
            extra.put("log.level", r.severityText());
        }
        if (r.severityNumber() != 0) {
            extra.put("event.severity", (long) r.severityNumber());
        }
        if (r.traceId() != null) {
            extra.put("trace.id", r.traceId());
        }
        if (r.spanId() != null) {
            extra.put("span.id", r.spanId());
        }
        if (r.eventName() != null) {
            extra.put("otel.event_name", r.eventName());
        }
        long nanos = r.timeUnixNano() != 0 ? r.timeUnixNano() : r.observedTimeUnixNano();
        Instant time = nanos == 0
                ? null
                : Instant.ofEpochSecond(
                        Long.divideUnsigned(nanos, 1_000_000_000L), Long.remainderUnsigned(nanos, 1_000_000_000L));
        String source = extra.get("service.name") instanceof String service ? "otlp:" + service : "otlp";
        Map<String, Object> bodyObject = bodyObject(r.body());
        if (bodyObject != null) {
            Event base = JsonEventNormalizer.normalize(bodyObject, source, index, tenant);
            return Events.withMetadata(base, extra, base.timestamp() != null && r.timeUnixNano() == 0 ? null : time);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        if (r.body() != null) {
            fields.put("message", r.body() instanceof List<?> ? r.body() : String.valueOf(r.body()));
        }
        extra.forEach(fields::putIfAbsent);
        Map<String, Object> original = new LinkedHashMap<>();
        original.put("resource", r.resource());
        original.put("scope", r.scopeName());
        original.put("attributes", r.attributes());
        original.put("body", r.body());
        return Event.builder()
                .tenant(tenant)
                .fields(fields)
                .original(original)
                .logSource(LogSource.UNKNOWN)
                .timestamp(time)
                .source(new SourceRef(source, index))
                .build();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> bodyObject(Object body) {
        if (body instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        if (body instanceof String s) {
            String t = s.strip();
            if (t.startsWith("{") && t.endsWith("}")) {
                try {
                    if (json.parseComplete(t) instanceof Map<?, ?> map) {
                        return (Map<String, Object>) map;
                    }
                } catch (IOException | RuntimeException e) {
                    // A message that only looks like JSON stays a message.
                }
            }
        }
        return null;
    }

    private static void flatten(Map<String, Object> attributes, String prefix, Map<String, Object> out) {
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            String key = prefix == null ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> n = (Map<String, Object>) nested;
                flatten(n, key, out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    // --- protobuf ---

    private static Map<String, Object> attributes(List<KeyValue> list) {
        if (list.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            out.put(kv.getKey(), value(kv.getValue()));
        }
        return out;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BYTES_VALUE ->
                Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            case ARRAY_VALUE -> {
                List<Object> out = new ArrayList<>();
                v.getArrayValue().getValuesList().forEach(e -> out.add(value(e)));
                yield out;
            }
            case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList());
            // VALUE_NOT_SET, and value kinds newer than this decoder (string-table references of profiles).
            default -> null;
        };
    }

    private static String id(ByteString bytes, int length, String name) {
        if (bytes.isEmpty()) {
            return null;
        }
        if (bytes.size() != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes, got " + bytes.size());
        }
        return allZero(bytes.toByteArray()) ? null : HEX.formatHex(bytes.toByteArray());
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    // --- JSON ---

    private static List<?> list(Object v) {
        return v instanceof List<?> l ? l : List.of();
    }

    private static Map<?, ?> map(Object v) {
        return v instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String string(Object v) {
        return v instanceof String s && !s.isEmpty() ? s : null;
    }

    private static Map<String, Object> jsonAttributes(Object list) {
        if (list == null) {
            return Map.of();
        }
        if (!(list instanceof List<?> l)) {
            throw new IllegalArgumentException("attributes must be an array of {key, value}");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> kv) || !(kv.get("key") instanceof String key)) {
                throw new IllegalArgumentException("attribute must be an object with a string key");
            }
            Object value = kv.get("value");
            out.put(key, value == null ? null : jsonValue(value, "attribute " + key));
        }
        return out;
    }

    /** An OTLP JSON {@code AnyValue}: exactly one of its typed members. */
    private static Object jsonValue(Object anyValue, String what) {
        if (!(anyValue instanceof Map<?, ?> v)) {
            throw new IllegalArgumentException(what + " must be an AnyValue object, not " + BoundedJson.kind(anyValue));
        }
        if (v.isEmpty()) {
            return null;
        }
        if (v.size() != 1) {
            throw new IllegalArgumentException(what + " must have exactly one value member, has " + v.keySet());
        }
        Map.Entry<?, ?> e = v.entrySet().iterator().next();
        Object x = e.getValue();
        return switch (String.valueOf(e.getKey())) {
            case "stringValue" -> requireType(x, String.class, what);
            case "boolValue" -> requireType(x, Boolean.class, what);
            case "intValue" -> signedLong(x, what);
            case "doubleValue" -> x instanceof Number n ? (Object) n.doubleValue() : doubleString(x, what);
            case "bytesValue" -> requireType(x, String.class, what);
            case "arrayValue" -> {
                List<Object> out = new ArrayList<>();
                for (Object item : list(map(x).get("values"))) {
                    out.add(jsonValue(item, what + "[]"));
                }
                yield out;
            }
            case "kvlistValue" -> jsonAttributes(map(x).get("values"));
            default -> throw new IllegalArgumentException(what + " has an unknown member " + e.getKey());
        };
    }

    private static Object requireType(Object x, Class<?> type, String what) {
        if (!type.isInstance(x)) {
            throw new IllegalArgumentException(what + " must be a "
                    + type.getSimpleName().toLowerCase(Locale.ROOT) + ", not " + BoundedJson.kind(x));
        }
        return x;
    }

    private static Object doubleString(Object x, String what) {
        if (x instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException(what + " doubleValue is not a number: " + x);
    }

    private static long signedLong(Object x, String what) {
        try {
            if (x instanceof Long l) {
                return l;
            }
            if (x instanceof String s) {
                return Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(what + " intValue is not a 64-bit integer: " + x);
    }

    private static long unsignedLong(Object x, String what) {
        if (x == null) {
            return 0;
        }
        try {
            if (x instanceof Long l && l >= 0) {
                return l;
            }
            if (x instanceof String s) {
                return s.isEmpty() ? 0 : Long.parseUnsignedLong(s);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(what + " must be unsigned nanoseconds (a string of digits), got " + x);
    }

    private static int severityNumber(Object x) {
        if (x == null) {
            return 0;
        }
        if (x instanceof Long l && l >= 0 && l <= 24) {
            return l.intValue();
        }
        if (x instanceof String s && s.startsWith("SEVERITY_NUMBER_")) {
            try {
                return io.opentelemetry.proto.logs.v1.SeverityNumber.valueOf(s).getNumber();
            } catch (IllegalArgumentException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("severityNumber must be 0 to 24, got " + x);
    }

    private static String hexId(Object x, int bytes, String name) {
        if (x == null || "".equals(x)) {
            return null;
        }
        if (!(x instanceof String s) || s.length() != bytes * 2 || !isHex(s)) {
            throw new IllegalArgumentException(name + " must be " + bytes * 2 + " hex digits, got '" + x + "'");
        }
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.chars().allMatch(c -> c == '0') ? null : lower;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
