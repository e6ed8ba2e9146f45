package dev.vigil.intel;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A known-bad (or known-interesting) observable with what the feeds said about it.
 *
 * <p>Its identity is {@link #key()}: type, normalised value and scope. Two feeds naming the same key produce one
 * indicator through {@link #merge(Indicator)}, whose rule is: the widest validity (earliest start, latest end, no end
 * if either has none), the stricter TLP marking, the union of sources (one per feed and external id, keeping the higher
 * confidence and the wider seen-interval when the same one appears twice), tags and references, and the first
 * non-empty description.
 *
 * @param type the kind of observable
 * @param value the normalised value ({@link IndicatorValues#normalize}); importers normalise before building
 * @param tenant the tenant the indicator belongs to, or {@code null} for a global indicator that every tenant sees
 * @param sources the feeds that named it, at least one
 * @param validFrom from when it matches (inclusive), or {@code null} for always
 * @param validUntil until when it matches (exclusive), or {@code null} for no end
 * @param tlp the sharing marking
 * @param tags free-form labels (feed tags, STIX labels, MISP tags that are not TLP or galaxy references)
 * @param references ATT&CK techniques, malware, campaigns, threat actors
 * @param description a description from the feed, or ""
 */
public record Indicator(
        IndicatorType type,
        String value,
        TenantId tenant,
        List<IndicatorSource> sources,
        Instant validFrom,
        Instant validUntil,
        Tlp tlp,
        Set<String> tags,
        IntelReferences references,
        String description) {

    public Indicator {
        requireNonNull(type, "type");
        requireNonNull(value, "value");
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("an indicator needs at least one source: " + type + " " + value);
        }
        requireNonNull(tlp, "tlp");
        tags = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(tags));
        requireNonNull(references, "references");
        requireNonNull(description, "description");
    }

    /** Identity of an indicator in a knowledge base. */
    public record Key(IndicatorType type, String value, TenantId tenant) {
        public Key {
            requireNonNull(type, "type");
            requireNonNull(value, "value");
        }
    }

    public Key key() {
        return new Key(type, value, tenant);
    }

    public boolean isGlobal() {
        return tenant == null;
    }

    /** The highest confidence any source gave, or {@link IndicatorSource#UNKNOWN_CONFIDENCE}. */
    public int confidence() {
        int max = IndicatorSource.UNKNOWN_CONFIDENCE;
        for (IndicatorSource s : sources) {
            max = Math.max(max, s.confidence());
        }
        return max;
    }

    /** Whether the indicator matches at {@code at}: {@code validFrom <= at < validUntil}. */
    public boolean isLiveAt(Instant at) {
        return (validFrom == null || !at.isBefore(validFrom)) && (validUntil == null || at.isBefore(validUntil));
    }

    /** This indicator and {@code other} (same key) as one; see the class comment for the rule. */
    public Indicator merge(Indicator other) {
        if (!key().equals(other.key())) {
            throw new IllegalArgumentException("cannot merge different indicators: " + key() + " and " + other.key());
        }
        List<IndicatorSource> merged = new ArrayList<>(sources);
        for (IndicatorSource s : other.sources) {
            int same = -1;
            for (int i = 0; i < merged.size(); i++) {
                IndicatorSource m = merged.get(i);
                if (m.feed().equals(s.feed()) && m.externalId().equals(s.externalId())) {
                    same = i;
                    break;
                }
            }
            if (same < 0) {
                merged.add(s);
            } else {
                IndicatorSource m = merged.get(same);
                merged.set(
                        same,
                        new IndicatorSource(
                                m.feed(),
                                m.externalId(),
                                Math.max(m.confidence(), s.confidence()),
                                earliest(m.firstSeen(), s.firstSeen()),
                                latest(m.lastSeen(), s.lastSeen())));
            }
        }
        Set<String> allTags = new LinkedHashSet<>(tags);
        allTags.addAll(other.tags);
        return new Indicator(
                type,
                value,
                tenant,
                merged,
                validFrom == null || other.validFrom == null ? null : earliest(validFrom, other.validFrom),
                validUntil == null || other.validUntil == null ? null : latest(validUntil, other.validUntil),
                tlp.stricter(other.tlp),
                allTags,
                references.union(other.references),
                description.isEmpty() ? other.description : description);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /** A builder; {@link #builder(IndicatorType, String, IndicatorSource)} takes an already normalised value. */
    public static Builder builder(IndicatorType type, String normalizedValue, IndicatorSource source) {
        return new Builder(type, normalizedValue, source);
    }

    /** Builds an {@link Indicator} step by step; importers reuse none of it between indicators. */
    public static final class Builder {
        private final IndicatorType type;
        private final String value;
        private final List<IndicatorSource> sources = new ArrayList<>(1);
        private TenantId tenant;
        private Instant validFrom;
        private Instant validUntil;
        private Tlp tlp = Tlp.UNMARKED;
        private Set<String> tags = Set.of();
        private IntelReferences references = IntelReferences.NONE;
        private String description = "";

        private Builder(IndicatorType type, String value, IndicatorSource source) {
            this.type = requireNonNull(type, "type");
            this.value = requireNonNull(value, "value");
            sources.add(requireNonNull(source, "source"));
        }

        public Builder tenant(TenantId tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder validFrom(Instant validFrom) {
            this.validFrom = validFrom;
            return this;
        }

        public Builder validUntil(Instant validUntil) {
            this.validUntil = validUntil;
            return this;
        }

        public Builder tlp(Tlp tlp) {
            this.tlp = requireNonNull(tlp, "tlp");
            return this;
        }

        public Builder tags(Set<String> tags) {
            this.tags = requireNonNull(tags, "tags");
            return this;
        }

        public Builder references(IntelReferences references) {
            this.references = requireNonNull(references, "references");
            return this;
        }

        public Builder description(String description) {
            this.description = description == null ? "" : description;
            return this;
        }

        public Indicator build() {
            return new Indicator(
                    type, value, tenant, sources, validFrom, validUntil, tlp, tags, references, description);
        }
    }
}
