package dev.vigil.formats.network;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.formats.JsonShape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Suricata EVE JSON: objects with {@code event_type} and {@code flow_id} or {@code src_ip}. Keys are flattened with
 * dots as Suricata nests them ({@code alert.signature}, {@code dns.rrname}, {@code http.hostname}, ...); ECS fields are
 * added: connection ({@code source.ip}/{@code port}, {@code destination.ip}/{@code port}, {@code network.transport}),
 * alerts ({@code event.kind=alert}, {@code rule.name}, {@code rule.id}, {@code rule.category}, {@code event.severity},
 * {@code event.action}), {@code dns.question.name}, {@code url.*}, {@code http.*}, {@code user_agent.original}, {@code
 * tls.server.sni}, {@code tls.version}, {@code file.*}, {@code network.bytes}.
 *
 * <p>Sigma has no Suricata log source taxonomy; the log source is product {@code suricata} with category the EVE
 * {@code event_type} ({@code alert}, {@code dns}, {@code http}, {@code tls}, {@code flow}, ...) and service {@code
 * eve}, so rules can be written for it without generic DNS/proxy rules misfiring on differently named fields. The time
 * is {@code timestamp}, Suricata's {@code 2018-03-24T15:12:17.012345+0000} (offset without colon) or ISO-8601.
 */
public final class SuricataEveShape implements JsonShape {
    @Override
    public String name() {
        return "suricata";
    }

    @Override
    public boolean matches(Map<String, Object> root) {
        return root.get("event_type") instanceof String && (root.containsKey("flow_id") || root.containsKey("src_ip"));
    }

    @Override
    public Event normalize(Map<String, Object> root, String source, long position, TenantId tenant) {
        Map<String, Object> f = new LinkedHashMap<>(root.size() * 4);
        flatten(root, null, f);
        String type = (String) root.get("event_type");
        Instant time = NetFields.time(root.get("timestamp"));
        if (time != null) {
            f.put("@timestamp", NetFields.iso(time));
        }
        ecs(type, f);
        return Event.builder()
                .tenant(tenant)
                .fields(f)
                .original(root)
                .logSource(new LogSource("suricata", Set.of(type), Set.of("eve")))
                .timestamp(time)
                .source(new SourceRef(source, position))
                .build();
    }

    private static void ecs(String type, Map<String, Object> f) {
        f.put("event.module", "suricata");
        f.put("event.dataset", "suricata.eve");
        f.put("observer.vendor", "OISF");
        f.put("observer.product", "Suricata");
        f.put("observer.type", "ids");
        NetFields.copy(f, "host", "observer.hostname");
        NetFields.copy(f, "in_iface", "observer.ingress.interface.name");
        NetFields.copy(f, "src_ip", "source.ip");
        NetFields.copyLong(f, "src_port", "source.port");
        NetFields.copy(f, "dest_ip", "destination.ip");
        NetFields.copyLong(f, "dest_port", "destination.port");
        NetFields.transport(f, "proto");
        NetFields.copy(f, "app_proto", "network.protocol");
        NetFields.copyLong(f, "flow_id", "event.id");
        Long toServer = NetFields.asLong(f.get("flow.bytes_toserver"));
        Long toClient = NetFields.asLong(f.get("flow.bytes_toclient"));
        if (toServer != null || toClient != null) {
            f.put("source.bytes", toServer == null ? 0L : toServer);
            f.put("destination.bytes", toClient == null ? 0L : toClient);
            f.put("network.bytes", (toServer == null ? 0 : toServer) + (toClient == null ? 0 : toClient));
        }
        f.put("event.kind", "alert".equals(type) ? "alert" : "event");
        f.put("event.category", "network");
        switch (type) {
            case "alert" -> {
                f.put("event.category", "intrusion_detection");
                NetFields.copy(f, "alert.signature", "rule.name");
                NetFields.copy(f, "alert.signature_id", "rule.id");
                NetFields.copy(f, "alert.category", "rule.category");
                NetFields.copy(f, "alert.rev", "rule.version");
                NetFields.copy(f, "alert.severity", "event.severity");
                NetFields.copy(f, "alert.action", "event.action");
                if ("blocked".equals(f.get("alert.action"))) {
                    f.put("event.type", "denied");
                } else {
                    f.put("event.type", "allowed");
                }
            }
            case "anomaly" -> {
                NetFields.copy(f, "anomaly.event", "event.action");
                f.put("event.kind", "alert");
            }
            case "fileinfo" -> {
                f.put("event.category", "file");
                NetFields.copy(f, "fileinfo.filename", "file.path");
                NetFields.copyLong(f, "fileinfo.size", "file.size");
                NetFields.copy(f, "fileinfo.magic", "file.type");
                NetFields.copy(f, "fileinfo.md5", "file.hash.md5");
                NetFields.copy(f, "fileinfo.sha1", "file.hash.sha1");
                NetFields.copy(f, "fileinfo.sha256", "file.hash.sha256");
            }
            default -> {
                // protocol sections follow
            }
        }
        // Protocol sections can also ride along on alerts (metadata), so map them whatever the type.
        NetFields.copy(f, "dns.rrname", "dns.question.name");
        NetFields.copy(f, "dns.query.rrname", "dns.question.name");
        NetFields.copy(f, "dns.rrtype", "dns.question.type");
        NetFields.copy(f, "dns.query.rrtype", "dns.question.type");
        NetFields.copy(f, "dns.rcode", "dns.response_code");
        NetFields.copy(f, "dns.rdata", "dns.answer");
        NetFields.copy(f, "dns.answers.rdata", "dns.answer");
        NetFields.copy(f, "http.hostname", "url.domain");
        if (f.get("http.url") instanceof String url) {
            f.put("url.original", url);
            int q = url.indexOf('?');
            f.put("url.path", q < 0 ? url : url.substring(0, q));
            if (q >= 0) {
                f.put("url.query", url.substring(q + 1));
            }
        }
        NetFields.copy(f, "http.http_method", "http.request.method");
        NetFields.copyLong(f, "http.status", "http.response.status_code");
        NetFields.copy(f, "http.http_user_agent", "user_agent.original");
        NetFields.copy(f, "http.http_refer", "http.request.referrer");
        NetFields.copy(f, "http.protocol", "http.version");
        NetFields.copyLong(f, "http.length", "http.response.body.bytes");
        NetFields.copy(f, "tls.sni", "tls.server.sni");
        NetFields.copy(f, "tls.subject", "tls.server.subject");
        NetFields.copy(f, "tls.issuerdn", "tls.server.issuer");
        NetFields.copy(f, "tls.ja3.hash", "tls.client.ja3");
        NetFields.copy(f, "tls.ja3s.hash", "tls.server.ja3s");
        NetFields.copy(f, "ssh.client.software_version", "user_agent.original");
        NetFields.copy(f, "smtp.helo", "source.domain");
    }

    private static void flatten(Map<?, ?> map, String prefix, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix == null ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                flatten(nested, key, out);
            } else if (v instanceof List<?> list) {
                List<Object> scalars = new ArrayList<>();
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m) {
                        // dns.answers[].rdata and the like: multi-valued dotted fields
                        Map<String, Object> sub = new LinkedHashMap<>();
                        flatten(m, key, sub);
                        sub.forEach((k, sv) -> append(out, k, sv));
                    } else {
                        scalars.add(ZeekJsonShape.scalar(o));
                    }
                }
                if (!scalars.isEmpty() || list.isEmpty()) {
                    out.put(key, scalars);
                }
            } else {
                out.put(key, ZeekJsonShape.scalar(v));
            }
        }
    }

    private static void append(Map<String, Object> out, String key, Object value) {
        Object old = out.get(key);
        if (old == null && !out.containsKey(key)) {
            out.put(key, value);
            return;
        }
        List<Object> merged = NetFields.list(old);
        merged.addAll(NetFields.list(value));
        out.put(key, merged);
    }
}
