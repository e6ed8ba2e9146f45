package dev.vigil.formats.network;

import dev.vigil.core.LogSource;
import java.util.Map;
import java.util.Set;

/**
 * ECS fields and the Sigma log source of a Zeek log entry, by log path. The Zeek field names stay as they are (Sigma's
 * zeek rules read {@code id.orig_h}, {@code query}, {@code uri}, ...); ECS names are added beside them.
 */
final class ZeekEcs {
    private ZeekEcs() {}

    /**
     * The Sigma log source of a log: product {@code zeek}, service the log's path ({@code dns}, {@code http}, {@code
     * smb_files}, ...). DNS logs also get category {@code dns} so that Sigma's generic DNS rules (which read {@code
     * query}, as Zeek names it) run on them.
     */
    static LogSource logSource(String path) {
        if (path == null || path.isEmpty()) {
            return new LogSource("zeek", Set.of(), Set.of());
        }
        Set<String> categories = "dns".equals(path) ? Set.of("dns") : Set.of();
        return new LogSource("zeek", categories, Set.of(path));
    }

    /** Adds ECS fields for an entry of log {@code path} (may be {@code null}). */
    static void apply(String path, Map<String, Object> f) {
        f.put("event.kind", "event");
        f.put("event.module", "zeek");
        if (path != null) {
            f.put("event.dataset", "zeek." + path);
        }
        f.put("observer.vendor", "zeek");
        f.put("observer.product", "zeek");
        f.put("observer.type", "sensor");
        NetFields.copy(f, "id.orig_h", "source.ip");
        NetFields.copyLong(f, "id.orig_p", "source.port");
        NetFields.copy(f, "id.resp_h", "destination.ip");
        NetFields.copyLong(f, "id.resp_p", "destination.port");
        NetFields.transport(f, "proto");
        NetFields.copy(f, "uid", "event.id");
        if (path == null) {
            return;
        }
        switch (path) {
            case "conn" -> {
                f.put("event.category", "network");
                NetFields.copy(f, "service", "network.protocol");
                NetFields.copyLong(f, "orig_bytes", "source.bytes");
                NetFields.copyLong(f, "resp_bytes", "destination.bytes");
                Long a = NetFields.asLong(f.get("orig_bytes"));
                Long b = NetFields.asLong(f.get("resp_bytes"));
                if (a != null || b != null) {
                    f.put("network.bytes", (a == null ? 0 : a) + (b == null ? 0 : b));
                }
                NetFields.copyLong(f, "orig_pkts", "source.packets");
                NetFields.copyLong(f, "resp_pkts", "destination.packets");
            }
            case "dns" -> {
                f.put("event.category", "network");
                f.put("network.protocol", "dns");
                NetFields.copy(f, "query", "dns.question.name");
                NetFields.copy(f, "qtype_name", "dns.question.type");
                NetFields.copy(f, "qclass_name", "dns.question.class");
                NetFields.copy(f, "rcode_name", "dns.response_code");
                NetFields.copyLong(f, "trans_id", "dns.id");
                NetFields.copy(f, "answers", "dns.answer");
            }
            case "http" -> {
                f.put("event.category", "web");
                f.put("network.protocol", "http");
                NetFields.copy(f, "method", "http.request.method");
                NetFields.copy(f, "host", "url.domain");
                NetFields.copy(f, "uri", "url.original");
                if (f.get("uri") instanceof String uri) {
                    int q = uri.indexOf('?');
                    f.put("url.path", q < 0 ? uri : uri.substring(0, q));
                    if (q >= 0) {
                        f.put("url.query", uri.substring(q + 1));
                    }
                }
                NetFields.copy(f, "referrer", "http.request.referrer");
                NetFields.copy(f, "user_agent", "user_agent.original");
                NetFields.copyLong(f, "status_code", "http.response.status_code");
                NetFields.copyLong(f, "request_body_len", "http.request.body.bytes");
                NetFields.copyLong(f, "response_body_len", "http.response.body.bytes");
                NetFields.copy(f, "version", "http.version");
                NetFields.copy(f, "username", "user.name");
            }
            case "ssl" -> {
                f.put("event.category", "network");
                f.put("network.protocol", "tls");
                NetFields.copy(f, "server_name", "tls.server.sni");
                NetFields.copy(f, "version", "tls.version");
                NetFields.copy(f, "cipher", "tls.cipher");
                NetFields.copy(f, "curve", "tls.curve");
                NetFields.copy(f, "ja3", "tls.client.ja3");
                NetFields.copy(f, "ja3s", "tls.server.ja3s");
                NetFields.copy(f, "subject", "tls.server.subject");
                NetFields.copy(f, "issuer", "tls.server.issuer");
                NetFields.copy(f, "established", "tls.established");
            }
            case "x509" -> {
                NetFields.copy(f, "certificate.subject", "x509.subject.distinguished_name");
                NetFields.copy(f, "certificate.issuer", "x509.issuer.distinguished_name");
                NetFields.copy(f, "certificate.serial", "x509.serial_number");
                NetFields.copy(f, "san.dns", "x509.alternative_names");
            }
            case "files" -> {
                f.put("event.category", "file");
                NetFields.copy(f, "filename", "file.name");
                NetFields.copy(f, "mime_type", "file.mime_type");
                NetFields.copyLong(f, "total_bytes", "file.size");
                NetFields.copy(f, "md5", "file.hash.md5");
                NetFields.copy(f, "sha1", "file.hash.sha1");
                NetFields.copy(f, "sha256", "file.hash.sha256");
                NetFields.copy(f, "tx_hosts", "source.ip");
                NetFields.copy(f, "rx_hosts", "destination.ip");
            }
            case "smb_files" -> {
                f.put("event.category", "file");
                NetFields.copy(f, "name", "file.name");
                NetFields.copy(f, "path", "file.directory");
                if (f.get("path") instanceof String dir && f.get("name") instanceof String name) {
                    f.put("file.path", dir.endsWith("\\") ? dir + name : dir + "\\" + name);
                }
                NetFields.copy(f, "action", "event.action");
                NetFields.copyLong(f, "size", "file.size");
            }
            case "smb_mapping" -> NetFields.copy(f, "path", "file.path");
            case "kerberos" -> {
                f.put("event.category", "authentication");
                NetFields.copy(f, "client", "user.name");
                NetFields.copy(f, "request_type", "event.action");
                NetFields.copy(f, "cipher", "tls.cipher");
            }
            case "ntlm" -> {
                f.put("event.category", "authentication");
                NetFields.copy(f, "username", "user.name");
                NetFields.copy(f, "domainname", "user.domain");
                NetFields.copy(f, "hostname", "source.domain");
            }
            case "rdp" -> {
                NetFields.copy(f, "cookie", "user.name");
                f.put("network.protocol", "rdp");
            }
            case "dce_rpc" -> {
                NetFields.copy(f, "operation", "event.action");
                f.put("network.protocol", "dce_rpc");
            }
            case "ssh" -> {
                f.put("network.protocol", "ssh");
                NetFields.copy(f, "client", "user_agent.original");
            }
            case "ftp" -> {
                NetFields.copy(f, "user", "user.name");
                NetFields.copy(f, "command", "event.action");
                f.put("network.protocol", "ftp");
            }
            case "smtp" -> {
                f.put("network.protocol", "smtp");
                NetFields.copy(f, "user_agent", "user_agent.original");
            }
            case "notice", "weird" -> {
                NetFields.copy(f, "note", "rule.name");
                NetFields.copy(f, "name", "rule.name");
                NetFields.copy(f, "msg", "message");
            }
            default -> {
                // connection fields only
            }
        }
        if ("notice".equals(path)) {
            f.put("event.kind", "alert");
        }
    }
}
