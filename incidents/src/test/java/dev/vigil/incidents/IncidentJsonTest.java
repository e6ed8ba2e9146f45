package dev.vigil.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IncidentJsonTest {
    private final IncidentJson json = new IncidentJson();

    @Test
    void aSnapshotRoundTrips() {
        IncidentEngine engine = new IncidentEngine(IncidentConfig.defaults());
        for (var a : IncidentEngineTest.phishingToLateralMovement()) {
            engine.process(a);
        }
        Incident incident = engine.openIncidents(Alerts.ACME).get(0);
        String text = json.incident(incident);
        assertThat(text).contains("\"tenant\":\"acme\"").contains("\"firstSeen\":\"2026-03-02T09:00:00Z\"");
        assertThat(json.readIncident(text)).isEqualTo(incident);
    }

    @Test
    void badSnapshotsAreRefusedWithAReason() {
        assertThatThrownBy(() -> json.readIncident("{\"id\":\"x\",\"surprise\":1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an incident snapshot");
        assertThatThrownBy(() -> json.readIncident("[".repeat(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an incident snapshot");
        assertThatThrownBy(() -> json.readIncident(" ".repeat(IncidentJson.MAX_JSON_CHARS + 1)))
                .hasMessageContaining("the limit is");
    }
}
