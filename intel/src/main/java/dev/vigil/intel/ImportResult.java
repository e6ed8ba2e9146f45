package dev.vigil.intel;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one import produced.
 *
 * <p>Counts are of the feed's <i>objects</i> (STIX indicators and observed-data, MISP attributes, CSV lines):
 * {@code read} = {@code imported} + {@code rejected} + {@code unsupported} + {@code skipped}. An object is
 * <i>imported</i> when it gave at least one indicator, <i>rejected</i> when it is malformed (a problem names it),
 * <i>unsupported</i> when it is valid but holds nothing Vigil indexes (a registry key, a process command line),
 * <i>skipped</i> when the feed says not to use it (revoked, MISP {@code to_ids: false}, deleted). {@link #indicators()}
 * holds distinct indicators (the same key twice in one file is merged), so it can be shorter than {@code imported}, or
 * longer when one object names several values.
 *
 * @param source the name the caller gave the input
 * @param indicators the indicators, merged by key, in the order first seen
 * @param read objects read
 * @param imported objects that gave at least one indicator
 * @param rejected malformed objects
 * @param unsupported objects with nothing to index
 * @param skipped objects the feed marks as not for use
 * @param objectTypes for structured feeds, how many objects of each type the input held (STIX types, MISP attribute
 *     types), sorted by name
 * @param problems malformed input, each naming the object id or line
 * @param notes things worth knowing that are not errors (ignored STIX qualifiers, unsupported patterns by id)
 */
public record ImportResult(
        String source,
        List<Indicator> indicators,
        int read,
        int imported,
        int rejected,
        int unsupported,
        int skipped,
        Map<String, Integer> objectTypes,
        List<Problem> problems,
        List<Problem> notes) {
    public ImportResult {
        requireNonNull(source, "source");
        indicators = List.copyOf(indicators);
        objectTypes = java.util.Collections.unmodifiableMap(new TreeMap<>(objectTypes));
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    @Override
    public String toString() {
        return source + ": " + indicators.size() + " indicators from " + read + " objects (" + imported + " imported, "
                + rejected + " rejected, " + unsupported + " unsupported, " + skipped + " skipped), " + problems.size()
                + " problems";
    }

    /** Accumulates an import; importers count each object exactly once through it. */
    public static final class Collector {
        private final String source;
        private final Map<Indicator.Key, Indicator> indicators = new LinkedHashMap<>();
        private final Map<String, Integer> objectTypes = new LinkedHashMap<>();
        private final List<Problem> problems = new ArrayList<>();
        private final List<Problem> notes = new ArrayList<>();
        private int read;
        private int imported;
        private int rejected;
        private int unsupported;
        private int skipped;

        public Collector(String source) {
            this.source = requireNonNull(source, "source");
        }

        public String source() {
            return source;
        }

        /** Adds an indicator (merged with an earlier one of the same key). */
        public void indicator(Indicator indicator) {
            indicators.merge(indicator.key(), indicator, Indicator::merge);
        }

        public void objectType(String type) {
            objectTypes.merge(type, 1, Integer::sum);
        }

        public void read() {
            read++;
        }

        public void imported() {
            imported++;
        }

        public void unsupported() {
            unsupported++;
        }

        public void skipped() {
            skipped++;
        }

        /** Counts a rejected object and reports why. */
        public void rejected(long location, String message) {
            rejected++;
            problem(location, message);
        }

        /** Reports a problem that is not one object's rejection (a broken file, an unknown object type). */
        public void problem(long location, String message) {
            problems.add(new Problem(source, location, message));
        }

        public void note(long location, String message) {
            notes.add(new Problem(source, location, message));
        }

        public int indicatorCount() {
            return indicators.size();
        }

        public ImportResult result() {
            return new ImportResult(
                    source,
                    new ArrayList<>(indicators.values()),
                    read,
                    imported,
                    rejected,
                    unsupported,
                    skipped,
                    objectTypes,
                    problems,
                    notes);
        }
    }
}
