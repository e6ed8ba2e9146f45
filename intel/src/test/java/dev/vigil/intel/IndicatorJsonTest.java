package dev.vigil.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IndicatorJsonTest {
    private final IndicatorJson json = new IndicatorJson();

    @Test
    void anIndicatorWithEverythingComesBackEqual() {
        Indicator a = Indicator.builder(
                        IndicatorType.DOMAIN,
                        "evil.example",
                        new IndicatorSource("feed-a", "indicator--1", 80, Instant.parse("2026-01-01T00:00:00Z"), null))
                .tenant(TenantId.of("acme"))
                .validFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .validUntil(Instant.parse("2027-01-01T00:00:00Z"))
                .tlp(Tlp.AMBER)
                .tags(Set.of("c2", "apt"))
                .references(new IntelReferences(Set.of("T1071.001"), Set.of("PoisonIvy"), Set.of(), Set.of("APT1")))
                .description("C2 <domain>")
                .build();
        Indicator b = Indicator.builder(
                        IndicatorType.DOMAIN, "evil.example", new IndicatorSource("feed-b", "", -1, null, null))
                .tenant(TenantId.of("acme"))
                .build();
        Indicator merged = a.merge(b);
        assertThat(json.fromJson(json.toJson(merged))).isEqualTo(merged);
        Indicator global = Indicator.builder(
                        IndicatorType.IPV4, "203.0.113.9", new IndicatorSource("feodo", "3", 100, null, null))
                .build();
        assertThat(json.fromJson(json.toJson(global))).isEqualTo(global);
    }

    @Test
    void brokenRecordsNameTheField() {
        assertThatThrownBy(() -> json.fromJson("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> json.fromJson("{\"value\":\"x\"}")).hasMessageContaining("type");
        assertThatThrownBy(() -> json.fromJson("{\"type\":\"DOMAIN\",\"value\":\"x\",\"sources\":[]}"))
                .hasMessageContaining("sources");
        assertThatThrownBy(() -> json.fromJson("{\"type\":\"DOMAIN\",\"value\":\"x\",\"sources\":[{\"feed\":\"f\"}],"
                        + "\"valid_until\":\"soon\"}"))
                .hasMessageContaining("valid_until");
    }
}
