package dev.vigil.console;

import dev.vigil.sigma.RuleRef;
import java.util.List;

/** The detection rules the server runs (the same set for every tenant; tenants disable rules in their settings). */
@FunctionalInterface
public interface RuleCatalog {
    List<RuleRef> rules();
}
