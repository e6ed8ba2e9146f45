package dev.vigil.console;

import static java.util.Objects.requireNonNull;

import dev.vigil.intel.IndicatorIndex;
import dev.vigil.intel.IndicatorLookup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the threat-intelligence page reads from the server: the indicators it matches events against and the state of
 * the configured feeds. The page filters both by tenant (global indicators and feeds plus the tenant's own).
 */
public interface IntelView {
    /** Every indicator held, global and each tenant's, live or not. */
    IndicatorLookup indicators();

    /** The configured feeds in configuration order with their last pulls. */
    List<Feed> feeds();

    /** A server without threat intelligence: no indicators, no feeds. */
    static IntelView none() {
        IndicatorIndex empty = IndicatorIndex.builder().build();
        return new IntelView() {
            @Override
            public IndicatorLookup indicators() {
                return empty;
            }

            @Override
            public List<Feed> feeds() {
                return List.of();
            }
        };
    }

    /**
     * A configured feed and its last pull.
     *
     * @param name the feed's name (the source name its indicators carry)
     * @param type taxii, stix, misp, misp-event or csv
     * @param location where it is pulled from, with credentials and the query string removed ({@link Masking#url})
     * @param tenant the tenant its indicators go to, or {@code null} for a global feed
     * @param interval how often it is pulled
     * @param lastPull when it was last pulled, or {@code null} when not yet since the server started
     * @param outcome imported, not-modified or failed; empty when not yet pulled
     * @param indicators indicators stored by the last pull
     * @param rejected records the last pull rejected
     * @param error the last pull's error, or empty
     */
    record Feed(
            String name,
            String type,
            String location,
            String tenant,
            Duration interval,
            Instant lastPull,
            String outcome,
            int indicators,
            int rejected,
            String error) {
        public Feed {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
            requireNonNull(location, "location");
            requireNonNull(interval, "interval");
            outcome = outcome == null ? "" : outcome;
            error = error == null ? "" : error;
        }
    }
}
