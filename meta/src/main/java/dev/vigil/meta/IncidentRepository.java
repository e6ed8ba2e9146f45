package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import dev.vigil.incidents.Case;
import dev.vigil.incidents.CaseAuditEntry;
import dev.vigil.incidents.CaseComment;
import dev.vigil.incidents.CaseStatus;
import dev.vigil.incidents.Incident;
import dev.vigil.incidents.IncidentJson;
import dev.vigil.incidents.Suppression;
import dev.vigil.incidents.SuppressionEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Incidents, their cases and suppressions in the metadata database, over {@link MetadataStore}'s connection and
 * transactions (get it with {@link MetadataStore#incidents()}).
 *
 * <p>Every method takes the tenant and binds it in every statement, so no id of another tenant's incident can be read
 * or changed through it. The incident is kept as its JSON snapshot ({@link IncidentJson}) beside the columns lists
 * filter and sort on; the case lives in columns, with its comments and audit trail in their own tables, written in the
 * same transaction as the change they record. Case changes go through {@link #updateCase}: the {@link Case} state
 * machine decides, the repository stores what it decided.
 */
public final class IncidentRepository {
    private static final String SYSTEM = SuppressionEvent.SYSTEM;
    private static final String INCIDENT_COLUMNS = "id, title, severity_rank, status, assignee, tags, risk,"
            + " first_seen, last_seen, alert_count, merged_into, snapshot, created_at, acknowledged_at, resolved_at";

    private final MetadataStore store;
    private final IncidentJson json = new IncidentJson();

    IncidentRepository(MetadataStore store) {
        this.store = requireNonNull(store, "store");
    }

    // ---------------------------------------------------------------- incidents

    /**
     * Stores the engine's latest snapshot of an incident: a new incident gets a new case (created at {@code now}); a
     * known one gets its snapshot replaced, and its case's severity follows (audited as {@code system}).
     */
    public StoredIncident save(Incident incident, Instant now) {
        requireNonNull(incident, "incident");
        requireNonNull(now, "now");
        TenantId tenant = incident.tenant();
        String snapshot = json.incident(incident);
        return store.write("save incident " + incident.id() + " of tenant '" + tenant + "'", c -> {
            MetadataStore.requireTenant(c, tenant);
            Optional<StoredIncident> existing = find(c, tenant, incident.id());
            if (existing.isEmpty()) {
                Case kase = Case.open(incident.id(), tenant, incident.severity(), now);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO incidents (tenant_id, " + INCIDENT_COLUMNS
                        + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, tenant.value());
                    ps.setString(2, incident.id());
                    ps.setString(3, incident.title());
                    ps.setInt(4, incident.severity().ordinal());
                    ps.setString(5, kase.status().wireName());
                    ps.setNull(6, Types.VARCHAR);
                    ps.setString(7, "");
                    ps.setDouble(8, incident.risk());
                    ps.setLong(9, incident.firstSeen().toEpochMilli());
                    ps.setLong(10, incident.lastSeen().toEpochMilli());
                    ps.setLong(11, incident.alertCount());
                    ps.setNull(12, Types.VARCHAR);
                    ps.setString(13, snapshot);
                    ps.setLong(14, now.toEpochMilli());
                    ps.setNull(15, Types.BIGINT);
                    ps.setNull(16, Types.BIGINT);
                    ps.setLong(17, now.toEpochMilli());
                    ps.executeUpdate();
                }
                writeAuditAndComments(c, tenant, incident.id(), 0, 0, kase);
                return new StoredIncident(incident, kase, Optional.empty());
            }
            Case before = existing.get().kase();
            Case after = before.severity(incident.severity(), SYSTEM, now);
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE incidents SET title = ?, severity_rank = ?, risk = ?,"
                            + " first_seen = ?, last_seen = ?, alert_count = ?, snapshot = ?, updated_at = ?"
                            + " WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, incident.title());
                ps.setInt(2, incident.severity().ordinal());
                ps.setDouble(3, incident.risk());
                ps.setLong(4, incident.firstSeen().toEpochMilli());
                ps.setLong(5, incident.lastSeen().toEpochMilli());
                ps.setLong(6, incident.alertCount());
                ps.setString(7, snapshot);
                ps.setLong(8, now.toEpochMilli());
                ps.setString(9, tenant.value());
                ps.setString(10, incident.id());
                ps.executeUpdate();
            }
            writeAuditAndComments(
                    c,
                    tenant,
                    incident.id(),
                    before.audit().size(),
                    before.comments().size(),
                    after);
            return new StoredIncident(incident, after, existing.get().mergedInto());
        });
    }

    /** Records that the engine merged {@code absorbedId} into {@code intoId}; the absorbed one leaves default lists. */
    public void markMerged(TenantId tenant, String absorbedId, String intoId, Instant now) {
        requireNonNull(tenant, "tenant");
        store.write("mark incident " + absorbedId + " merged", c -> {
            Case kase = find(c, tenant, absorbedId)
                    .orElseThrow(() -> unknown(tenant, absorbedId))
                    .kase();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE incidents SET merged_into = ?, updated_at = ? WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, intoId);
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, tenant.value());
                ps.setString(4, absorbedId);
                ps.executeUpdate();
            }
            insertAudit(
                    c,
                    tenant,
                    absorbedId,
                    kase.audit().size(),
                    new CaseAuditEntry(SYSTEM, now, "merged_into", "", intoId));
            return null;
        });
    }

    /** The incident of that id in the tenant; empty when the tenant has none (whatever other tenants have). */
    public Optional<StoredIncident> find(TenantId tenant, String id) {
        requireNonNull(tenant, "tenant");
        requireNonNull(id, "id");
        return store.read("read incident " + id, c -> find(c, tenant, id));
    }

    /** A page of the tenant's incidents matching the query, most recently active first. */
    public IncidentSummary.Page list(TenantId tenant, IncidentQuery query) {
        requireNonNull(tenant, "tenant");
        requireNonNull(query, "query");
        StringBuilder where = new StringBuilder(" WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(tenant.value());
        if (!query.includeMerged()) {
            where.append(" AND merged_into IS NULL");
        }
        if (!query.statuses().isEmpty()) {
            where.append(" AND status IN (")
                    .append(String.join(
                            ", ", java.util.Collections.nCopies(query.statuses().size(), "?")))
                    .append(')');
            query.statuses().stream().map(CaseStatus::wireName).sorted().forEach(args::add);
        }
        query.minSeverity().ifPresent(s -> {
            where.append(" AND severity_rank >= ?");
            args.add(s.ordinal());
        });
        query.assignee().ifPresent(a -> {
            where.append(" AND assignee = ?");
            args.add(a);
        });
        query.from().ifPresent(f -> {
            where.append(" AND last_seen >= ?");
            args.add(f.toEpochMilli());
        });
        query.to().ifPresent(t -> {
            where.append(" AND first_seen < ?");
            args.add(t.toEpochMilli());
        });
        return store.read("list incidents of tenant '" + tenant + "'", c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM incidents" + where)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<IncidentSummary> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, title, severity_rank, status, assignee, risk,"
                    + " first_seen, last_seen, alert_count, merged_into FROM incidents" + where
                    + " ORDER BY last_seen DESC, id LIMIT ? OFFSET ?")) {
                List<Object> page = new ArrayList<>(args);
                page.add(query.limit());
                page.add(query.offset());
                bind(ps, page);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new IncidentSummary(
                                rs.getString(1),
                                rs.getString(2),
                                Severity.values()[rs.getInt(3)],
                                CaseStatus.parse(rs.getString(4)),
                                Optional.ofNullable(rs.getString(5)),
                                rs.getDouble(6),
                                Instant.ofEpochMilli(rs.getLong(7)),
                                Instant.ofEpochMilli(rs.getLong(8)),
                                rs.getLong(9),
                                Optional.ofNullable(rs.getString(10))));
                    }
                }
            }
            return new IncidentSummary.Page(items, total);
        });
    }

    /**
     * Changes an incident's case in one transaction: reads it, applies {@code change} (a {@link Case} method, which
     * refuses moves its state machine forbids), stores the new fields, comments and audit entries.
     *
     * @throws IllegalArgumentException when the tenant has no such incident, or the change is refused
     */
    public Case updateCase(TenantId tenant, String incidentId, UnaryOperator<Case> change) {
        requireNonNull(tenant, "tenant");
        requireNonNull(incidentId, "incidentId");
        requireNonNull(change, "change");
        return store.write("change the case of incident " + incidentId, c -> {
            Case before = find(c, tenant, incidentId)
                    .orElseThrow(() -> unknown(tenant, incidentId))
                    .kase();
            Case after = requireNonNull(change.apply(before), "the changed case");
            if (!after.incidentId().equals(before.incidentId())
                    || !after.tenant().equals(tenant)) {
                throw new IllegalArgumentException("a case change must not change its incident or tenant");
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE incidents SET status = ?, assignee = ?, tags = ?,"
                    + " severity_rank = ?, acknowledged_at = ?, resolved_at = ? WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, after.status().wireName());
                ps.setString(2, after.assignee().orElse(null));
                ps.setString(3, String.join("\n", after.tags()));
                ps.setInt(4, after.severity().ordinal());
                setTime(ps, 5, after.acknowledgedAt());
                setTime(ps, 6, after.resolvedAt());
                ps.setString(7, tenant.value());
                ps.setString(8, incidentId);
                ps.executeUpdate();
            }
            writeAuditAndComments(
                    c,
                    tenant,
                    incidentId,
                    before.audit().size(),
                    before.comments().size(),
                    after);
            return after;
        });
    }

    // ---------------------------------------------------------------- suppressions

    /** Stores a new suppression and its CREATED audit record. */
    public void saveSuppression(Suppression s) {
        requireNonNull(s, "suppression");
        store.write("save suppression " + s.id(), c -> {
            MetadataStore.requireTenant(c, s.tenant());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO suppressions (tenant_id, id, rule_id,"
                    + " entity_type, entity_value, reason, author, created_at, expires_at, ended_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
                ps.setString(1, s.tenant().value());
                ps.setString(2, s.id());
                ps.setString(3, s.ruleId().orElse(null));
                ps.setString(4, s.entity().map(e -> e.type().name()).orElse(null));
                ps.setString(5, s.entity().map(EntityRef::value).orElse(null));
                ps.setString(6, s.reason());
                ps.setString(7, s.author());
                ps.setLong(8, s.createdAt().toEpochMilli());
                setTime(ps, 9, s.expiresAt());
                ps.executeUpdate();
            }
            insertSuppressionAudit(c, s.tenant(), s.id(), SuppressionEvent.Kind.CREATED, s.author(), s.createdAt());
            return null;
        });
    }

    /** Ends a suppression by hand; false when the tenant has no active one of that id. */
    public boolean deleteSuppression(TenantId tenant, String id, String actor, Instant at) {
        return endSuppression(tenant, id, SuppressionEvent.Kind.DELETED, actor, at);
    }

    /** Records an engine's {@link SuppressionEvent.Kind#EXPIRED} event (other kinds have their own methods). */
    public void recordExpiry(SuppressionEvent event) {
        if (event.kind() != SuppressionEvent.Kind.EXPIRED) {
            throw new IllegalArgumentException("only expiries are recorded here, got " + event.kind());
        }
        endSuppression(event.suppression().tenant(), event.suppression().id(), event.kind(), event.actor(), event.at());
    }

    private boolean endSuppression(TenantId tenant, String id, SuppressionEvent.Kind kind, String actor, Instant at) {
        requireNonNull(tenant, "tenant");
        return store.write(kind.name().toLowerCase(java.util.Locale.ROOT) + " suppression " + id, c -> {
            int changed;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE suppressions SET ended_at = ?" + " WHERE tenant_id = ? AND id = ? AND ended_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, tenant.value());
                ps.setString(3, id);
                changed = ps.executeUpdate();
            }
            if (changed == 0) {
                return false;
            }
            insertSuppressionAudit(c, tenant, id, kind, actor, at);
            return true;
        });
    }

    /** The tenant's suppressions neither ended nor expired at {@code now}, to load into the engine at start. */
    public List<Suppression> activeSuppressions(TenantId tenant, Instant now) {
        requireNonNull(tenant, "tenant");
        return store.read("list suppressions of tenant '" + tenant + "'", c -> {
            List<Suppression> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, rule_id, entity_type, entity_value, reason,"
                    + " author, created_at, expires_at FROM suppressions WHERE tenant_id = ? AND ended_at IS NULL"
                    + " AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id")) {
                ps.setString(1, tenant.value());
                ps.setLong(2, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(suppressionOf(tenant, rs));
                    }
                }
            }
            return out;
        });
    }

    /** The tenant's suppression audit trail, oldest first. */
    public List<SuppressionAuditRecord> suppressionAudit(TenantId tenant) {
        requireNonNull(tenant, "tenant");
        return store.read("read the suppression audit of tenant '" + tenant + "'", c -> {
            List<SuppressionAuditRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT suppression_id, kind, actor, at"
                    + " FROM suppression_audit WHERE tenant_id = ? ORDER BY at, suppression_id, kind")) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SuppressionAuditRecord(
                                rs.getString(1),
                                SuppressionEvent.Kind.valueOf(rs.getString(2)),
                                rs.getString(3),
                                Instant.ofEpochMilli(rs.getLong(4))));
                    }
                }
            }
            return out;
        });
    }

    /** One row of the suppression audit trail. */
    public record SuppressionAuditRecord(String suppressionId, SuppressionEvent.Kind kind, String actor, Instant at) {}

    // ---------------------------------------------------------------- rows

    private Optional<StoredIncident> find(Connection c, TenantId tenant, String id) throws SQLException {
        Incident incident;
        Case kase;
        Optional<String> mergedInto;
        String[] tags;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + INCIDENT_COLUMNS + " FROM incidents WHERE tenant_id = ? AND id = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                incident = json.readIncident(rs.getString(12));
                String tagText = rs.getString(6);
                tags = tagText.isEmpty() ? new String[0] : tagText.split("\n");
                mergedInto = Optional.ofNullable(rs.getString(11));
                kase = new Case(
                        id,
                        tenant,
                        CaseStatus.parse(rs.getString(4)),
                        Severity.values()[rs.getInt(3)],
                        Optional.ofNullable(rs.getString(5)),
                        Arrays.asList(tags),
                        comments(c, tenant, id),
                        Instant.ofEpochMilli(rs.getLong(13)),
                        time(rs, 14),
                        time(rs, 15),
                        audit(c, tenant, id));
            }
        }
        return Optional.of(new StoredIncident(incident, kase, mergedInto));
    }

    private static List<CaseComment> comments(Connection c, TenantId tenant, String id) throws SQLException {
        List<CaseComment> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT number, author, at, body FROM incident_comments"
                + " WHERE tenant_id = ? AND incident_id = ? ORDER BY number")) {
            ps.setString(1, tenant.value());
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CaseComment(
                            rs.getInt(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4)));
                }
            }
        }
        return out;
    }

    private static List<CaseAuditEntry> audit(Connection c, TenantId tenant, String id) throws SQLException {
        List<CaseAuditEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT actor, at, field, old_value, new_value"
                + " FROM incident_audit WHERE tenant_id = ? AND incident_id = ? ORDER BY seq")) {
            ps.setString(1, tenant.value());
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CaseAuditEntry(
                            rs.getString(1),
                            Instant.ofEpochMilli(rs.getLong(2)),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        return out;
    }

    /** Inserts the audit entries and comments {@code after} has beyond the counts already stored. */
    private static void writeAuditAndComments(
            Connection c, TenantId tenant, String id, int storedAudit, int storedComments, Case after)
            throws SQLException {
        for (int i = storedAudit; i < after.audit().size(); i++) {
            insertAudit(c, tenant, id, i, after.audit().get(i));
        }
        for (int i = storedComments; i < after.comments().size(); i++) {
            CaseComment cm = after.comments().get(i);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident_comments"
                    + " (tenant_id, incident_id, number, author, at, body) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, tenant.value());
                ps.setString(2, id);
                ps.setInt(3, cm.number());
                ps.setString(4, cm.author());
                ps.setLong(5, cm.at().toEpochMilli());
                ps.setString(6, cm.text());
                ps.executeUpdate();
            }
        }
    }

    private static void insertAudit(Connection c, TenantId tenant, String id, int seq, CaseAuditEntry e)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident_audit"
                + " (tenant_id, incident_id, seq, actor, at, field, old_value, new_value)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, tenant.value());
            ps.setString(2, id);
            ps.setInt(3, seq);
            ps.setString(4, e.actor());
            ps.setLong(5, e.at().toEpochMilli());
            ps.setString(6, e.field());
            ps.setString(7, e.oldValue());
            ps.setString(8, e.newValue());
            ps.executeUpdate();
        }
    }

    private static void insertSuppressionAudit(
            Connection c, TenantId tenant, String id, SuppressionEvent.Kind kind, String actor, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO suppression_audit"
                + " (tenant_id, suppression_id, kind, actor, at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, tenant.value());
            ps.setString(2, id);
            ps.setString(3, kind.name());
            ps.setString(4, actor);
            ps.setLong(5, at.toEpochMilli());
            ps.executeUpdate();
        }
    }

    private static Suppression suppressionOf(TenantId tenant, ResultSet rs) throws SQLException {
        String type = rs.getString(3);
        Optional<EntityRef> entity =
                type == null ? Optional.empty() : Optional.of(new EntityRef(EntityType.valueOf(type), rs.getString(4)));
        return new Suppression(
                rs.getString(1),
                tenant,
                Optional.ofNullable(rs.getString(2)),
                entity,
                rs.getString(5),
                rs.getString(6),
                Instant.ofEpochMilli(rs.getLong(7)),
                time(rs, 8));
    }

    private static Optional<Instant> time(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    private static void setTime(PreparedStatement ps, int index, Optional<Instant> t) throws SQLException {
        if (t.isPresent()) {
            ps.setLong(index, t.get().toEpochMilli());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Long n) {
                ps.setLong(i + 1, n);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }

    private static IllegalArgumentException unknown(TenantId tenant, String id) {
        return new IllegalArgumentException("tenant '" + tenant + "' has no incident " + id);
    }
}
