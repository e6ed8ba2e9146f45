package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies routes in order. Every matching route contributes its channels; a channel named by several matching routes
 * gets the notification once, in the language of the first of them.
 */
public final class Router {
    /** One channel a notification goes to, and how to write it there. */
    public record Target(String channel, RenderOptions options) {}

    private final List<Route> routes;

    /**
     * @param routes the routes in order of precedence
     * @param channels the configured channel names; a route naming another is refused here, at start-up
     */
    public Router(List<Route> routes, Set<String> channels) {
        this.routes = List.copyOf(requireNonNull(routes, "routes"));
        for (Route r : this.routes) {
            for (String c : r.channels()) {
                if (!channels.contains(c)) {
                    throw new IllegalArgumentException("route " + r.name() + " names unknown channel '" + c
                            + "'; configured: "
                            + String.join(", ", channels.stream().sorted().toList()));
                }
            }
        }
    }

    public List<Target> route(Notification n) {
        Map<String, Target> targets = new LinkedHashMap<>();
        for (Route r : routes) {
            if (r.matches(n)) {
                for (String c : r.channels()) {
                    targets.putIfAbsent(c, new Target(c, r.options()));
                }
            }
        }
        return new ArrayList<>(targets.values());
    }
}
