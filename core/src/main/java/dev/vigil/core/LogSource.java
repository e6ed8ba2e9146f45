package dev.vigil.core;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Sigma log source of an event: a product and the categories and services it belongs to. One event can belong to
 * several categories (a Sysmon registry event is both {@code registry_set} and {@code registry_event}) and services.
 * A {@code null} product means the reader could not tell; routing treats unknown parts as "could be anything", so rules
 * still run over generic JSON whose origin Vigil cannot recognise.
 */
public record LogSource(String product, Set<String> categories, Set<String> services) {
    public static final LogSource UNKNOWN = new LogSource(null, Set.of(), Set.of());

    public LogSource {
        product = product == null ? null : product.toLowerCase(Locale.ROOT);
        categories = normalise(categories);
        services = normalise(services);
    }

    public static LogSource of(String product, String category, String service) {
        return new LogSource(
                product, category == null ? Set.of() : Set.of(category), service == null ? Set.of() : Set.of(service));
    }

    public boolean isUnknown() {
        return product == null && categories.isEmpty() && services.isEmpty();
    }

    private static Set<String> normalise(Set<String> values) {
        if (values == null || values.isEmpty()) {
            return Set.of();
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String v : values) {
            sorted.add(v.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(sorted);
    }
}
