package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.TenantId;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.FieldMapping;
import dev.vigil.sigma.RuleRef;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import dev.vigil.sigma.correlation.CorrelationEngine;
import dev.vigil.sigma.correlation.InMemoryCorrelationStateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Detection for many tenants over one compiled rule set.
 *
 * <p>The rule set (thousands of compiled rules and their indexes) is shared; what belongs to a tenant is kept apart: its
 * own {@link SigmaDetector}, so correlation windows never mix events of two tenants; the rules it disabled; and its
 * Sigma filters. Settings are read through {@link TenantSettings} and re-read when their version changes, so an
 * analyst's change applies to the next batch without a restart. Used by the pipeline thread only, but for the
 * correlation counts, which monitoring reads from its own thread.
 */
final class TenantDetection {
    /** What the pipeline needs to know of a tenant's rule settings. */
    interface TenantSettings {
        long version(TenantId tenant);

        Set<String> disabledRules(TenantId tenant);

        Map<String, String> filters(TenantId tenant);
    }

    private final SigmaRuleSet rules;
    private final FieldMapping mapping;
    private final TenantSettings settings;
    private final Clock clock;
    private final ProblemSink warnings;
    // Concurrent only so that monitoring can sum the tenants' counts while the pipeline adds a tenant.
    private final Map<TenantId, State> tenants = new ConcurrentHashMap<>();

    private static final class State {
        final SigmaDetector detector;
        final InMemoryCorrelationStateStore windows;
        long version = Long.MIN_VALUE;
        Set<String> disabled = Set.of();
        TenantFilters filters = TenantFilters.NONE;

        State(SigmaDetector detector, InMemoryCorrelationStateStore windows) {
            this.detector = detector;
            this.windows = windows;
        }
    }

    TenantDetection(
            SigmaRuleSet rules, FieldMapping mapping, TenantSettings settings, Clock clock, ProblemSink warnings) {
        this.rules = requireNonNull(rules, "rules");
        this.clock = requireNonNull(clock, "clock");
        this.mapping = requireNonNull(mapping, "mapping");
        this.settings = requireNonNull(settings, "settings");
        this.warnings = requireNonNull(warnings, "warnings");
    }

    /** Re-reads the settings of every tenant seen so far whose version changed (called once per batch at most). */
    void refreshSettings() {
        for (Map.Entry<TenantId, State> e : tenants.entrySet()) {
            refresh(e.getKey(), e.getValue());
        }
    }

    private void refresh(TenantId tenant, State state) {
        long v = settings.version(tenant);
        if (v != state.version) {
            state.version = v;
            state.disabled = Set.copyOf(settings.disabledRules(tenant));
            state.filters = TenantFilters.compile(settings.filters(tenant), mapping);
            for (String error : state.filters.errors()) {
                warnings.report(new dev.vigil.core.Problem("tenant " + tenant.value(), 0, error));
            }
        }
    }

    /** The detections of one event, for its own tenant only, after the tenant's settings. */
    List<Detection> detect(Event event) {
        return detect(event, null);
    }

    /**
     * Like {@link #detect(Event)} with the event's rule matches already computed (by {@link ParallelMatcher} on
     * another thread); {@code null} to match here.
     */
    List<Detection> detect(Event event, SigmaDetector.Matches matches) {
        State state = tenants.get(event.tenant());
        if (state == null) {
            // Event times are the senders': one stamped years ahead must not make every later event too late.
            InMemoryCorrelationStateStore windows = new InMemoryCorrelationStateStore(
                    InMemoryCorrelationStateStore.DEFAULT_ALLOWED_LATENESS,
                    InMemoryCorrelationStateStore.DEFAULT_MAX_GROUPS,
                    InMemoryCorrelationStateStore.DEFAULT_MAX_ENTRIES,
                    clock,
                    InMemoryCorrelationStateStore.DEFAULT_ALLOWED_LATENESS,
                    warnings);
            state = new State(new SigmaDetector(rules, windows, warnings), windows);
            refresh(event.tenant(), state);
            tenants.put(event.tenant(), state);
        }
        Set<String> disabled = state.disabled;
        TenantFilters filters = state.filters;
        SigmaDetector.Matches m = matches == null ? state.detector.match(event) : matches;
        if (!m.isEmpty() && !(disabled.isEmpty() && filters.isEmpty())) {
            // Before the correlations see the matches: a filter is part of the rule it names (Sigma's filters
            // specification), so an event it drops, like a match of a disabled rule, counts for no correlation.
            List<Detection> filterHits = filters.matching(event);
            m = m.without(rule -> disabled(disabled, rule) || filters.drops(rule, filterHits));
        }
        List<Detection> found = new ArrayList<>(2);
        state.detector.emit(event, m, found::add);
        if (!disabled.isEmpty()) {
            found.removeIf(d -> d.correlation() && disabled(disabled, d.rule()));
        }
        return found;
    }

    /**
     * How many times a correlation left an event out for this reason, summed over the tenants. Only the first skip of
     * each kind and correlation is logged (per tenant), so this is where a steady loss shows. Any thread.
     */
    long correlationSkipped(CorrelationEngine.SkipReason reason) {
        return sumOverTenants(s -> s.detector.correlationSkipped(reason));
    }

    /**
     * Correlation groups evicted to stay within bounds (the most groups of a correlation, the most entries of a
     * tenant's windows), summed over the tenants. Any thread.
     */
    long correlationGroupsEvicted() {
        return sumOverTenants(s -> s.windows.evictedGroups());
    }

    /** Events whose time was further ahead of the server's clock than allowed, summed over the tenants. Any thread. */
    long eventsAheadOfClock() {
        return sumOverTenants(s -> s.windows.eventsAheadOfClock());
    }

    private long sumOverTenants(ToLongFunction<State> count) {
        long sum = 0;
        for (State s : tenants.values()) {
            sum += count.applyAsLong(s);
        }
        return sum;
    }

    private static boolean disabled(Set<String> disabled, RuleRef rule) {
        return disabled.contains(rule.id()) || (rule.name() != null && disabled.contains(rule.name()));
    }
}
