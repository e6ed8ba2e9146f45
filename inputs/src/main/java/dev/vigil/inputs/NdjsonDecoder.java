package dev.vigil.inputs;

import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import dev.vigil.formats.JsonEventNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Newline-delimited JSON: one object per line, each normalised by {@link JsonEventNormalizer} (so winlogbeat/ECS,
 * evtx_dump, Suricata EVE, Zeek JSON and journald objects get their shapes' fields and log sources). A line that is not
 * a JSON object, is longer than the limit, or breaks a parser limit is rejected with its line number; the other lines
 * are still decoded. Blank lines are skipped. Pure and thread-safe.
 */
public final class NdjsonDecoder {
    /** The default longest line, in bytes. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    private final int maxLineBytes;
    private final BoundedJson json;

    public NdjsonDecoder() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    public NdjsonDecoder(int maxLineBytes) {
        if (maxLineBytes < 2) {
            throw new IllegalArgumentException("maxLineBytes must be at least 2: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.json = new BoundedJson(maxLineBytes);
    }

    /**
     * Decodes a body.
     *
     * @param tenant the tenant of every event
     * @param body the request body, UTF-8
     * @param source the input name put in each event's source reference (e.g. {@code http:ndjson})
     */
    public DecodeResult decode(TenantId tenant, byte[] body, String source) {
        List<Event> events = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        int line = 0;
        int start = 0;
        while (start < body.length) {
            int nl = indexOf(body, (byte) '\n', start);
            int end = nl < 0 ? body.length : nl;
            line++;
            decodeLine(tenant, body, start, trimCarriageReturn(body, start, end), line, source, events, rejected);
            start = end + 1;
        }
        return new DecodeResult(events, rejected);
    }

    @SuppressWarnings("unchecked")
    private void decodeLine(
            TenantId tenant,
            byte[] body,
            int start,
            int end,
            int line,
            String source,
            List<Event> events,
            List<Rejection> rejected) {
        int length = end - start;
        if (length > maxLineBytes) {
            rejected.add(new Rejection(line, "line of " + length + " bytes is longer than " + maxLineBytes));
            return;
        }
        if (isBlank(body, start, end)) {
            return;
        }
        Object value;
        try {
            value = json.parseComplete(body, start, length);
        } catch (Exception e) {
            // Jackson reports syntax, limit and encoding failures alike as exceptions; all reject this line only.
            rejected.add(new Rejection(line, BoundedJson.describe(e)));
            return;
        }
        if (value instanceof Map<?, ?> map) {
            events.add(JsonEventNormalizer.normalize((Map<String, Object>) map, source, line, tenant));
        } else {
            rejected.add(new Rejection(line, "not a JSON object but " + BoundedJson.kind(value)));
        }
    }

    static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static int trimCarriageReturn(byte[] bytes, int start, int end) {
        return end > start && bytes[end - 1] == '\r' ? end - 1 : end;
    }

    static boolean isBlank(byte[] bytes, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
