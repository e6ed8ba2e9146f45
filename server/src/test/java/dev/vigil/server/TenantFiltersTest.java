package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.TenantId;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.FieldMapping;
import dev.vigil.sigma.SigmaRuleSet;
import dev.vigil.sigma.correlation.CorrelationEngine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Per-tenant filters and disabled rules on top of a shared rule set, checked against the events they must keep. */
class TenantFiltersTest {
    private static final String RULE = """
            title: whoami run
            id: 11111111-1111-1111-1111-111111111111
            name: whoami_run
            logsource: {product: windows, category: process_creation}
            detection:
                selection: {Image|endswith: '\\whoami.exe'}
                condition: selection
            """;
    private static final String FILTER = """
            title: the inventory agent runs whoami
            logsource: {product: windows, category: process_creation}
            filter:
                rules: [whoami_run]
                selection: {User: 'CORP\\inventory'}
                condition: not selection
            """;
    private static final LogSource PROCESS = new LogSource("windows", Set.of("process_creation"), Set.of());

    private static Event whoami(String tenant, String user) {
        return Event.builder()
                .tenant(TenantId.of(tenant))
                .field("Image", "C:\\Windows\\System32\\whoami.exe")
                .field("User", user)
                .logSource(PROCESS)
                .build();
    }

    private static final class Settings implements TenantDetection.TenantSettings {
        final Map<TenantId, Long> versions = new HashMap<>();
        final Map<TenantId, Set<String>> disabled = new HashMap<>();
        final Map<TenantId, Map<String, String>> filters = new HashMap<>();

        @Override
        public long version(TenantId tenant) {
            return versions.getOrDefault(tenant, 0L);
        }

        @Override
        public Set<String> disabledRules(TenantId tenant) {
            return disabled.getOrDefault(tenant, Set.of());
        }

        @Override
        public Map<String, String> filters(TenantId tenant) {
            return filters.getOrDefault(tenant, Map.of());
        }
    }

    @Test
    void aTenantsFilterDropsOnlyWhatItExcludesAndOnlyForThatTenant() {
        Settings settings = new Settings();
        settings.filters.put(TenantId.of("a"), Map.of("inventory", FILTER));
        SigmaRuleSet rules = SigmaRuleSet.builder().addYaml("rule.yml", RULE).build();
        TenantDetection detection =
                new TenantDetection(rules, FieldMapping.identity(), settings, Clock.systemUTC(), p -> {});
        assertThat(detection.detect(whoami("a", "CORP\\inventory"))).isEmpty();
        assertThat(detection.detect(whoami("a", "CORP\\mallory"))).hasSize(1);
        assertThat(detection.detect(whoami("b", "CORP\\inventory"))).hasSize(1);
    }

    @Test
    void disabledRulesAndSettingChangesApplyFromTheNextRefresh() {
        Settings settings = new Settings();
        SigmaRuleSet rules = SigmaRuleSet.builder().addYaml("rule.yml", RULE).build();
        TenantDetection detection =
                new TenantDetection(rules, FieldMapping.identity(), settings, Clock.systemUTC(), p -> {});
        assertThat(detection.detect(whoami("a", "x"))).hasSize(1);
        settings.disabled.put(TenantId.of("a"), Set.of("11111111-1111-1111-1111-111111111111"));
        settings.versions.put(TenantId.of("a"), 1L);
        detection.refreshSettings();
        assertThat(detection.detect(whoami("a", "x"))).isEmpty();
        assertThat(detection.detect(whoami("b", "x"))).hasSize(1);
    }

    @Test
    void aFilterThatCannotBeUsedIsReportedNotApplied() {
        TenantFilters f = TenantFilters.compile(
                Map.of(
                        "broken",
                        "title: x\nfilter: {rules: [], condition: not a}",
                        "bad-yaml",
                        "a: [1",
                        "deep",
                        "filter: " + "[".repeat(100_000) + "]".repeat(100_000)),
                FieldMapping.identity());
        assertThat(f.errors()).hasSize(3);
        assertThat(String.join("\n", f.errors())).contains("filter broken", "filter bad-yaml");
        assertThat(f.errors())
                .anySatisfy(e -> assertThat(e).contains("filter deep").contains("nested more than 64 levels"));
        List<Detection> none = f.matching(whoami("a", "x"));
        assertThat(none).isEmpty();
    }

    private static final String BURST = RULE + """
            ---
            title: whoami three times
            name: whoami_burst
            correlation:
                type: event_count
                rules: [whoami_run]
                group-by: [User]
                timespan: 1m
                condition: {gte: 3}
            """;

    /** The titles of what three whoami runs of {@code user} in tenant a give. */
    private static List<String> threeRuns(TenantDetection detection, String user) {
        List<String> fired = new ArrayList<>();
        Instant t = Instant.parse("2026-11-28T12:00:00Z");
        for (int i = 0; i < 3; i++) {
            detection
                    .detect(whoami("a", user).withTimestamp(t.plusSeconds(i)))
                    .forEach(d -> fired.add(d.rule().title()));
        }
        return fired;
    }

    @Test
    void whatAFilterOrADisabledRuleRemovesCountsForNoCorrelation() {
        Settings settings = new Settings();
        settings.filters.put(TenantId.of("a"), Map.of("inventory", FILTER));
        TenantDetection detection = new TenantDetection(
                SigmaRuleSet.builder().addYaml("rules.yml", BURST).build(),
                FieldMapping.identity(),
                settings,
                Clock.systemUTC(),
                p -> {});

        assertThat(threeRuns(detection, "CORP\\inventory")).isEmpty();
        assertThat(threeRuns(detection, "CORP\\mallory")).containsExactly("whoami three times");

        settings.disabled.put(TenantId.of("a"), Set.of("whoami_run"));
        settings.versions.put(TenantId.of("a"), 1L);
        detection.refreshSettings();
        assertThat(threeRuns(detection, "CORP\\eve")).isEmpty();

        settings.disabled.put(TenantId.of("a"), Set.of("whoami_burst"));
        settings.versions.put(TenantId.of("a"), 2L);
        detection.refreshSettings();
        assertThat(threeRuns(detection, "CORP\\trudy")).isEmpty();
    }

    /** Only the first skip of each kind is logged; the counts, summed over the tenants, hold every one. */
    @Test
    void whatCorrelationsLeaveOutIsCountedByReasonOverAllTenants() {
        ProblemCollector warnings = new ProblemCollector(100);
        TenantDetection detection = new TenantDetection(
                SigmaRuleSet.builder().addYaml("rules.yml", BURST).build(),
                FieldMapping.identity(),
                new Settings(),
                Clock.systemUTC(),
                warnings);
        Instant t = Instant.now();
        for (String tenant : List.of("a", "b")) {
            for (int i = 0; i < 3; i++) {
                detection.detect(whoami(tenant, "CORP\\eve")); // no time
            }
            Event noUser = Event.builder()
                    .tenant(TenantId.of(tenant))
                    .field("Image", "C:\\Windows\\System32\\whoami.exe")
                    .logSource(PROCESS)
                    .timestamp(t)
                    .build();
            detection.detect(noUser);
            detection.detect(whoami(tenant, "CORP\\eve").withTimestamp(t));
        }
        // A tenant whose events match no rule adds nothing.
        detection.detect(Event.builder()
                .tenant(TenantId.of("c"))
                .field("Image", "C:\\Windows\\notepad.exe")
                .build());

        assertThat(detection.correlationSkipped(CorrelationEngine.SkipReason.NO_TIMESTAMP))
                .isEqualTo(6);
        assertThat(detection.correlationSkipped(CorrelationEngine.SkipReason.NO_GROUP_BY_VALUE))
                .isEqualTo(2);
        assertThat(detection.correlationSkipped(CorrelationEngine.SkipReason.TOO_LATE))
                .isZero();
        assertThat(detection.correlationGroupsEvicted()).isZero();
        assertThat(warnings.problems())
                .filteredOn(p -> p.message().contains("event skipped: no timestamp"))
                .as("logged once per tenant")
                .hasSize(2);
    }

    @Test
    void anEventStampedYearsAheadDoesNotBlindATenantsCorrelations() {
        String rules = BURST;
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        ProblemCollector warnings = new ProblemCollector(10);
        TenantDetection detection = new TenantDetection(
                SigmaRuleSet.builder().addYaml("rules.yml", rules).build(),
                FieldMapping.identity(),
                new Settings(),
                Clock.fixed(now, ZoneOffset.UTC),
                warnings);
        List<String> fired = new ArrayList<>();
        Event forged = whoami("a", "CORP\\mallory").withTimestamp(Instant.parse("2099-01-01T00:00:00Z"));
        detection.detect(forged).forEach(d -> fired.add(d.rule().title()));
        for (int i = 0; i < 3; i++) {
            Event e = whoami("a", "CORP\\alice").withTimestamp(now.plusSeconds(i));
            detection.detect(e).forEach(d -> fired.add(d.rule().title()));
        }

        // The rule counts for the correlation only (generate: false), so the burst is what comes out.
        assertThat(fired).containsExactly("whoami three times");
        assertThat(warnings.problems()).anySatisfy(p -> assertThat(p.message()).contains("ahead of the clock"));
        assertThat(detection.eventsAheadOfClock()).isEqualTo(1);
    }
}
