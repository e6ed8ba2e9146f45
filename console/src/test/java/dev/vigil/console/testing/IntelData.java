package dev.vigil.console.testing;

import dev.vigil.console.IntelView;
import dev.vigil.console.Masking;
import dev.vigil.console.SettingsView;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.DetectorKind;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorIndex;
import dev.vigil.intel.IndicatorLookup;
import dev.vigil.intel.IndicatorSource;
import dev.vigil.intel.IndicatorType;
import dev.vigil.intel.IndicatorValues;
import dev.vigil.intel.IntelReferences;
import dev.vigil.intel.Tlp;
import dev.vigil.store.EventStore;
import dev.vigil.store.StoreBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Threat intelligence and settings for console tests: global indicators, each tenant's own (globex's must never show
 * in acme), hostile text in acme's indicators, feeds, inputs and notification routes of both tenants, with secrets in
 * the configured URLs that the pages must not show, and an indicator-match alert per tenant.
 */
public final class IntelData {
    /** A secret inside configured URLs; no page may contain it. */
    public static final String SECRET = "S3CRET-T0KEN";

    public static final String GLOBEX_DOMAIN = "globex-secret.example";
    public static final String GLOBEX_FEED = "globex-only-feed";
    public static final String GLOBEX_LOG = "/var/log/globex-secret.log";
    public static final String HOSTILE_TAG = "<img src=x onerror=alert('xss-indicator-tag')>";
    public static final String HOSTILE_DESCRIPTION = "<script>alert('xss-indicator-description')</script>";
    /** A file-name indicator whose value carries markup. */
    public static final String HOSTILE_FILE = "\"><svg onload=alert('xss-indicator-value')>.exe";

    private IntelData() {}

    public static IndicatorLookup indicators(Instant now) {
        TenantId acme = ConsoleFixture.ACME;
        TenantId globex = ConsoleFixture.GLOBEX;
        IndicatorSource feodo = new IndicatorSource("abuse-feodo", "line-12", 80, now.minus(Duration.ofDays(3)), null);
        IndicatorSource partner = new IndicatorSource("acme-partner", "bundle--1", 95, null, null);
        IndicatorSource secretFeed = new IndicatorSource(GLOBEX_FEED, "", -1, null, null);
        return IndicatorIndex.builder()
                .add(indicator(IndicatorType.IPV4, "203.0.113.7", feodo)
                        .tlp(Tlp.GREEN)
                        .tags(Set.of("botnet", "c2"))
                        .references(new IntelReferences(Set.of("T1071.001"), Set.of("Emotet"), Set.of(), Set.of()))
                        .validFrom(now.minus(Duration.ofDays(10)))
                        .description("Emotet command-and-control server")
                        .build())
                .add(indicator(IndicatorType.CIDR, "198.51.100.0/24", feodo)
                        .tlp(Tlp.AMBER)
                        .build())
                .add(indicator(IndicatorType.DOMAIN, "evil.example", feodo)
                        .tlp(Tlp.CLEAR)
                        .validUntil(now.minus(Duration.ofDays(1)))
                        .build())
                .add(indicator(
                                IndicatorType.SHA256,
                                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                                partner)
                        .tenant(acme)
                        .tlp(Tlp.RED)
                        .tags(Set.of("ransomware", HOSTILE_TAG))
                        .references(new IntelReferences(Set.of("T1486"), Set.of("LockBit"), Set.of(), Set.of("FIN7")))
                        .description(HOSTILE_DESCRIPTION)
                        .build())
                .add(indicator(IndicatorType.FILE_NAME, HOSTILE_FILE, partner)
                        .tenant(acme)
                        .tlp(Tlp.AMBER_STRICT)
                        .tags(Set.of(HOSTILE_TAG))
                        .build())
                .add(indicator(IndicatorType.DOMAIN, GLOBEX_DOMAIN, secretFeed)
                        .tenant(globex)
                        .tlp(Tlp.RED)
                        .build())
                .build();
    }

    private static Indicator.Builder indicator(IndicatorType type, String raw, IndicatorSource source) {
        return Indicator.builder(type, IndicatorValues.normalize(type, raw), source);
    }

    public static List<IntelView.Feed> feeds(Instant now) {
        return List.of(
                new IntelView.Feed(
                        "abuse-feodo",
                        "csv",
                        Masking.url("https://reader:" + SECRET + "@feeds.example/feodo/ipblocklist.csv?key=" + SECRET),
                        null,
                        Duration.ofHours(1),
                        now.minus(Duration.ofMinutes(12)),
                        "imported",
                        3,
                        1,
                        ""),
                new IntelView.Feed(
                        "acme-partner",
                        "taxii",
                        Masking.url("https://taxii.partner.example/api1/collections/91a7b528/"),
                        "acme",
                        Duration.ofMinutes(30),
                        null,
                        "",
                        0,
                        0,
                        ""),
                new IntelView.Feed(
                        GLOBEX_FEED,
                        "stix",
                        Masking.url("https://globex.example/intel.json"),
                        "globex",
                        Duration.ofHours(6),
                        now.minus(Duration.ofHours(2)),
                        "failed",
                        0,
                        0,
                        "HTTP 503 from globex.example"));
    }

    public static SettingsView settings() {
        List<SettingsView.Input> inputs = List.of(
                new SettingsView.Input("http", "127.0.0.1", 8080, false, "", "/api/v1, console /"),
                new SettingsView.Input("hec", "127.0.0.1", 8080, false, "", "/services/collector"),
                new SettingsView.Input("syslog-tls", "0.0.0.0", 6514, true, "acme", ""),
                new SettingsView.Input("syslog-udp", "0.0.0.0", 5514, false, "globex", ""),
                new SettingsView.Input("file", GLOBEX_LOG, 0, false, "globex", "syslog"));
        List<SettingsView.Channel> channels = List.of(
                new SettingsView.Channel(
                        "soc-webhook", "webhook", Masking.origin("https://hooks.example/" + SECRET + "?sig=1"), true),
                new SettingsView.Channel(
                        "globex-robot",
                        "dingtalk",
                        Masking.origin("https://oapi.dingtalk.com/robot/send?access_token=" + SECRET),
                        true));
        List<SettingsView.Route> routes = List.of(
                new SettingsView.Route(
                        "high-to-soc", List.of(), "high", List.of(), List.of(), List.of("soc-webhook"), "en"),
                new SettingsView.Route(
                        "globex-robot-route",
                        List.of("globex"),
                        "medium",
                        List.of("r-*"),
                        List.of("alert"),
                        List.of("globex-robot"),
                        "zh-CN"));
        return new SettingsView() {
            @Override
            public List<Input> inputs() {
                return inputs;
            }

            @Override
            public List<Channel> channels() {
                return channels;
            }

            @Override
            public List<Route> routes() {
                return routes;
            }
        };
    }

    /** One indicator-match alert per tenant: acme's on 203.0.113.7, globex's on its own domain. */
    public static void writeMatches(EventStore store, Instant now, long seq) {
        Alert acme = Alert.builder()
                .id("acme-intel-1")
                .tenant(ConsoleFixture.ACME)
                .time(now.minus(Duration.ofMinutes(5)))
                .detectorKind(DetectorKind.INTEL)
                .detector("intel:ipv4:203.0.113.7", "Known Emotet C2 address 203.0.113.7")
                .severity(Severity.HIGH)
                .entity(EntityType.IP, "203.0.113.7")
                .techniques(List.of("T1071.001"))
                .evidence(1L)
                .detail("field", "IpAddress")
                .detail("value", "203.0.113.7")
                .build();
        Alert globex = Alert.builder()
                .id("globex-intel-1")
                .tenant(ConsoleFixture.GLOBEX)
                .time(now.minus(Duration.ofMinutes(5)))
                .detectorKind(DetectorKind.INTEL)
                .detector("intel:domain:" + GLOBEX_DOMAIN, "Known domain " + GLOBEX_DOMAIN)
                .severity(Severity.HIGH)
                .evidence(2L)
                .detail("field", "dns.question.name")
                .detail("value", GLOBEX_DOMAIN)
                .build();
        store.write(new StoreBatch(List.of(), List.of(acme, globex), seq));
    }
}
