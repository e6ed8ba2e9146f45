package dev.vigil.store;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AttackTactic;
import dev.vigil.core.alert.DetectorKind;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How an {@link Alert} maps to the {@code alerts} table's columns; lists are JSON text, evidence a BIGINT[]. */
final class AlertColumns {
    static final String SELECT = "id, epoch_us(time), severity, detector_kind, detector_id, title, confidence,"
            + " entities, tactics, techniques, event_seqs, details";

    private AlertColumns() {}

    static String entitiesJson(EventJson json, List<EntityRef> entities) {
        List<Map<String, Object>> out = new ArrayList<>(entities.size());
        for (EntityRef e : entities) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", e.type().name());
            m.put("value", e.value());
            out.add(m);
        }
        return json.valueToJson(out);
    }

    static String tacticsJson(EventJson json, List<AttackTactic> tactics) {
        List<String> out = new ArrayList<>(tactics.size());
        for (AttackTactic t : tactics) {
            out.add(t.shortName());
        }
        return json.valueToJson(out);
    }

    static Alert read(ResultSet rs, TenantId tenant, EventJson json) throws SQLException {
        Alert.Builder b = Alert.builder()
                .id(rs.getString(1))
                .tenant(tenant)
                .time(QuerySql.fromMicros(rs.getLong(2)))
                .severity(Severity.fromSigmaLevel(rs.getString(3)))
                .detectorKind(DetectorKind.valueOf(rs.getString(4)))
                .detector(rs.getString(5), rs.getString(6))
                .confidence(rs.getInt(7));
        if (json.valueFromJson(rs.getString(8)) instanceof List<?> entities) {
            for (Object o : entities) {
                if (o instanceof Map<?, ?> m) {
                    b.entity(new EntityRef(EntityType.valueOf((String) m.get("type")), (String) m.get("value")));
                }
            }
        }
        List<AttackTactic> tactics = new ArrayList<>();
        for (String t : strings(json.valueFromJson(rs.getString(9)))) {
            AttackTactic.parse(t).ifPresent(tactics::add);
        }
        b.tactics(tactics);
        b.techniques(strings(json.valueFromJson(rs.getString(10))));
        for (Object o : (Object[]) rs.getArray(11).getArray()) {
            b.evidence(((Number) o).longValue());
        }
        json.objectFromJson(rs.getString(12)).forEach(b::detail);
        return b.build();
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }
}
