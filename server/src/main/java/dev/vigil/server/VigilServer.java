package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.attack.AttackKnowledgeBase;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.incidents.SlaPolicy;
import dev.vigil.meta.MetadataConfig;
import dev.vigil.meta.MetadataStore;
import dev.vigil.rules.BuiltinRulePack;
import dev.vigil.sigma.FieldMapping;
import dev.vigil.sigma.LoadReport;
import dev.vigil.sigma.SigmaException;
import dev.vigil.sigma.SigmaRuleSet;
import dev.vigil.sigma.correlation.CorrelationEngine;
import dev.vigil.store.EventStore;
import dev.vigil.wal.FsyncPolicy;
import dev.vigil.wal.WalConfig;
import dev.vigil.wal.WriteAheadLog;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Vigil server: metadata, write-ahead log, store, pipeline, HTTP API and the configured network and file inputs,
 * started in that order and closed in the reverse.
 *
 * <p>The data directory holds everything: {@code metadata.db} (unless PostgreSQL is configured), {@code wal/}, {@code
 * events.duckdb} and {@code events/} (Parquet partitions), and {@code checkpoints/} of tailed files.
 */
public final class VigilServer implements AutoCloseable {
    /**
     * The backlog always allowed, whatever the drain rate says (and all that is allowed before the pipeline has stored
     * a batch): a floor small enough that {@code max_lag_ms} still bounds the wait at a slow drain rate, since the
     * batch size (up to 10,000) is a ceiling for busy times, not a quantum.
     */
    private static final long MIN_ALLOWED_PENDING = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(VigilServer.class);

    private final ServerConfig config;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final MetadataStore meta;
    private final WriteAheadLog wal;
    private final EventStore store;
    private final Pipeline pipeline;
    private final DurableIngest ingest;
    private final Javalin http;
    private final ServerMetrics metrics;
    private final Inputs inputs;
    private final ScheduledExecutorService maintenance;
    private final LoadReport ruleReport;
    private final IncidentService incidents;
    private final IntelService intel;
    private IntelFeeds feeds;
    private ScheduledExecutorService feedPulls;

    private VigilServer(ServerConfig config, Clock clock) throws IOException, SigmaException {
        this.config = requireNonNull(config, "config");
        Path data = config.data();
        Files.createDirectories(data);
        metrics = new ServerMetrics();
        try {
            meta = MetadataStore.open(
                    config.postgres() == null
                            ? MetadataConfig.sqlite(data.resolve("metadata.db"))
                            : MetadataConfig.postgres(
                                    config.postgres().url(),
                                    config.postgres().user(),
                                    config.postgres().password()));
            resources.add(meta);
            wal = WriteAheadLog.open(data.resolve("wal"), walConfig(config.wal()));
            resources.add(wal);
            LOG.info("write-ahead log: {}", wal.recovery());
            store = EventStore.open(data, p -> LOG.warn("{}", p), EventStore.Threading.CONCURRENT);
            resources.add(store);

            intel = new IntelService(meta, store, Duration.ofDays(config.intel().retroHuntDays()), clock);
            intel.load();
            SigmaRuleSet rules = loadRules(config.rules());
            ruleReport = rules.report();
            LOG.info("rules: {} loaded, {} failed", ruleReport.loaded(), ruleReport.failed());
            ProblemSink warnings = p -> LOG.warn("{}", p);
            FieldMapping mapping = mapping(config.rules());
            TenantDetection detection = new TenantDetection(rules, mapping, settings(meta), clock, warnings);
            EventHandoff handoff = EventHandoff.forHeap(Runtime.getRuntime().maxMemory());
            pipeline = new Pipeline(
                    wal,
                    store,
                    detection,
                    new ParallelMatcher(rules, config.pipeline().matchThreads(), handoff),
                    metrics,
                    config.pipeline().batchSize(),
                    config.pipeline().linger(),
                    Duration.ofMinutes(15),
                    2_000_000,
                    List.of(intelDetector(intel)));
            resources.add(pipeline);
            ingest = new DurableIngest(
                    wal,
                    pipeline::pending,
                    config.pipeline().maxPending(),
                    pipeline::drainRate,
                    config.pipeline().maxLag(),
                    Math.min(config.pipeline().batchSize(), MIN_ALLOWED_PENDING),
                    metrics,
                    clock,
                    handoff);
            DurableIngest admission = ingest;
            Pipeline lingering = pipeline;
            pipeline.stopLingeringWhen(() -> lingering.pending() >= admission.allowedPending());
            metrics.counter(
                    "vigil_pipeline_events_handed_over",
                    "events the pipeline took from the inputs in memory instead of decoding their log records",
                    handoff::taken);
            metrics.counter(
                    "vigil_pipeline_records_decoded",
                    "log records the pipeline decoded: replayed after a start, or their events were not held in memory",
                    handoff::missed);
            metrics.gauge(
                    "vigil_pipeline_drain_rate",
                    "events per second the pipeline stores while it has work",
                    pipeline::drainRate);
            metrics.gauge(
                    "vigil_pipeline_allowed_pending",
                    "acknowledged events allowed to wait before inputs are slowed or refused",
                    ingest::allowedPending);
            correlationMetrics(metrics, detection);
            metrics.gauge("vigil_queue_depth", "acknowledged events waiting for the pipeline", pipeline::pending);
            metrics.counter(
                    "vigil_sigma_events_uncached_route",
                    "events whose log source found no cached rule route (too many distinct log sources) and met every"
                            + " rule, checked one by one",
                    rules::eventsOnUncachedRoute);
            metrics.gauge("vigil_wal_last_sequence", "last sequence in the write-ahead log", wal::lastSequence);
            incidents = new IncidentService(config.incidents(), meta, store, clock);
            incidents.warmUp();
            pipeline.onAlerts(incidents);
            intel.onRetroHuntAlerts(incidents);
            if (config.notifications() != null) {
                NotificationService notifications = new NotificationService(
                        config.notifications()
                                .start(
                                        NotificationService.metricsListener(metrics),
                                        clock,
                                        p -> LOG.warn("notifications: {}", p)),
                        config.linkBase());
                resources.add(notifications);
                pipeline.onAlerts(notifications.alertListener());
                intel.onRetroHuntAlerts(incidents.andThen(notifications.alertListener()));
                incidents.onUpdate(notifications.incidentListener());
            }
            pipeline.start();

            inputs = new Inputs(config, meta, ingest, data.resolve("checkpoints"), metrics);
            resources.add(inputs);
            Optional<AttackKnowledgeBase> attack = loadAttack(config.attack());
            IncidentGraphs incidentGraphs = new IncidentGraphs(store, SlaPolicy.defaults());
            List<ApiRoutes> routes = List.of(
                    new AttackRoutes(attack, rules.rules(), meta),
                    new IncidentRoutes(incidents, incidentGraphs, clock),
                    new IntelRoutes(intel, config.http().maxBodyBytes(), clock),
                    taxiiRoutes(meta));
            HttpApi api =
                    new HttpApi(meta, store, ingest, pipeline, rules.rules(), metrics, config, clock, routes, attack);
            List<dev.vigil.sigma.RuleRef> ruleRefs = rules.rules();
            feeds = new IntelFeeds(config.intel().feeds(), intel, meta, clock);
            dev.vigil.console.ConsoleServices consoleServices = new dev.vigil.console.ConsoleServices(
                    store,
                    meta,
                    () -> ruleRefs,
                    new StoredRate(metrics::storedTotal, pipeline::pending, clock),
                    clock,
                    incidentGraphs,
                    ConsoleViews.intel(intel, config.intel().feeds(), () -> feeds),
                    () -> attack.orElse(null),
                    ConsoleViews.settings(config, this::port, this::syslogPorts));
            http = api.create(cfg -> dev.vigil.console.Console.register(cfg, consoleServices));
            http.start();
            resources.add(http::stop);
            inputs.start();

            maintenance = Executors.newSingleThreadScheduledExecutor(r ->
                    Thread.ofPlatform().name("vigil-maintenance").daemon(true).unstarted(r));
            long every = config.pipeline().compactInterval().toSeconds();
            maintenance.scheduleWithFixedDelay(() -> maintain(clock), every, every, TimeUnit.SECONDS);
            maintenance.scheduleWithFixedDelay(this::closeQuietIncidents, 60, 60, TimeUnit.SECONDS);
            maintenance.scheduleWithFixedDelay(this::refreshIntel, 2, 2, TimeUnit.SECONDS);
            feedPulls = Executors.newSingleThreadScheduledExecutor(r ->
                    Thread.ofPlatform().name("vigil-intel-feeds").daemon(true).unstarted(r));
            feeds.schedule(feedPulls);
            resources.add(feedPulls::shutdownNow);
            resources.add(maintenance::shutdownNow);
        } catch (IOException | SigmaException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Starts a server; returns when it is listening. */
    public static VigilServer start(ServerConfig config) throws IOException, SigmaException {
        return new VigilServer(config, Clock.systemUTC());
    }

    /** The HTTP port actually bound (useful with port 0). */
    public int port() {
        return http.port();
    }

    public ServerConfig config() {
        return config;
    }

    public MetadataStore metadata() {
        return meta;
    }

    public LoadReport ruleReport() {
        return ruleReport;
    }

    IntelService intel() {
        return intel;
    }

    /** The configured intel feeds (pulled on their schedules; tests pull on demand). */
    IntelFeeds intelFeeds() {
        return feeds;
    }

    /** The bound ports of the syslog inputs, in configuration order. */
    public List<Integer> syslogPorts() {
        return inputs.syslogPorts();
    }

    /** Waits until every event acknowledged so far is stored; false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return pipeline.awaitApplied(wal.lastSequence(), timeout);
    }

    /** Sends the events of the built-in attack scenario to {@code tenant}, moved so they end now. */
    public int replayDemo(dev.vigil.core.TenantId tenant) throws InterruptedException {
        List<dev.vigil.core.Event> events = DemoScenario.events(tenant, Instant.now());
        if (ingest.append("demo", events, Duration.ofSeconds(30)) < 0) {
            throw new IllegalStateException("the pipeline refused the demo events");
        }
        return events.size();
    }

    /** Vigil's indicators shared over TAXII 2.1 at {@code /taxii2/}. */
    private static ApiRoutes taxiiRoutes(MetadataStore meta) {
        IndicatorTaxiiCollections collections = new IndicatorTaxiiCollections(meta);
        return (routes, api) -> dev.vigil.taxii.TaxiiServer.register(
                routes, collections, collections.authenticator(), dev.vigil.taxii.TaxiiServer.Options.defaults());
    }

    private static EventDetector intelDetector(IntelService intel) {
        return new EventDetector() {
            @Override
            public List<dev.vigil.core.alert.Alert> detect(dev.vigil.core.Event event, long seq, Instant received) {
                return intel.alerts(event, seq, received);
            }
        };
    }

    private void refreshIntel() {
        try {
            intel.refreshIfChanged();
        } catch (RuntimeException e) {
            LOG.warn("reloading threat intel failed; will retry", e);
        }
    }

    private void closeQuietIncidents() {
        try {
            incidents.advance();
        } catch (RuntimeException e) {
            LOG.warn("closing quiet incidents failed; will retry", e);
        }
    }

    private void maintain(Clock clock) {
        try {
            Instant now = clock.instant();
            store.compact(now.truncatedTo(java.time.temporal.ChronoUnit.DAYS));
            for (var t : meta.tenants()) {
                store.applyRetention(t.id(), Duration.ofDays(t.retentionDays()), now);
            }
        } catch (RuntimeException e) {
            LOG.warn("maintenance (compaction, retention) failed; will retry", e);
        }
    }

    private static WalConfig walConfig(ServerConfig.Wal w) {
        FsyncPolicy policy = switch (w.fsync()) {
            case ALWAYS -> FsyncPolicy.always();
            case INTERVAL -> FsyncPolicy.interval(w.fsyncInterval());
            case NEVER -> FsyncPolicy.never();
        };
        return WalConfig.defaults().withFsyncPolicy(policy).withSegmentBytes(w.segmentBytes());
    }

    /** The ATT&amp;CK knowledge base of {@code attack.bundle}; its problems are logged, an unreadable file is fatal. */
    static Optional<AttackKnowledgeBase> loadAttack(ServerConfig.Attack a) throws IOException {
        if (a.bundle() == null) {
            LOG.info("no ATT&CK bundle configured (attack.bundle): techniques are shown by id only");
            return Optional.empty();
        }
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(a.bundle()))) {
            AttackKnowledgeBase kb =
                    AttackKnowledgeBase.load(in, a.bundle().toString(), p -> LOG.warn("ATT&CK bundle: {}", p));
            LOG.info(
                    "ATT&CK {}: {} tactics, {} techniques from {}",
                    kb.version(),
                    kb.tactics().size(),
                    kb.techniques().size(),
                    a.bundle());
            return Optional.of(kb);
        } catch (dev.vigil.attack.AttackBundleException e) {
            throw new IOException(a.bundle() + ": not a usable ATT&CK bundle: " + e.getMessage(), e);
        }
    }

    /**
     * Correlation losses as counters: the log has only the first skip of each kind per correlation and tenant, so a
     * steady loss (a sender without times, a group-by field that never comes) shows here.
     */
    private static void correlationMetrics(ServerMetrics metrics, TenantDetection detection) {
        for (CorrelationEngine.SkipReason reason : CorrelationEngine.SkipReason.values()) {
            metrics.counter(
                    "vigil_correlation_events_skipped",
                    "events a correlation left out, by reason (all tenants)",
                    "reason",
                    reason.label(),
                    () -> detection.correlationSkipped(reason));
        }
        metrics.counter(
                "vigil_correlation_groups_evicted",
                "correlation groups evicted to stay within bounds: the most groups of a correlation, or the most"
                        + " entries of a tenant's windows (all tenants)",
                detection::correlationGroupsEvicted);
        metrics.counter(
                "vigil_correlation_events_ahead_of_clock",
                "events stamped further ahead of the server's clock than allowed; they count, but do not move the"
                        + " correlation watermark past the clock (all tenants)",
                detection::eventsAheadOfClock);
    }

    static SigmaRuleSet loadRules(ServerConfig.Rules r) throws SigmaException {
        SigmaRuleSet.Builder b = SigmaRuleSet.builder().fieldMapping(mapping(r));
        if (r.builtin()) {
            BuiltinRulePack.addTo(b);
        }
        for (Path p : r.paths()) {
            b.add(p);
        }
        SigmaRuleSet set = b.build();
        for (Problem p : set.report().errors()) {
            LOG.warn("rule not loaded: {}", p);
        }
        return set;
    }

    private static FieldMapping mapping(ServerConfig.Rules r) throws SigmaException {
        if (r.pipeline() == null) {
            return FieldMapping.identity();
        }
        String yaml;
        try {
            if (Files.size(r.pipeline()) > 4L << 20) {
                throw new SigmaException(r.pipeline() + ": a pipeline file larger than 4 MiB");
            }
            yaml = Files.readString(r.pipeline(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SigmaException("cannot read pipeline file " + r.pipeline() + ": " + e.getMessage(), e);
        }
        return FieldMapping.fromPipelineYaml(yaml, r.pipeline().toString());
    }

    private static TenantDetection.TenantSettings settings(MetadataStore meta) {
        return new TenantDetection.TenantSettings() {
            @Override
            public long version(dev.vigil.core.TenantId tenant) {
                return meta.settingsVersion(tenant);
            }

            @Override
            public java.util.Set<String> disabledRules(dev.vigil.core.TenantId tenant) {
                return meta.disabledRules(tenant);
            }

            @Override
            public Map<String, String> filters(dev.vigil.core.TenantId tenant) {
                return meta.filters(tenant);
            }
        };
    }

    private void closeQuietly() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("while closing", e);
            }
        }
        resources.clear();
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
