package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import java.util.List;
import java.util.Set;

/**
 * Which notifications go to which channels, and in what language. A notification matches when every condition given
 * holds; an empty set or list means "any".
 *
 * @param name the route's name, for messages
 * @param tenants the tenants it applies to (empty: all)
 * @param minSeverity the least severity sent
 * @param rules glob patterns over the rule id ({@code *}, {@code ?}; empty: all rules, and incidents without a rule)
 * @param kinds alert, incident or both (empty: both)
 * @param channels the channel names to deliver to
 * @param options the language and time zone of the messages
 */
public record Route(
        String name,
        Set<TenantId> tenants,
        Severity minSeverity,
        List<String> rules,
        Set<Notification.Kind> kinds,
        List<String> channels,
        RenderOptions options) {
    public Route {
        requireNonNull(name, "name");
        tenants = tenants == null ? Set.of() : Set.copyOf(tenants);
        minSeverity = minSeverity == null ? Severity.INFORMATIONAL : minSeverity;
        rules = rules == null ? List.of() : List.copyOf(rules);
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
        channels = List.copyOf(requireNonNull(channels, "channels"));
        options = options == null ? RenderOptions.DEFAULT : options;
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("route " + name + ": no channels");
        }
    }

    public boolean matches(Notification n) {
        if (!tenants.isEmpty() && !tenants.contains(n.tenant())) {
            return false;
        }
        if (n.severity().compareTo(minSeverity) < 0) {
            return false;
        }
        if (!kinds.isEmpty() && !kinds.contains(n.kind())) {
            return false;
        }
        if (rules.isEmpty()) {
            return true;
        }
        for (String glob : rules) {
            if (Glob.matches(glob, n.ruleId())) {
                return true;
            }
        }
        return false;
    }
}
