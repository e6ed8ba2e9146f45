package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * How the {@link IncidentEngine} groups alerts. {@link #defaults()} suits a SOC; {@link #toBuilder()} changes a part.
 *
 * @param window how long an entity's risk accumulates, and how long an incident stays open to new alerts after its
 *     latest one
 * @param riskThreshold the risk an entity must reach within the window for its alerts to open an incident
 * @param riskPerSeverity the risk an alert adds at full confidence
 * @param minConfidenceFactor the multiplier of risk at confidence 0; it rises linearly to 1 at confidence 100
 * @param groupingTypes which entity types tie alerts together (process and file paths are shared by every machine, so
 *     they are not among the defaults)
 * @param maxHostsPerEntity a non-host entity seen with more distinct hosts than this within the window is common (a DNS
 *     server's address, a domain everyone resolves, the built-in Administrator) and stops grouping
 * @param neverGroup entities that never group, whatever their fan-out (e.g. the organisation's DNS servers)
 * @param criticalOpensAtOnce whether a critical alert opens an incident without waiting for the threshold
 * @param maxStepsPerIncident distinct steps kept per incident; further alerts are counted, not kept
 * @param maxEvidencePerStep evidence event references kept per step
 * @param maxPendingAlerts alerts below the threshold kept per tenant; the oldest go first when full (counted)
 */
public record IncidentConfig(
        Duration window,
        double riskThreshold,
        Map<Severity, Double> riskPerSeverity,
        double minConfidenceFactor,
        Set<EntityType> groupingTypes,
        int maxHostsPerEntity,
        Set<EntityRef> neverGroup,
        boolean criticalOpensAtOnce,
        int maxStepsPerIncident,
        int maxEvidencePerStep,
        int maxPendingAlerts) {
    public IncidentConfig {
        requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the grouping window must be positive, got " + window);
        }
        if (!(riskThreshold >= 0)) {
            throw new IllegalArgumentException("the risk threshold must be 0 or more, got " + riskThreshold);
        }
        EnumMap<Severity, Double> risks = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            Double r = requireNonNull(riskPerSeverity, "riskPerSeverity").get(s);
            if (r == null || !(r >= 0)) {
                throw new IllegalArgumentException("the risk of severity " + s + " must be 0 or more, got " + r);
            }
            risks.put(s, r);
        }
        riskPerSeverity = Map.copyOf(risks);
        if (!(minConfidenceFactor >= 0 && minConfidenceFactor <= 1)) {
            throw new IllegalArgumentException("minConfidenceFactor must be 0 to 1, got " + minConfidenceFactor);
        }
        groupingTypes = groupingTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(groupingTypes));
        neverGroup = Set.copyOf(neverGroup);
        positive("maxHostsPerEntity", maxHostsPerEntity);
        positive("maxStepsPerIncident", maxStepsPerIncident);
        positive("maxEvidencePerStep", maxEvidencePerStep);
        positive("maxPendingAlerts", maxPendingAlerts);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    /**
     * A 24-hour window, threshold 100, risk 1/10/25/50/100 from informational to critical, confidence 0 halving the
     * risk, grouping by host, user, IP, file hash, domain and URL, an entity common beyond 20 hosts, critical alerts
     * opening at once, 500 steps per incident, 50 evidence events per step, 100,000 pending alerts per tenant.
     */
    public static IncidentConfig defaults() {
        return new IncidentConfig(
                Duration.ofHours(24),
                100,
                Map.of(
                        Severity.INFORMATIONAL, 1.0,
                        Severity.LOW, 10.0,
                        Severity.MEDIUM, 25.0,
                        Severity.HIGH, 50.0,
                        Severity.CRITICAL, 100.0),
                0.5,
                EnumSet.of(
                        EntityType.HOST,
                        EntityType.USER,
                        EntityType.IP,
                        EntityType.FILE_HASH,
                        EntityType.DOMAIN,
                        EntityType.URL),
                20,
                Set.of(),
                true,
                500,
                50,
                100_000);
    }

    /** The risk an alert of this severity and confidence (0..100) adds to each of its entities. */
    public double risk(Severity severity, int confidence) {
        double factor = minConfidenceFactor + (1 - minConfidenceFactor) * (confidence / 100.0);
        return riskPerSeverity.get(severity) * factor;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some parts of a configuration. */
    public static final class Builder {
        private Duration window;
        private double riskThreshold;
        private Map<Severity, Double> riskPerSeverity;
        private double minConfidenceFactor;
        private Set<EntityType> groupingTypes;
        private int maxHostsPerEntity;
        private Set<EntityRef> neverGroup;
        private boolean criticalOpensAtOnce;
        private int maxStepsPerIncident;
        private int maxEvidencePerStep;
        private int maxPendingAlerts;

        private Builder(IncidentConfig c) {
            window = c.window;
            riskThreshold = c.riskThreshold;
            riskPerSeverity = new EnumMap<>(c.riskPerSeverity);
            minConfidenceFactor = c.minConfidenceFactor;
            groupingTypes = c.groupingTypes;
            maxHostsPerEntity = c.maxHostsPerEntity;
            neverGroup = c.neverGroup;
            criticalOpensAtOnce = c.criticalOpensAtOnce;
            maxStepsPerIncident = c.maxStepsPerIncident;
            maxEvidencePerStep = c.maxEvidencePerStep;
            maxPendingAlerts = c.maxPendingAlerts;
        }

        public Builder window(Duration window) {
            this.window = window;
            return this;
        }

        public Builder riskThreshold(double riskThreshold) {
            this.riskThreshold = riskThreshold;
            return this;
        }

        public Builder risk(Severity severity, double risk) {
            this.riskPerSeverity.put(severity, risk);
            return this;
        }

        public Builder minConfidenceFactor(double factor) {
            this.minConfidenceFactor = factor;
            return this;
        }

        public Builder groupingTypes(Set<EntityType> types) {
            this.groupingTypes = types;
            return this;
        }

        public Builder maxHostsPerEntity(int max) {
            this.maxHostsPerEntity = max;
            return this;
        }

        public Builder neverGroup(Set<EntityRef> entities) {
            this.neverGroup = entities;
            return this;
        }

        public Builder criticalOpensAtOnce(boolean atOnce) {
            this.criticalOpensAtOnce = atOnce;
            return this;
        }

        public Builder maxStepsPerIncident(int max) {
            this.maxStepsPerIncident = max;
            return this;
        }

        public Builder maxEvidencePerStep(int max) {
            this.maxEvidencePerStep = max;
            return this;
        }

        public Builder maxPendingAlerts(int max) {
            this.maxPendingAlerts = max;
            return this;
        }

        public IncidentConfig build() {
            return new IncidentConfig(
                    window,
                    riskThreshold,
                    riskPerSeverity,
                    minConfidenceFactor,
                    groupingTypes,
                    maxHostsPerEntity,
                    neverGroup,
                    criticalOpensAtOnce,
                    maxStepsPerIncident,
                    maxEvidencePerStep,
                    maxPendingAlerts);
        }
    }
}
