package dev.vigil.core.alert;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One alert, whichever detector raised it: Sigma rules and correlations, indicator matches, and later anomaly and
 * network detectors all produce this, so incidents, notifications and the console handle one model.
 *
 * @param id unique within the tenant and deterministic for the detector (a replay gives the same id)
 * @param time when the detected activity happened (the triggering event's time)
 * @param detectorId the rule id (a Sigma rule's id, an indicator id, a detector name)
 * @param title the rule or detector title, for people
 * @param confidence 0 to 100, see {@link AlertConfidence}
 * @param entities what the alert is about, canonical ({@link EntityRef}), without duplicates
 * @param tactics ATT&amp;CK tactics in kill-chain order, without duplicates
 * @param techniques ATT&amp;CK technique ids such as {@code T1059.001}
 * @param evidence the sequence numbers of the evidence events in the event store
 * @param details free-form JSON-able values (String, Long, Double, Boolean, null, List, Map)
 */
public record Alert(
        String id,
        TenantId tenant,
        Instant time,
        Severity severity,
        DetectorKind detectorKind,
        String detectorId,
        String title,
        int confidence,
        List<EntityRef> entities,
        List<AttackTactic> tactics,
        List<String> techniques,
        List<Long> evidence,
        Map<String, Object> details) {
    public Alert {
        requireNonNull(id, "id");
        requireNonNull(tenant, "tenant");
        requireNonNull(time, "time");
        requireNonNull(severity, "severity");
        requireNonNull(detectorKind, "detectorKind");
        requireNonNull(detectorId, "detectorId");
        requireNonNull(title, "title");
        if (confidence < AlertConfidence.MIN || confidence > AlertConfidence.MAX) {
            throw new IllegalArgumentException("alert " + id + ": confidence must be 0 to 100, got " + confidence);
        }
        entities = List.copyOf(new LinkedHashSet<>(entities));
        EnumSet<AttackTactic> sorted = EnumSet.noneOf(AttackTactic.class);
        sorted.addAll(tactics);
        tactics = List.copyOf(sorted);
        techniques = List.copyOf(new LinkedHashSet<>(techniques));
        evidence = List.copyOf(evidence);
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link Alert}; {@code id}, {@code tenant}, {@code time}, {@code detectorId} and {@code title} are required. */
    public static final class Builder {
        private String id;
        private TenantId tenant;
        private Instant time;
        private Severity severity = Severity.MEDIUM;
        private DetectorKind detectorKind = DetectorKind.SIGMA;
        private String detectorId;
        private String title;
        private int confidence = 50;
        private final List<EntityRef> entities = new ArrayList<>();
        private final List<AttackTactic> tactics = new ArrayList<>();
        private final List<String> techniques = new ArrayList<>();
        private final List<Long> evidence = new ArrayList<>();
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder() {}

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder tenant(TenantId tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder severity(Severity severity) {
            this.severity = severity;
            return this;
        }

        public Builder detectorKind(DetectorKind detectorKind) {
            this.detectorKind = detectorKind;
            return this;
        }

        /** The detector or rule: its id and its title. */
        public Builder detector(String detectorId, String title) {
            this.detectorId = detectorId;
            this.title = title;
            return this;
        }

        public Builder confidence(int confidence) {
            this.confidence = confidence;
            return this;
        }

        public Builder entity(EntityRef entity) {
            entities.add(requireNonNull(entity, "entity"));
            return this;
        }

        /** Adds the entity of raw log text when it names one (see {@link EntityRef#of}). */
        public Builder entity(EntityType type, String raw) {
            EntityRef.of(type, raw).ifPresent(entities::add);
            return this;
        }

        public Builder entities(Collection<EntityRef> more) {
            entities.addAll(more);
            return this;
        }

        public Builder tactics(Collection<AttackTactic> more) {
            tactics.addAll(more);
            return this;
        }

        public Builder techniques(Collection<String> more) {
            techniques.addAll(more);
            return this;
        }

        /** The tactics and techniques of Sigma tags ({@link AttackTags#parse}). */
        public Builder sigmaTags(List<String> tags) {
            AttackTags parsed = AttackTags.parse(tags);
            tactics.addAll(parsed.tactics());
            techniques.addAll(parsed.techniques());
            return this;
        }

        /** Severity and confidence of a Sigma rule from its level and status ({@link AlertConfidence#sigma}). */
        public Builder sigmaLevel(String level, String status) {
            this.severity = Severity.fromSigmaLevel(level);
            this.confidence = AlertConfidence.sigma(status, level);
            return this;
        }

        public Builder evidence(long eventSequence) {
            evidence.add(eventSequence);
            return this;
        }

        public Builder evidence(Collection<Long> eventSequences) {
            evidence.addAll(eventSequences);
            return this;
        }

        public Builder detail(String key, Object value) {
            details.put(requireNonNull(key, "key"), value);
            return this;
        }

        public Alert build() {
            return new Alert(
                    id,
                    tenant,
                    time,
                    severity,
                    detectorKind,
                    detectorId,
                    title,
                    confidence,
                    entities,
                    tactics,
                    techniques,
                    evidence,
                    details);
        }
    }
}
