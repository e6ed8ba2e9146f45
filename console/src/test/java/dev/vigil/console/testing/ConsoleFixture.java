package dev.vigil.console.testing;

import dev.vigil.attack.AttackKnowledgeBase;
import dev.vigil.console.Console;
import dev.vigil.console.ConsoleServices;
import dev.vigil.console.IntelView;
import dev.vigil.console.Passwords;
import dev.vigil.console.PipelineStats;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.testing.Corpus;
import dev.vigil.incidents.Incident;
import dev.vigil.incidents.IncidentConfig;
import dev.vigil.incidents.IncidentEngine;
import dev.vigil.incidents.IncidentUpdate;
import dev.vigil.incidents.SlaPolicy;
import dev.vigil.intel.IndicatorLookup;
import dev.vigil.meta.ConsoleAccounts;
import dev.vigil.meta.ConsoleRole;
import dev.vigil.meta.MetadataConfig;
import dev.vigil.meta.MetadataStore;
import dev.vigil.store.EventStore;
import io.javalin.Javalin;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real console on a loopback port: Javalin, an {@link EventStore} (DuckDB in a directory) and a {@link
 * MetadataStore} (SQLite) seeded with two tenants, one user of every role, demo events with alerts (plus hostile
 * ones in {@code acme}), and incidents grouped by the real engine: one attack per tenant ({@link
 * DemoData#writeAttack}) and, in acme, the incident of the hostile critical alert.
 *
 * <p>Users (all with {@link #PASSWORD}): {@code admin} platform administrator; {@code olga} provider operator of acme
 * and globex; {@code ted} tenant administrator, {@code alice} analyst and {@code vera} viewer of acme; {@code bob}
 * analyst of globex.
 */
public final class ConsoleFixture implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery";
    public static final TenantId ACME = TenantId.of("acme");
    public static final TenantId GLOBEX = TenantId.of("globex");
    public static final Instant NOW = Instant.parse("2026-05-04T10:00:00Z");

    public final MutableClock clock = new MutableClock(NOW);
    public final EventStore events;
    public final MetadataStore meta;
    /** The incident of {@link DemoData#writeAttack} in acme, and in globex. */
    public final String acmeIncident;

    public final String globexIncident;
    /** The incident opened by the hostile critical alert of {@link DemoData#writeHostile}. */
    public final String hostileIncident;
    /** The alerts of the attack in acme, in time order. */
    public final List<Alert> acmeAttackAlerts;

    public final List<Alert> globexAttackAlerts;

    private final Javalin app;

    private ConsoleFixture(Path dir, int eventsPerTenant) {
        events = EventStore.open(dir.resolve("store"));
        meta = MetadataStore.open(MetadataConfig.sqlite(dir.resolve("metadata.db")), clock);
        try {
            meta.createTenant(ACME.value());
            meta.createTenant(GLOBEX.value());
            // Cheap hashing parameters: the tests exercise the format and the checks, not Argon2's cost.
            Passwords passwords = new Passwords(new Passwords.Parameters(1024, 1, 1));
            ConsoleAccounts accounts = new ConsoleAccounts(meta);
            String hash = passwords.hash(PASSWORD);
            accounts.createUser("admin", hash, ConsoleRole.PLATFORM_ADMIN, Set.of(), "en");
            accounts.createUser("olga", hash, ConsoleRole.PROVIDER_OPERATOR, Set.of(ACME, GLOBEX), "en");
            accounts.createUser("ted", hash, ConsoleRole.TENANT_ADMIN, Set.of(ACME), "en");
            accounts.createUser("alice", hash, ConsoleRole.ANALYST, Set.of(ACME), "en");
            accounts.createUser("vera", hash, ConsoleRole.VIEWER, Set.of(ACME), "en");
            accounts.createUser("bob", hash, ConsoleRole.ANALYST, Set.of(GLOBEX), "en");
            long seq = DemoData.write(events, ACME, eventsPerTenant, NOW, Duration.ofHours(20), 1, 42);
            seq = DemoData.write(events, GLOBEX, eventsPerTenant, NOW, Duration.ofHours(20), seq, 43);
            seq = DemoData.writeHostile(events, ACME, NOW, seq);
            DemoData.Written acmeAttack = DemoData.writeAttack(events, ACME, NOW, Duration.ofHours(2), seq);
            DemoData.Written globexAttack =
                    DemoData.writeAttack(events, GLOBEX, NOW, Duration.ofHours(3), acmeAttack.nextSeq());
            acmeAttackAlerts = acmeAttack.alerts();
            globexAttackAlerts = globexAttack.alerts();
            List<Alert> toGroup = new ArrayList<>(acmeAttack.alerts());
            toGroup.addAll(globexAttack.alerts());
            toGroup.add(events.alert(ACME, "acme-hostile").orElseThrow().alert());
            Map<TenantId, List<String>> opened = groupIntoIncidents(toGroup);
            acmeIncident = opened.get(ACME).get(0);
            hostileIncident = opened.get(ACME).get(1);
            globexIncident = opened.get(GLOBEX).get(0);
            IntelData.writeMatches(events, NOW, globexAttack.nextSeq());
            AttackKnowledgeBase kb = attack();
            IndicatorLookup indicators = IntelData.indicators(NOW);
            List<IntelView.Feed> feeds = IntelData.feeds(NOW);
            ConsoleServices services = new ConsoleServices(
                    events,
                    meta,
                    () -> DemoData.RULES,
                    new PipelineStats() {
                        @Override
                        public double eventsPerSecond() {
                            return 1234.5;
                        }

                        @Override
                        public long queueDepth() {
                            return 17;
                        }
                    },
                    clock,
                    new EvidenceGraphs(events, SlaPolicy.defaults()),
                    new IntelView() {
                        @Override
                        public IndicatorLookup indicators() {
                            return indicators;
                        }

                        @Override
                        public List<Feed> feeds() {
                            return feeds;
                        }
                    },
                    () -> kb,
                    IntelData.settings());
            app = Javalin.create(cfg -> {
                        cfg.jetty.host = "127.0.0.1";
                        cfg.jetty.port = 0;
                        cfg.startup.showJavalinBanner = false;
                        Console.register(cfg, services);
                    })
                    .start();
        } catch (RuntimeException e) {
            events.close();
            meta.close();
            throw e;
        }
    }

    /**
     * Groups alerts with the real incidents engine and saves what it opens, as the server's incident service does;
     * returns the ids of the incidents opened per tenant, in order of opening.
     */
    private Map<TenantId, List<String>> groupIntoIncidents(List<Alert> alerts) {
        IncidentEngine engine = new IncidentEngine(IncidentConfig.defaults());
        Map<TenantId, List<String>> opened = new HashMap<>();
        Map<String, Incident> latest = new LinkedHashMap<>();
        List<Alert> ordered = new ArrayList<>(alerts);
        ordered.sort(Comparator.comparing(Alert::time).thenComparing(Alert::id));
        for (Alert a : ordered) {
            for (IncidentUpdate u : engine.process(a).updates()) {
                latest.put(u.incident().id(), u.incident());
                if (u.kind() == IncidentUpdate.Kind.OPENED) {
                    opened.computeIfAbsent(u.incident().tenant(), t -> new ArrayList<>())
                            .add(u.incident().id());
                }
            }
        }
        for (Incident i : latest.values()) {
            meta.incidents().save(i, NOW);
        }
        return opened;
    }

    /** Where the ATT&amp;CK bundle of the corpus is, relative to the corpus root. */
    public static final String ATTACK_BUNDLE = "attack/enterprise-attack-18.1.json";

    /**
     * The Enterprise ATT&amp;CK knowledge base from the corpus, or null when the corpus is absent (the tests that need
     * it call {@code Corpus.require(ATTACK_BUNDLE)} and skip or fail).
     */
    private static AttackKnowledgeBase attack() {
        Path bundle = Corpus.root().resolve(ATTACK_BUNDLE);
        if (!Files.isRegularFile(bundle)) {
            return null;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle))) {
            return AttackKnowledgeBase.load(in, bundle.toString(), p -> {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a console over {@code eventsPerTenant} demo events per tenant, its files in {@code dir}. */
    public static ConsoleFixture start(Path dir, int eventsPerTenant) {
        return new ConsoleFixture(dir, eventsPerTenant);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    @Override
    public void close() {
        app.stop();
        events.close();
        meta.close();
    }
}
