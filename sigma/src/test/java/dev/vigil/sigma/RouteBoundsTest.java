package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Log sources come from the data, so the candidate index must not keep a route for each one an attacker makes up: a
 * routing key keeps only what can change the rules an event meets, at most {@link RuleIndex#MAX_ROUTES} keys get a
 * route of their own, and past that events meet every rule filtered by their own log source, with the same detections.
 * Each rule below fires on any event whose Image contains "x", so an event's detections are exactly the rules of its
 * log source, which the test works out on its own from how it made the rules.
 */
class RouteBoundsTest {
    private static final List<String> PRODUCTS = List.of("windows", "linux");
    private static final int CATEGORIES = 20;
    private static final List<String> SERVICES = List.of("security", "sysmon", "auth");

    /** One rule per product (or none), category (or none) and service (or none); its title spells the three. */
    private record RuleSource(String product, String category, String service) {
        String title() {
            return product + "/" + category + "/" + service;
        }

        boolean applies(LogSource s) {
            if (s.product() == null) {
                return true;
            }
            return (product == null || product.equals(s.product()))
                    && (category == null || s.categories().contains(category))
                    && (service == null || s.services().contains(service));
        }
    }

    private static final List<RuleSource> SOURCES = new ArrayList<>();
    private static final SigmaRuleSet RULES;

    static {
        List<String> products = new ArrayList<>(PRODUCTS);
        products.add(null);
        List<String> categories = new ArrayList<>();
        for (int c = 0; c < CATEGORIES; c++) {
            categories.add("c" + c);
        }
        categories.add(null);
        List<String> services = new ArrayList<>(SERVICES);
        services.add(null);
        for (String p : products) {
            for (String c : categories) {
                for (String s : services) {
                    SOURCES.add(new RuleSource(p, c, s));
                }
            }
        }
        RULES = rebuilt();
        assertThat(RULES.report().failed()).as("%s", RULES.report().errors()).isZero();
    }

    @Test
    void aRoutingKeyMeetsTheSameRulesAsItsLogSource() {
        Random random = new Random(20261127L);
        RuleIndex index = RULES.index();
        for (int i = 0; i < 2000; i++) {
            LogSource source = randomSource(random, true);
            LogSource key = index.routingKey(source);
            for (int r = 0; r < index.ruleCount(); r++) {
                CompiledRule rule = index.rule(r);
                assertThat(RuleIndex.applies(rule, key))
                        .as("rule %s, source %s, key %s", rule.ref().title(), source, key)
                        .isEqualTo(RuleIndex.applies(rule, source));
            }
        }
    }

    @Test
    void madeUpProductsCategoriesAndServicesShareRoutes() {
        Random random = new Random(7L);
        SigmaRuleSet rules = rebuilt();
        SigmaDetector detector = new SigmaDetector(rules);
        for (int i = 0; i < 3000; i++) {
            // Only made-up categories: the routes are those of the products and service sets, whatever else is said.
            LogSource source = new LogSource(
                    random.nextBoolean() ? "windows" : "made-up-" + i,
                    Set.of("not-a-category-" + i),
                    random.nextBoolean() ? Set.of("sysmon", "unheard-of-" + i) : Set.of());
            assertDetections(detector, source);
        }
        assertThat(rules.index().cachedRoutes()).isLessThanOrEqualTo(4);
        assertThat(rules.eventsOnUncachedRoute()).isZero();
    }

    /**
     * {@code productlessFirst}: an event without a product comes first, so the route of all rules is cached and the
     * fallback shares its automata; otherwise the fallback builds its own.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pastTheCapEventsMeetEveryRuleCheckedAgainstTheirLogSource(boolean productlessFirst) {
        Random random = new Random(11L);
        SigmaRuleSet rules = rebuilt();
        SigmaDetector detector = new SigmaDetector(rules);
        Set<LogSource> keys = new HashSet<>();
        if (productlessFirst) {
            LogSource productless = new LogSource(null, Set.of("c3"), Set.of());
            keys.add(rules.index().routingKey(productless));
            assertDetections(detector, productless);
        }
        for (int i = 0; i < 3 * RuleIndex.MAX_ROUTES; i++) {
            LogSource source = randomSource(random, false);
            keys.add(rules.index().routingKey(source));
            assertDetections(detector, source);
        }
        assertThat(keys.size()).as("distinct routing keys made").isGreaterThan(RuleIndex.MAX_ROUTES);
        assertThat(rules.index().cachedRoutes()).isEqualTo(RuleIndex.MAX_ROUTES);
        assertThat(rules.eventsOnUncachedRoute()).isPositive().isLessThan(3L * RuleIndex.MAX_ROUTES);
        // Events without a product meet every rule on any route.
        assertDetections(detector, new LogSource(null, Set.of("c4"), Set.of("auth")));
    }

    @Test
    void atMostSoManyLogSourcesAreRemembered() {
        SigmaRuleSet rules = rebuilt();
        SigmaDetector detector = new SigmaDetector(rules);
        for (int i = 0; i < RuleIndex.MAX_LOG_SOURCES + 500; i++) {
            assertDetections(detector, new LogSource("made-up-" + i, Set.of("c2"), Set.of()));
        }
        assertThat(rules.index().rememberedLogSources()).isEqualTo(RuleIndex.MAX_LOG_SOURCES);
        assertThat(rules.index().cachedRoutes()).isEqualTo(1);
    }

    @Test
    void longLogSourcesAreRoutedButNotRemembered() {
        SigmaRuleSet rules = rebuilt();
        SigmaDetector detector = new SigmaDetector(rules);
        for (int i = 0; i < 50; i++) {
            // A made-up product as long as a record: its routing key is short, the source itself is not kept.
            assertDetections(detector, new LogSource(("p" + i).repeat(5000), Set.of("c1"), Set.of("auth")));
        }
        assertThat(rules.index().rememberedLogSources()).isZero();
        assertThat(rules.index().cachedRoutes()).isEqualTo(1);
        assertDetections(detector, new LogSource("windows", Set.of("c1"), Set.of("auth")));
        assertThat(rules.index().rememberedLogSources()).isEqualTo(1);
    }

    @Test
    void aRuleCannotShareTheNameGivenToProductsNoRuleNames() {
        SigmaRuleSet rules = SigmaRuleSet.builder().addYaml("odd.yml", """
                        title: odd product
                        logsource:
                          product: "\\0unnamed"
                        detection:
                          selection:
                            Image|contains: 'x'
                          condition: selection
                        """).build();
        assertThat(rules.report().failed()).isZero();
        Event e = Event.builder()
                .logSource(new LogSource("some-other-product", Set.of(), Set.of()))
                .field("Image", "x")
                .build();
        assertThat(new SigmaDetector(rules).process(e)).isEmpty();
        Event named = Event.builder()
                .logSource(new LogSource("\u0000unnamed", Set.of(), Set.of()))
                .field("Image", "x")
                .build();
        assertThat(new SigmaDetector(rules).process(named)).hasSize(1);
    }

    /** A rule set of the same rules with an empty route cache. */
    private static SigmaRuleSet rebuilt() {
        SigmaRuleSet.Builder b = SigmaRuleSet.builder();
        for (RuleSource r : SOURCES) {
            StringBuilder yaml = new StringBuilder("title: '" + r.title() + "'\nlogsource:\n");
            yaml.append(r.product() == null ? "" : "  product: " + r.product() + "\n");
            yaml.append(r.category() == null ? "" : "  category: " + r.category() + "\n");
            yaml.append(r.service() == null ? "" : "  service: " + r.service() + "\n");
            if (r.product() == null && r.category() == null && r.service() == null) {
                yaml.append("  definition: any\n");
            }
            yaml.append("detection:\n  selection:\n    Image|contains: 'x'\n  condition: selection\n");
            b.addYaml(r.title() + ".yml", yaml.toString());
        }
        return b.build();
    }

    private static void assertDetections(SigmaDetector detector, LogSource source) {
        Event e = Event.builder().logSource(source).field("Image", "C:\\x.exe").build();
        TreeSet<String> fired = new TreeSet<>();
        detector.process(e).forEach(d -> fired.add(d.rule().title()));
        TreeSet<String> expected = new TreeSet<>();
        for (RuleSource r : SOURCES) {
            if (r.applies(source)) {
                expected.add(r.title());
            }
        }
        assertThat(fired).as("detections of an event of %s", source).isEqualTo(expected);
    }

    /** Products, categories and services the rules name, mixed (when {@code madeUp}) with ones they do not. */
    private static LogSource randomSource(Random random, boolean madeUp) {
        int p = random.nextInt(madeUp ? 5 : 3);
        String product = p < PRODUCTS.size() ? PRODUCTS.get(p) : p == 2 ? "windows" : p == 3 ? null : "other";
        Set<String> categories = new HashSet<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            categories.add(
                    madeUp && random.nextInt(4) == 0 ? "z" + random.nextInt(99) : "c" + random.nextInt(CATEGORIES));
        }
        Set<String> services = new HashSet<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            services.add(madeUp && random.nextInt(4) == 0 ? "s" + random.nextInt(99) : SERVICES.get(random.nextInt(3)));
        }
        return new LogSource(product, categories, services);
    }
}
