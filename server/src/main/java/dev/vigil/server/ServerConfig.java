package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.incidents.IncidentConfig;
import dev.vigil.notify.NotificationsConfig;
import dev.vigil.sigma.BoundedYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Everything the server can be told, read from a YAML file ({@code --config}) with defaults that suit a small team on
 * one machine. Unknown keys are errors naming the key, so a typo never silently leaves a default in place.
 *
 * <pre>
 * data: ./vigil-data
 * bind: 127.0.0.1
 * port: 8080
 * wal: {fsync: always | interval | never, fsync_interval_ms: 20, segment_mb: 64}
 * pipeline: {batch_size: 10000, max_pending: 500000, max_lag_ms: 2000, linger_ms: 100, retry_after_seconds: 2,
 *            compact_interval_minutes: 10, match_threads: 2}
 * http: {max_body_mb: 16, idle_timeout_seconds: 30}
 * retention_days: 30
 * rules: {builtin: true, paths: [/opt/sigma/rules], pipeline: ecs-pipeline.yml}
 * metadata: {postgres: {url: jdbc:postgresql://db/vigil, user: vigil, password: secret}}
 * syslog:
 *   - {protocol: udp, bind: 0.0.0.0, port: 5514, tenant: acme}
 *   - {protocol: tls, port: 6514, tenant: acme, keystore: /etc/vigil/syslog.p12, keystore_password: changeit}
 * tail:
 *   - {path: /var/log/auth.log, tenant: acme, format: syslog}
 * </pre>
 */
public record ServerConfig(
        Path data,
        String bind,
        int port,
        Wal wal,
        Pipeline pipeline,
        Http http,
        int retentionDays,
        Rules rules,
        Postgres postgres,
        List<SyslogInput> syslog,
        List<TailInput> tail,
        Attack attack,
        Intel intel,
        NotificationsConfig notifications,
        String publicUrl,
        IncidentConfig incidents) {

    public ServerConfig {
        requireNonNull(data, "data");
        requireNonNull(bind, "bind");
        requireNonNull(wal, "wal");
        requireNonNull(pipeline, "pipeline");
        requireNonNull(http, "http");
        requireNonNull(rules, "rules");
        syslog = List.copyOf(syslog);
        tail = List.copyOf(tail);
        requireNonNull(attack, "attack");
        requireNonNull(intel, "intel");
        requireNonNull(incidents, "incidents");
    }

    public enum Fsync {
        ALWAYS,
        INTERVAL,
        NEVER
    }

    public record Wal(Fsync fsync, Duration fsyncInterval, long segmentBytes) {}

    /**
     * @param batchSize the most events the pipeline takes from the write-ahead log at once: it takes what is there, so
     *     batches are small while the pipeline keeps up and grow to this size when it falls behind, where each batch's
     *     fixed costs (a Parquet file, a transaction, merges) are spread over more events
     * @param maxPending acknowledged events not yet stored beyond which inputs are slowed or refused
     * @param retryAfter what a refused HTTP sender is told to wait
     * @param compactInterval how often recent rows move into Parquet partitions and retention runs
     * @param matchThreads threads that decode events and match them against the rules (correlations and the store
     *     commit run on their own threads)
     * @param maxLag how far behind the pipeline may fall: inputs are also slowed or refused when the acknowledged
     *     events waiting would take longer than this to store at the rate the pipeline currently sustains, so that an
     *     overloaded server keeps its alerts this close to real time instead of filling a queue of {@code maxPending}
     *     events; zero leaves only {@code maxPending}
     * @param linger how long the pipeline lets a batch fill before it takes it, counted from when the batch's oldest
     *     event was received: a server taking 1,000-event batches 50 times a second pays each batch's fixed costs
     *     (a Parquet file forced to disk, a transaction, a share of the merges, more merge tiers) five to ten times as
     *     often as one taking full batches; zero takes what the log holds at once
     */
    public record Pipeline(
            int batchSize,
            long maxPending,
            Duration retryAfter,
            Duration compactInterval,
            int matchThreads,
            Duration maxLag,
            Duration linger) {
        public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(2);
        public static final Duration DEFAULT_LINGER = Duration.ofMillis(100);

        public Pipeline {
            requireNonNull(retryAfter, "retryAfter");
            requireNonNull(compactInterval, "compactInterval");
            requireNonNull(maxLag, "maxLag");
            requireNonNull(linger, "linger");
            if (linger.isNegative()) {
                throw new IllegalArgumentException("linger must not be negative: " + linger);
            }
        }

        /** With the default linger. */
        public Pipeline(
                int batchSize,
                long maxPending,
                Duration retryAfter,
                Duration compactInterval,
                int matchThreads,
                Duration maxLag) {
            this(batchSize, maxPending, retryAfter, compactInterval, matchThreads, maxLag, DEFAULT_LINGER);
        }

        /** With the default lag bound and linger. */
        public Pipeline(
                int batchSize, long maxPending, Duration retryAfter, Duration compactInterval, int matchThreads) {
            this(batchSize, maxPending, retryAfter, compactInterval, matchThreads, DEFAULT_MAX_LAG);
        }

        /** With as many rule-matching threads as the machine has processors and the default lag bound. */
        public Pipeline(int batchSize, long maxPending, Duration retryAfter, Duration compactInterval) {
            this(
                    batchSize,
                    maxPending,
                    retryAfter,
                    compactInterval,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    public record Http(long maxBodyBytes, Duration idleTimeout) {}

    public record Rules(boolean builtin, List<Path> paths, Path pipeline) {}

    public record Postgres(String url, String user, String password) {}

    public record SyslogInput(
            String protocol, String bind, int port, String tenant, Path keystore, String keystorePassword) {}

    public record TailInput(Path path, String tenant, String format) {}

    /** The MITRE ATT&amp;CK STIX bundle that names techniques and tactics, or {@code null} for none. */
    public record Attack(Path bundle) {}

    /**
     * Threat intelligence: how far back a newly imported indicator is searched for, and the feeds pulled on a schedule.
     */
    public record Intel(int retroHuntDays, List<IntelFeed> feeds) {
        public Intel {
            feeds = List.copyOf(feeds);
        }
    }

    /**
     * A feed pulled every {@code interval}: {@code type} is taxii (a TAXII 2.1 collection URL), stix (a bundle), misp
     * (a MISP feed: the URL of its manifest.json), misp-event or csv (with {@code csv}, the column mapping: feodo or
     * plain:TYPE); indicators go to {@code tenant} or, without one, are global.
     */
    public record IntelFeed(
            String name,
            String type,
            String url,
            Duration interval,
            String tenant,
            String token,
            String user,
            String password,
            String csv) {
        public IntelFeed {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
            requireNonNull(url, "url");
            requireNonNull(interval, "interval");
            csv = csv == null ? "feodo" : csv;
        }
    }

    /** The configuration with every default: data in {@code ./vigil-data}, listening on 127.0.0.1:8080. */
    public static ServerConfig defaults() {
        return new ServerConfig(
                Path.of("vigil-data"),
                "127.0.0.1",
                8080,
                new Wal(Fsync.ALWAYS, Duration.ofMillis(20), 64L << 20),
                new Pipeline(10_000, 500_000, Duration.ofSeconds(2), Duration.ofMinutes(10)),
                new Http(16L << 20, Duration.ofSeconds(30)),
                30,
                new Rules(true, List.of(), null),
                null,
                List.of(),
                List.of(),
                new Attack(null),
                new Intel(30, List.of()),
                null,
                null,
                IncidentConfig.defaults());
    }

    /** A builder holding this configuration's values, to change some. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public ServerConfig withData(Path dir) {
        return toBuilder().data(dir).build();
    }

    public ServerConfig withBind(String address) {
        return toBuilder().bind(address).build();
    }

    public ServerConfig withPort(int p) {
        return toBuilder().port(p).build();
    }

    public ServerConfig withRules(Rules r) {
        return toBuilder().rules(r).build();
    }

    public ServerConfig withWal(Wal w) {
        return toBuilder().wal(w).build();
    }

    public ServerConfig withPipeline(Pipeline p) {
        return toBuilder().pipeline(p).build();
    }

    public ServerConfig withHttp(Http h) {
        return toBuilder().http(h).build();
    }

    public ServerConfig withSyslog(List<SyslogInput> inputs) {
        return toBuilder().syslog(inputs).build();
    }

    public ServerConfig withTail(List<TailInput> inputs) {
        return toBuilder().tail(inputs).build();
    }

    public ServerConfig withAttack(Attack a) {
        return toBuilder().attack(a).build();
    }

    public ServerConfig withIntel(Intel i) {
        return toBuilder().intel(i).build();
    }

    public ServerConfig withNotifications(NotificationsConfig n) {
        return toBuilder().notifications(n).build();
    }

    /** Where people reach this server (links in notifications); by default {@code http://BIND:PORT}. */
    public String linkBase() {
        if (publicUrl != null) {
            return publicUrl.replaceAll("/+$", "");
        }
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return "http://" + host + ":" + port;
    }

    /** Mutable copy of a configuration; {@link #build()} checks it. */
    public static final class Builder {
        private Path data;
        private String bind;
        private int port;
        private Wal wal;
        private Pipeline pipeline;
        private Http http;
        private int retentionDays;
        private Rules rules;
        private Postgres postgres;
        private List<SyslogInput> syslog;
        private List<TailInput> tail;
        private Attack attack;
        private Intel intel;
        private NotificationsConfig notifications;
        private String publicUrl;
        private IncidentConfig incidents;

        private Builder(ServerConfig c) {
            data = c.data;
            bind = c.bind;
            port = c.port;
            wal = c.wal;
            pipeline = c.pipeline;
            http = c.http;
            retentionDays = c.retentionDays;
            rules = c.rules;
            postgres = c.postgres;
            syslog = c.syslog;
            tail = c.tail;
            attack = c.attack;
            intel = c.intel;
            notifications = c.notifications;
            publicUrl = c.publicUrl;
            incidents = c.incidents;
        }

        public Builder data(Path v) {
            data = v;
            return this;
        }

        public Builder bind(String v) {
            bind = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder wal(Wal v) {
            wal = v;
            return this;
        }

        public Builder pipeline(Pipeline v) {
            pipeline = v;
            return this;
        }

        public Builder http(Http v) {
            http = v;
            return this;
        }

        public Builder retentionDays(int v) {
            retentionDays = v;
            return this;
        }

        public Builder rules(Rules v) {
            rules = v;
            return this;
        }

        public Builder postgres(Postgres v) {
            postgres = v;
            return this;
        }

        public Builder syslog(List<SyslogInput> v) {
            syslog = v;
            return this;
        }

        public Builder tail(List<TailInput> v) {
            tail = v;
            return this;
        }

        public Builder attack(Attack v) {
            attack = v;
            return this;
        }

        public Builder intel(Intel v) {
            intel = v;
            return this;
        }

        public Builder notifications(NotificationsConfig v) {
            notifications = v;
            return this;
        }

        public Builder publicUrl(String v) {
            publicUrl = v;
            return this;
        }

        public Builder incidents(IncidentConfig v) {
            incidents = v;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(
                    data,
                    bind,
                    port,
                    wal,
                    pipeline,
                    http,
                    retentionDays,
                    rules,
                    postgres,
                    syslog,
                    tail,
                    attack,
                    intel,
                    notifications,
                    publicUrl,
                    incidents);
        }
    }

    /** Reads a configuration file; relative paths in it resolve against the file's directory. */
    public static ServerConfig load(Path file) throws ConfigException {
        String text;
        try {
            if (Files.size(file) > 1 << 20) {
                throw new ConfigException(file + ": larger than 1 MiB; is this the right file?");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), base);
    }

    static ServerConfig parse(String yaml, String name, Path base) throws ConfigException {
        LoadSettings settings = LoadSettings.builder()
                .setSchema(new JsonSchema())
                .setMaxAliasesForCollections(10)
                .setAllowDuplicateKeys(false)
                .setCodePointLimit(1 << 20)
                .setLabel(name)
                .build();
        Object doc;
        try {
            doc = BoundedYaml.load(settings, yaml);
        } catch (YamlEngineException e) {
            throw new ConfigException(name + ": invalid YAML: " + e.getMessage());
        }
        if (doc == null) {
            return defaults();
        }
        Section root = new Section(name, "", asMap(doc, name, "(top level)"));
        root.allow(
                "data",
                "bind",
                "port",
                "wal",
                "pipeline",
                "http",
                "retention_days",
                "rules",
                "metadata",
                "syslog",
                "tail",
                "attack",
                "intel",
                "notifications",
                "public_url",
                "incidents");
        ServerConfig d = defaults();
        Section wal = root.section("wal");
        wal.allow("fsync", "fsync_interval_ms", "segment_mb");
        Section pipe = root.section("pipeline");
        pipe.allow(
                "batch_size",
                "max_pending",
                "retry_after_seconds",
                "compact_interval_minutes",
                "match_threads",
                "max_lag_ms",
                "linger_ms");
        Section http = root.section("http");
        http.allow("max_body_mb", "idle_timeout_seconds");
        Section rules = root.section("rules");
        rules.allow("builtin", "paths", "pipeline");
        Section meta = root.section("metadata");
        meta.allow("postgres");
        Postgres postgres = null;
        if (meta.has("postgres")) {
            Section pg = meta.section("postgres");
            pg.allow("url", "user", "password");
            postgres = new Postgres(pg.requiredString("url"), pg.string("user", null), pg.string("password", null));
        }
        String fsync = wal.string("fsync", "always");
        Fsync policy;
        try {
            policy = Fsync.valueOf(fsync.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(wal.where("fsync") + ": must be always, interval or never, not '" + fsync + "'");
        }
        List<SyslogInput> syslog = new ArrayList<>();
        for (Section s : root.list("syslog")) {
            s.allow("protocol", "bind", "port", "tenant", "keystore", "keystore_password");
            String protocol = s.requiredString("protocol").toLowerCase(java.util.Locale.ROOT);
            if (!Set.of("udp", "tcp", "tls").contains(protocol)) {
                throw new ConfigException(s.where("protocol") + ": must be udp, tcp or tls, not '" + protocol + "'");
            }
            String keystore = s.string("keystore", null);
            if (protocol.equals("tls") && keystore == null) {
                throw new ConfigException(s.where("keystore") + ": a tls input needs a PKCS12 keystore");
            }
            syslog.add(new SyslogInput(
                    protocol,
                    s.string("bind", "127.0.0.1"),
                    s.integer("port", -1, 0, 65535),
                    s.requiredString("tenant"),
                    keystore == null ? null : base.resolve(keystore),
                    s.string("keystore_password", "")));
        }
        List<TailInput> tail = new ArrayList<>();
        for (Section s : root.list("tail")) {
            s.allow("path", "tenant", "format");
            tail.add(new TailInput(
                    base.resolve(s.requiredString("path")), s.requiredString("tenant"), s.string("format", null)));
        }
        List<Path> rulePaths = new ArrayList<>();
        for (String p : rules.strings("paths")) {
            rulePaths.add(base.resolve(p));
        }
        String rulePipeline = rules.string("pipeline", null);
        Section attack = root.section("attack");
        attack.allow("bundle");
        String bundle = attack.string("bundle", null);
        Section intel = root.section("intel");
        intel.allow("retro_hunt_days", "feeds");
        List<IntelFeed> feeds = new ArrayList<>();
        Set<String> feedNames = new java.util.HashSet<>();
        for (Section f : intel.list("feeds")) {
            f.allow("name", "type", "url", "interval_minutes", "tenant", "token", "user", "password", "csv");
            String feedName = f.requiredString("name");
            if (!feedNames.add(feedName)) {
                throw new ConfigException(f.where("name") + ": another feed is already named '" + feedName + "'");
            }
            String type = f.requiredString("type").toLowerCase(java.util.Locale.ROOT);
            if (!Set.of("taxii", "stix", "misp", "misp-event", "csv").contains(type)) {
                throw new ConfigException(
                        f.where("type") + ": must be taxii, stix, misp, misp-event or csv, not '" + type + "'");
            }
            String url = f.requiredString("url");
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw new ConfigException(f.where("url") + ": must be an http or https URL");
            }
            String csv = f.string("csv", "feodo");
            if (!csv.equals("feodo") && !csv.matches("plain:[a-z_0-9]+")) {
                throw new ConfigException(f.where("csv") + ": feodo or plain:TYPE (plain:ipv4, plain:domain ...)");
            }
            feeds.add(new IntelFeed(
                    feedName,
                    type,
                    url,
                    Duration.ofMinutes(f.integer("interval_minutes", 60, 1, 10_080)),
                    f.string("tenant", null),
                    f.string("token", null),
                    f.string("user", null),
                    f.string("password", null),
                    csv));
        }
        NotificationsConfig notifications = null;
        if (root.has("notifications")) {
            try {
                notifications =
                        NotificationsConfig.parse(root.values().get("notifications"), name + ": notifications", base);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        Section incidentSection = root.section("incidents");
        incidentSection.allow("window_hours", "risk_threshold", "critical_opens_at_once", "max_hosts_per_entity");
        IncidentConfig incidents = IncidentConfig.defaults().toBuilder()
                .window(Duration.ofHours(incidentSection.integer("window_hours", 24, 1, 24 * 30)))
                .riskThreshold(incidentSection.integer("risk_threshold", 100, 1, 100_000))
                .criticalOpensAtOnce(incidentSection.bool("critical_opens_at_once", true))
                .maxHostsPerEntity(incidentSection.integer("max_hosts_per_entity", 20, 1, 100_000))
                .build();
        String publicUrl = root.string("public_url", null);
        if (publicUrl != null && !publicUrl.startsWith("https://") && !publicUrl.startsWith("http://")) {
            throw new ConfigException(name + ": public_url: must be an http or https URL");
        }
        return new ServerConfig(
                base.resolve(root.string("data", d.data().toString())),
                root.string("bind", d.bind()),
                root.integer("port", d.port(), 0, 65535),
                new Wal(
                        policy,
                        Duration.ofMillis(wal.integer("fsync_interval_ms", 20, 1, 10_000)),
                        (long) wal.integer("segment_mb", 64, 1, 4096) << 20),
                new Pipeline(
                        pipe.integer("batch_size", d.pipeline().batchSize(), 1, 100_000),
                        pipe.integer("max_pending", (int) d.pipeline().maxPending(), 1000, Integer.MAX_VALUE),
                        Duration.ofSeconds(pipe.integer("retry_after_seconds", 2, 1, 3600)),
                        Duration.ofMinutes(pipe.integer("compact_interval_minutes", 10, 1, 1440)),
                        pipe.integer("match_threads", d.pipeline().matchThreads(), 1, 256),
                        Duration.ofMillis(pipe.integer(
                                "max_lag_ms", (int) d.pipeline().maxLag().toMillis(), 0, 3_600_000)),
                        Duration.ofMillis(pipe.integer(
                                "linger_ms", (int) d.pipeline().linger().toMillis(), 0, 10_000))),
                new Http(
                        (long) http.integer("max_body_mb", 16, 1, 1024) << 20,
                        Duration.ofSeconds(http.integer("idle_timeout_seconds", 30, 1, 3600))),
                root.integer("retention_days", d.retentionDays(), 1, 36_500),
                new Rules(
                        rules.bool("builtin", true),
                        rulePaths,
                        rulePipeline == null ? null : base.resolve(rulePipeline)),
                postgres,
                syslog,
                tail,
                new Attack(bundle == null ? null : base.resolve(bundle)),
                new Intel(intel.integer("retro_hunt_days", d.intel().retroHuntDays(), 0, 3650), feeds),
                notifications,
                publicUrl,
                incidents);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o, String file, String where) throws ConfigException {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new ConfigException(file + ": " + where + " must be a mapping");
    }

    /** One mapping of the file, with the path of keys that leads to it for error messages. */
    private record Section(String file, String path, Map<String, Object> values) {
        String where(String key) {
            return file + ": " + (path.isEmpty() ? key : path + "." + key);
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        void allow(String... keys) throws ConfigException {
            Set<String> allowed = Set.of(keys);
            for (String k : values.keySet()) {
                if (!allowed.contains(k)) {
                    throw new ConfigException(where(k) + ": unknown key (known: " + String.join(", ", keys) + ")");
                }
            }
        }

        Section section(String key) throws ConfigException {
            Object v = values.get(key);
            if (v == null) {
                return new Section(file, childPath(key), Map.of());
            }
            return new Section(file, childPath(key), asMap(v, file, childPath(key)));
        }

        List<Section> list(String key) throws ConfigException {
            Object v = values.get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> l)) {
                throw new ConfigException(where(key) + ": must be a list");
            }
            List<Section> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                String p = childPath(key) + "[" + i + "]";
                out.add(new Section(file, p, asMap(l.get(i), file, p)));
            }
            return out;
        }

        private String childPath(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        String string(String key, String dflt) throws ConfigException {
            Object v = values.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                throw new ConfigException(where(key) + ": must be a single value");
            }
            return String.valueOf(v);
        }

        String requiredString(String key) throws ConfigException {
            String s = string(key, null);
            if (s == null || s.isBlank()) {
                throw new ConfigException(where(key) + ": required");
            }
            return s;
        }

        List<String> strings(String key) throws ConfigException {
            Object v = values.get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> l)) {
                throw new ConfigException(where(key) + ": must be a list");
            }
            List<String> out = new ArrayList<>();
            l.forEach(o -> out.add(String.valueOf(o)));
            return out;
        }

        int integer(String key, int dflt, int min, int max) throws ConfigException {
            Object v = values.get(key);
            if (v == null) {
                if (dflt < min) {
                    throw new ConfigException(where(key) + ": required");
                }
                return dflt;
            }
            if (!(v instanceof Number n) || n.longValue() != n.doubleValue()) {
                throw new ConfigException(where(key) + ": must be a whole number, not '" + v + "'");
            }
            long l = n.longValue();
            if (l < min || l > max) {
                throw new ConfigException(where(key) + ": must be between " + min + " and " + max + ", not " + l);
            }
            return (int) l;
        }

        boolean bool(String key, boolean dflt) throws ConfigException {
            Object v = values.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            throw new ConfigException(where(key) + ": must be true or false, not '" + v + "'");
        }
    }

    /** A configuration that cannot be used; the message names the file and the key. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }

    /** For diagnostics: the effective configuration without secrets. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data.toString());
        m.put("bind", bind);
        m.put("port", port);
        m.put("fsync", wal.fsync().name().toLowerCase(java.util.Locale.ROOT));
        m.put("metadata", postgres == null ? "sqlite" : "postgresql");
        m.put("syslog_inputs", syslog.size());
        m.put("tail_inputs", tail.size());
        return m;
    }
}
