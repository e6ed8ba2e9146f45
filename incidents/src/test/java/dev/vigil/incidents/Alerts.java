package dev.vigil.incidents;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import java.time.Instant;
import java.util.List;

/** Compact alert construction for the tests. */
final class Alerts {
    static final TenantId ACME = TenantId.of("acme");
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private Alerts() {}

    static EntityRef host(String name) {
        return new EntityRef(EntityType.HOST, name);
    }

    static EntityRef user(String name) {
        return new EntityRef(EntityType.USER, name);
    }

    static EntityRef ip(String address) {
        return new EntityRef(EntityType.IP, address);
    }

    static Alert alert(String id, int minutes, String rule, Severity severity, int confidence, EntityRef... entities) {
        return Alert.builder()
                .id(id)
                .tenant(ACME)
                .time(T0.plusSeconds(60L * minutes))
                .detector(rule, "Rule " + rule)
                .severity(severity)
                .confidence(confidence)
                .entities(List.of(entities))
                .evidence(Math.abs((long) id.hashCode()))
                .build();
    }
}
