package dev.vigil.formats.network;

import dev.vigil.core.Event;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.formats.JsonShape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zeek logs written as JSON ({@code LogAscii::use_json}, or the json-streaming-logs package): an object with {@code ts}
 * and {@code uid}, {@code id.orig_h}, {@code fuid} or {@code _path}. The log type is {@code _path} when present, else
 * inferred from the keys ({@code query}+{@code qtype_name} → dns, {@code method}+{@code uri} → http, {@code
 * cipher}+{@code server_name}/{@code version} → ssl, {@code conn_state} → conn, ...). Keys stay as Zeek names them
 * (nested {@code id} objects are flattened to {@code id.orig_h}); ECS fields and the log source come from {@link
 * ZeekEcs}.
 */
public final class ZeekJsonShape implements JsonShape {
    @Override
    public String name() {
        return "zeek";
    }

    @Override
    public boolean matches(Map<String, Object> root) {
        return root.containsKey("ts")
                && (root.containsKey("uid")
                        || root.containsKey("_path")
                        || root.containsKey("id.orig_h")
                        || root.containsKey("fuid")
                        || root.get("id") instanceof Map<?, ?> id && id.containsKey("orig_h"));
    }

    @Override
    public Event normalize(Map<String, Object> root, String source, long position, TenantId tenant) {
        Map<String, Object> fields = new LinkedHashMap<>(root.size() * 3);
        flatten(root, null, fields);
        String path = root.get("_path") instanceof String p && !p.isEmpty() ? p : infer(fields);
        Instant time = NetFields.time(root.get("ts"));
        if (time != null) {
            fields.put("@timestamp", NetFields.iso(time));
        }
        ZeekEcs.apply(path, fields);
        return Event.builder()
                .tenant(tenant)
                .fields(fields)
                .original(root)
                .logSource(ZeekEcs.logSource(path))
                .timestamp(time)
                .source(new SourceRef(source, position))
                .build();
    }

    /** The log type from an entry's keys, or {@code null}. */
    static String infer(Map<String, Object> f) {
        if (f.containsKey("query")
                && (f.containsKey("qtype_name") || f.containsKey("qtype") || f.containsKey("rcode"))) {
            return "dns";
        }
        if (f.containsKey("method") && f.containsKey("uri")) {
            return "http";
        }
        if (f.containsKey("cipher") && (f.containsKey("server_name") || f.containsKey("version"))) {
            return f.containsKey("request_type") ? "kerberos" : "ssl";
        }
        if (f.containsKey("request_type") && f.containsKey("client")) {
            return "kerberos";
        }
        if (f.containsKey("certificate.subject") || f.containsKey("certificate.serial")) {
            return "x509";
        }
        if (f.containsKey("cookie") || f.containsKey("security_protocol") || f.containsKey("keyboard_layout")) {
            return "rdp";
        }
        if (f.containsKey("endpoint") && f.containsKey("operation")) {
            return "dce_rpc";
        }
        if (f.containsKey("share_type")) {
            return "smb_mapping";
        }
        if (f.containsKey("action") && f.containsKey("name") && f.containsKey("path")) {
            return "smb_files";
        }
        if (f.containsKey("fuid")
                && (f.containsKey("mime_type") || f.containsKey("analyzers") || f.containsKey("source"))) {
            return "files";
        }
        if (f.containsKey("conn_state") || f.containsKey("history") || f.containsKey("orig_bytes")) {
            return "conn";
        }
        if (f.containsKey("note")) {
            return "notice";
        }
        return null;
    }

    private static void flatten(Map<?, ?> map, String prefix, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix == null ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                flatten(nested, key, out);
            } else if (v instanceof List<?> list) {
                List<Object> scalars = new ArrayList<>(list.size());
                for (Object o : list) {
                    scalars.add(o instanceof Map<?, ?> || o instanceof List<?> ? String.valueOf(o) : scalar(o));
                }
                out.put(key, scalars);
            } else {
                out.put(key, scalar(v));
            }
        }
    }

    static Object scalar(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Short s) {
            return s.longValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }
}
