package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * YAML loading with a bound on nesting, for every YAML file or request Vigil reads (rules, filters, pipelines,
 * configuration). The YAML engine composes a document recursively, one set of stack frames per level, and its settings
 * bound text size and aliases but not depth: 400 KB of {@code [} or of {@code "- "} ends in a {@link
 * StackOverflowError}, which escapes every handler written for bad input. Here a collection nested deeper than {@link
 * #MAX_DEPTH} levels is a {@link YamlEngineException} naming its line, like any other YAML error.
 *
 * <p>Otherwise the same as {@link Load#loadFromString} and {@link Load#loadAllFromString} with the given settings.
 */
public final class BoundedYaml {
    /** The deepest nesting of sequences and mappings accepted; Sigma rules and Vigil's files need under ten. */
    public static final int MAX_DEPTH = 64;

    private BoundedYaml() {}

    /**
     * The single document of {@code text} (null when it has none).
     *
     * @throws YamlEngineException for invalid YAML, more than one document, or nesting deeper than {@link #MAX_DEPTH}
     */
    public static Object load(LoadSettings settings, String text) {
        Composer composer = composer(settings, text);
        return new StandardConstructor(settings).constructSingleDocument(composer.getSingleNode());
    }

    /**
     * Every document of {@code text}, in order.
     *
     * @throws YamlEngineException for invalid YAML or nesting deeper than {@link #MAX_DEPTH}
     */
    public static List<Object> loadAll(LoadSettings settings, String text) {
        Composer composer = composer(settings, text);
        StandardConstructor constructor = new StandardConstructor(settings);
        List<Object> documents = new ArrayList<>();
        while (composer.hasNext()) {
            documents.add(constructor.constructSingleDocument(Optional.of(composer.next())));
        }
        return documents;
    }

    private static Composer composer(LoadSettings settings, String text) {
        return new DepthBoundComposer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
    }

    /** Refuses a collection nested deeper than {@link #MAX_DEPTH} before composing it. */
    private static final class DepthBoundComposer extends Composer {
        private int depth;

        DepthBoundComposer(LoadSettings settings, ParserImpl parser) {
            super(settings, parser);
        }

        @Override
        protected SequenceNode composeSequenceNode(Optional<Anchor> anchor) {
            return nested(() -> super.composeSequenceNode(anchor));
        }

        @Override
        protected Node composeMappingNode(Optional<Anchor> anchor) {
            return nested(() -> super.composeMappingNode(anchor));
        }

        /** Composes one collection a level deeper than the current one. */
        private <T> T nested(Supplier<T> compose) {
            enter();
            try {
                return compose.get();
            } finally {
                depth--;
            }
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                // The event about to be composed opened the collection one level too deep.
                String where = parser.peekEvent()
                        .getStartMark()
                        .map(m -> " (line " + (m.getLine() + 1) + ")")
                        .orElse("");
                throw new YamlEngineException("collections nested more than " + MAX_DEPTH + " levels deep" + where);
            }
        }
    }
}
