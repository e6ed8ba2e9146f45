package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The nesting bound of {@link BoundedYaml}, as rule files meet it through {@link SigmaYaml}. */
class SigmaYamlTest {
    @Test
    void nestingUpToTheLimitLoadsAndOneLevelMoreIsRefusedWithItsLine() throws SigmaException {
        // The document's own mapping is the first level.
        String inner = "[".repeat(BoundedYaml.MAX_DEPTH - 1) + "x" + "]".repeat(BoundedYaml.MAX_DEPTH - 1);
        List<SigmaYaml.Document> docs = SigmaYaml.load("ok.yml", "title: t\na: " + inner + "\n");
        assertThat(docs).hasSize(1);
        Object value = docs.get(0).content().get("a");
        int depth = 1;
        while (value instanceof List<?> list) {
            depth++;
            value = list.get(0);
        }
        assertThat(depth).isEqualTo(BoundedYaml.MAX_DEPTH);
        assertThat(value).isEqualTo("x");

        String deeper =
                "title: t\n\na: " + "[".repeat(BoundedYaml.MAX_DEPTH) + "]".repeat(BoundedYaml.MAX_DEPTH) + "\n";
        assertThatThrownBy(() -> SigmaYaml.load("deep.yml", deeper))
                .isInstanceOf(SigmaException.class)
                .hasMessageContaining("nested more than " + BoundedYaml.MAX_DEPTH + " levels deep")
                .hasMessageContaining("line 3");
    }

    @Test
    void deepBlockMappingsAreRefusedToo() {
        StringBuilder yaml = new StringBuilder();
        for (int level = 0; level < 2_000; level++) {
            yaml.append(" ".repeat(level)).append("k").append(level).append(":\n");
        }
        yaml.append(" ".repeat(2_000)).append("x\n");
        assertThatThrownBy(() -> SigmaYaml.load("block.yml", yaml.toString()))
                .isInstanceOf(SigmaException.class)
                .hasMessageContaining("nested more than");
    }

    @Test
    void aTooDeepLaterDocumentRefusesTheWholeFile() {
        // As for any YAML error: the rule set reports the file once, with the line of the deep document.
        String yaml = "title: a\n---\ntitle: b\nx: " + "{k: ".repeat(100) + "v" + "}".repeat(100) + "\n";
        assertThatThrownBy(() -> SigmaYaml.load("two.yml", yaml))
                .isInstanceOf(SigmaException.class)
                .hasMessageContaining("line 4");
    }
}
