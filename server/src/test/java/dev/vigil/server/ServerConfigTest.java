package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    private static final Path BASE = Path.of("/etc/vigil");

    @Test
    void anEmptyFileMeansTheDefaults() throws Exception {
        ServerConfig c = ServerConfig.parse("", "vigil.yml", BASE);
        assertThat(c).isEqualTo(ServerConfig.defaults());
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.wal().fsync()).isEqualTo(ServerConfig.Fsync.ALWAYS);
    }

    @Test
    void everySectionIsRead() throws Exception {
        ServerConfig c = ServerConfig.parse("""
                data: data
                bind: 0.0.0.0
                port: 9000
                wal: {fsync: interval, fsync_interval_ms: 50, segment_mb: 8}
                pipeline: {batch_size: 100, max_pending: 5000, retry_after_seconds: 3, compact_interval_minutes: 5,
                           max_lag_ms: 750, linger_ms: 40}
                http: {max_body_mb: 2, idle_timeout_seconds: 7}
                retention_days: 90
                rules: {builtin: false, paths: [sigma/rules], pipeline: ecs.yml}
                metadata: {postgres: {url: "jdbc:postgresql://db/vigil", user: v, password: p}}
                syslog:
                  - {protocol: UDP, port: 5514, tenant: acme}
                  - {protocol: tls, port: 6514, tenant: acme, keystore: tls/s.p12, keystore_password: x}
                tail:
                  - {path: /var/log/auth.log, tenant: acme, format: syslog}
                attack: {bundle: attack/enterprise-attack.json}
                incidents: {window_hours: 12, risk_threshold: 150, critical_opens_at_once: false}
                intel:
                  retro_hunt_days: 14
                  feeds:
                    - {name: feodo, type: CSV, url: "https://feodotracker.abuse.ch/downloads/ipblocklist.csv",
                       interval_minutes: 30, csv: "plain:ipv4"}
                    - {name: partner, type: taxii, url: "https://taxii.example/api/collections/c1/", tenant: acme,
                       token: t}
                """, "vigil.yml", BASE);
        assertThat(c.data()).isEqualTo(BASE.resolve("data"));
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.wal().fsync()).isEqualTo(ServerConfig.Fsync.INTERVAL);
        assertThat(c.wal().fsyncInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.wal().segmentBytes()).isEqualTo(8L << 20);
        assertThat(c.pipeline().maxPending()).isEqualTo(5000);
        assertThat(c.pipeline().maxLag()).isEqualTo(Duration.ofMillis(750));
        assertThat(ServerConfig.defaults().pipeline().maxLag()).isEqualTo(ServerConfig.Pipeline.DEFAULT_MAX_LAG);
        assertThat(c.pipeline().linger()).isEqualTo(Duration.ofMillis(40));
        assertThat(ServerConfig.defaults().pipeline().linger()).isEqualTo(ServerConfig.Pipeline.DEFAULT_LINGER);
        assertThat(c.http().maxBodyBytes()).isEqualTo(2L << 20);
        assertThat(c.retentionDays()).isEqualTo(90);
        assertThat(c.rules().builtin()).isFalse();
        assertThat(c.rules().paths()).containsExactly(BASE.resolve("sigma/rules"));
        assertThat(c.rules().pipeline()).isEqualTo(BASE.resolve("ecs.yml"));
        assertThat(c.postgres().url()).isEqualTo("jdbc:postgresql://db/vigil");
        assertThat(c.syslog()).hasSize(2);
        assertThat(c.syslog().get(0).protocol()).isEqualTo("udp");
        assertThat(c.syslog().get(0).bind()).isEqualTo("127.0.0.1");
        assertThat(c.syslog().get(1).keystore()).isEqualTo(BASE.resolve("tls/s.p12"));
        assertThat(c.tail().get(0).path()).isEqualTo(Path.of("/var/log/auth.log"));
        assertThat(c.describe()).containsEntry("metadata", "postgresql").doesNotContainValue("p");
        assertThat(c.attack().bundle()).isEqualTo(BASE.resolve("attack/enterprise-attack.json"));
        assertThat(c.intel().retroHuntDays()).isEqualTo(14);
        assertThat(c.incidents().window()).isEqualTo(Duration.ofHours(12));
        assertThat(c.incidents().riskThreshold()).isEqualTo(150.0);
        assertThat(c.incidents().criticalOpensAtOnce()).isFalse();
        assertThat(c.intel().feeds()).hasSize(2);
        assertThat(c.intel().feeds().get(0).type()).isEqualTo("csv");
        assertThat(c.intel().feeds().get(0).interval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.intel().feeds().get(0).csv()).isEqualTo("plain:ipv4");
        assertThat(c.intel().feeds().get(1).tenant()).isEqualTo("acme");
        assertThat(c.intel().feeds().get(1).interval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void mistakesAreNamedByFileAndKey() {
        assertThatThrownBy(() -> ServerConfig.parse("prot: 1", "v.yml", BASE))
                .hasMessageContaining("v.yml: prot: unknown key");
        assertThatThrownBy(() -> ServerConfig.parse("wal: {fsync: sometimes}", "v.yml", BASE))
                .hasMessageContaining("v.yml: wal.fsync: must be always, interval or never");
        assertThatThrownBy(() -> ServerConfig.parse("port: 70000", "v.yml", BASE))
                .hasMessageContaining("port: must be between 0 and 65535");
        assertThatThrownBy(() -> ServerConfig.parse("syslog: [{protocol: tls, port: 1, tenant: a}]", "v.yml", BASE))
                .hasMessageContaining("syslog[0].keystore: a tls input needs a PKCS12 keystore");
        assertThatThrownBy(() -> ServerConfig.parse("syslog: [{protocol: udp, tenant: a}]", "v.yml", BASE))
                .hasMessageContaining("syslog[0].port: required");
        assertThatThrownBy(() -> ServerConfig.parse("port: [1", "v.yml", BASE))
                .hasMessageContaining("v.yml: invalid YAML");
        assertThatThrownBy(() -> ServerConfig.parse("syslog: " + "[".repeat(100_000), "v.yml", BASE))
                .hasMessageContaining("v.yml: invalid YAML")
                .hasMessageContaining("nested more than 64 levels");
        assertThatThrownBy(() ->
                        ServerConfig.parse("a: &a [x]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", "v.yml", BASE))
                .hasMessageContaining("invalid YAML");
        assertThatThrownBy(() ->
                        ServerConfig.parse("intel: {feeds: [{name: a, type: rss, url: 'https://x'}]}", "v.yml", BASE))
                .hasMessageContaining("intel.feeds[0].type: must be taxii, stix, misp, misp-event or csv");
        assertThatThrownBy(() -> ServerConfig.parse(
                        "intel: {feeds: [{name: a, type: csv, url: 'file:/etc/passwd'}]}", "v.yml", BASE))
                .hasMessageContaining("intel.feeds[0].url: must be an http or https URL");
        assertThatThrownBy(() -> ServerConfig.parse(
                        "intel: {feeds: [{name: a, type: csv, url: 'https://x'}, {name: a, type: stix, url: 'https://y'}]}",
                        "v.yml",
                        BASE))
                .hasMessageContaining("intel.feeds[1].name: another feed is already named 'a'");
    }
}
