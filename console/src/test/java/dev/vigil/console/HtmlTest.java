package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void onlyHttpHttpsAndSameSitePathsBecomeLinks() {
        assertThat(Html.safeUrl("https://example.org/a?b=c")).isEqualTo("https://example.org/a?b=c");
        assertThat(Html.safeUrl("HTTP://example.org")).isEqualTo("HTTP://example.org");
        assertThat(Html.safeUrl("/t/acme/search?q=x")).isEqualTo("/t/acme/search?q=x");
        for (String bad : List.of(
                "javascript:alert(1)",
                " JavaScript:alert(1)",
                "java\tscript:alert(1)",
                "data:text/html,<script>alert(1)</script>",
                "vbscript:msgbox",
                "//evil.example/x",
                "/\\evil.example",
                "relative/path",
                "")) {
            assertThat(Html.safeUrl(bad)).as(bad).isEqualTo("#");
        }
        assertThat(Html.safeUrl(null)).isEqualTo("#");
    }

    @Test
    void chartJsonIsPlainDataWhateverTheLabels() {
        String json = Html.json(Map.of("x", List.of("</script><script>alert(1)</script>")));
        assertThat(json).isEqualTo("{\"x\":[\"</script><script>alert(1)</script>\"]}");
    }
}
