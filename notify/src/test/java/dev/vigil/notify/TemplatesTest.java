package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.alert.Severity;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TemplatesTest {
    @Test
    void htmlBodyEscapesMarkupAndKeepsTheConsoleLink() {
        RenderedMessage m = MessageRenderer.render(
                BuiltinTemplates.of(TemplateStyle.EMAIL, MessageLocale.EN),
                Samples.hostile(),
                MessageLocale.EN,
                ZoneOffset.UTC);
        assertThat(m.html())
                .doesNotContain("<script>")
                .doesNotContain("<img")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("**admin**&lt;img src=x onerror=alert(1)&gt;")
                .contains("<a href=\"https://vigil.example.com/alerts/a-1001?tenant=acme\">Open in Vigil</a>")
                .contains("ws-042  X-Injected: yes");
        // The only anchor is the console link.
        assertThat(m.html().split("<a ", -1)).hasSize(2);
        assertThat(m.title())
                .isEqualTo(
                        "[Vigil] [High] Office <script>alert(1)</script> spawned PowerShell  Bcc: victim@example.com")
                .doesNotContain("\r")
                .doesNotContain("\n");
        assertThat(m.body())
                .contains("- Host: ws-042  X-Injected: yes\n")
                .contains("Rule: Office application spawns PowerShell");
    }

    @Test
    void markdownBodyEscapesLinksImagesAndEmphasisAndDefangsUrls() {
        RenderedMessage m = MessageRenderer.render(
                BuiltinTemplates.of(TemplateStyle.MARKDOWN, MessageLocale.EN),
                Samples.hostile(),
                MessageLocale.EN,
                ZoneOffset.UTC);
        String body = m.body();
        assertThat(body)
                .contains("hxxp\\[:\\]//evil.example/\\[click\\]\\(javascript:alert\\(1\\)\\)")
                .contains("\\*\\*admin\\*\\*\\<img src=x onerror=alert\\(1\\)\\>")
                .contains("\\!\\[img\\]\\(hxxps\\[:\\]//evil.example/x.png\\)")
                .contains("[Open in Vigil](https://vigil.example.com/alerts/a-1001?tenant=acme)");
        // No unescaped link or image syntax survives from a value: every "](" is the console link's.
        assertThat(body.split("\\]\\(", -1)).hasSize(2);
        // A CRLF in a value cannot start a new markdown line.
        assertThat(body).doesNotContain("\nX-Injected");
    }

    @Test
    void chineseTemplatesUseLocalisedLabelsAndTheRouteZone() {
        RenderedMessage m = MessageRenderer.render(
                BuiltinTemplates.of(TemplateStyle.TEXT, MessageLocale.ZH_CN),
                Samples.hostile(),
                MessageLocale.ZH_CN,
                ZoneId.of("Asia/Shanghai"));
        assertThat(m.title()).startsWith("【高危】Office");
        assertThat(m.body())
                .startsWith("告警：Office")
                .contains("级别：高危")
                .contains("时间：2026-11-26 10:38:17 Asia/Shanghai")
                .contains("- 主机: ws-042  X-Injected: yes")
                .contains("ATT&CK 技术：T1059.001")
                .contains("在 Vigil 中查看：https://vigil.example.com/alerts/a-1001?tenant=acme");
    }

    @Test
    void sectionsDisappearWhenTheirValueIsEmpty() {
        Notification n = Samples.alert("acme", "a-1", Severity.LOW, "");
        RenderedMessage m = MessageRenderer.render(
                BuiltinTemplates.of(TemplateStyle.TEXT, MessageLocale.EN), n, MessageLocale.EN, ZoneOffset.UTC);
        assertThat(m.body())
                .doesNotContain("Rule:")
                .doesNotContain("Open in Vigil")
                .doesNotContain("ATT&CK");
        Template t = Template.compile("t", "{{^link}}no link{{/link}}{{#link}}x{{/link}}");
        assertThat(t.render(Map.of())).isEqualTo("no link");
        assertThat(t.render(Map.of("link", "u"))).isEqualTo("x");
    }

    @Test
    void templateMistakesAreReportedWithNameAndOffset() {
        assertThatThrownBy(() -> Template.compile("channels.mail.body", "Hello {{titel}}"))
                .hasMessageContaining("channels.mail.body at offset 6")
                .hasMessageContaining("unknown variable 'titel'");
        assertThatThrownBy(() -> Template.compile("t", "{{#link}}x"))
                .hasMessageContaining("section 'link' is not closed");
        assertThatThrownBy(() -> Template.compile("t", "{{#link}}x{{/title}}"))
                .hasMessageContaining("'{{/title}}' closes no open section");
        assertThatThrownBy(() -> Template.compile("t", "x {{title")).hasMessageContaining("not closed by '}}'");
    }

    @Test
    void bidirectionalOverridesAreDroppedAndControlsBecomeSpaces() {
        assertThat(TextFormat.PLAIN.escape("invoice\u202Efdp.exe")).isEqualTo("invoicefdp.exe");
        assertThat(TextFormat.PLAIN.escape("a\u0000b\tc\u2028d")).isEqualTo("a b c d");
    }

    /** Seeded random strings: undoing each escape gives back the one-line value, and no raw markup character survives. */
    @Test
    void escapingIsReversibleAndLeavesNoMarkup() {
        SplittableRandom r = new SplittableRandom(20261126);
        String alphabet = "ab<>&\"'*_[]()!#|`~\\/:.@ \r\n\t\u202e中";
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(30);
            for (int k = 0; k < len; k++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String value = b.toString();
            String line = TextFormat.oneLine(value);
            String html = TextFormat.HTML.escape(value);
            assertThat(html).doesNotContain("<", ">", "\"", "'", "\n", "\r");
            assertThat(unescapeHtml(html)).isEqualTo(line);
            String md = TextFormat.MARKDOWN.escape(value);
            assertThat(unescapeMarkdown(md)).isEqualTo(TextFormat.defang(line));
            assertThat(md).doesNotContain("\n", "\r");
        }
    }

    private static String unescapeHtml(String s) {
        return s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /** Reference reading of backslash escapes; also checks every markup character is escaped. */
    private static String unescapeMarkdown(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append(s.charAt(++i));
            } else {
                assertThat(i == 0 ? "*_[]()<>!|`~&@#+-=" : "*_[]()<>!|`~&@")
                        .as("unescaped %s in %s", c, s)
                        .doesNotContain(String.valueOf(c));
                b.append(c);
            }
        }
        return b.toString();
    }

    @Test
    void globMatchesLikeAReferenceRegex() {
        SplittableRandom r = new SplittableRandom(42);
        String alphabet = "ab*?.";
        for (int i = 0; i < 5000; i++) {
            String pattern = random(r, alphabet, 6);
            String text = random(r, "ab.", 8);
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                regex.append(
                        switch (c) {
                            case '*' -> ".*";
                            case '?' -> ".";
                            default -> java.util.regex.Pattern.quote(String.valueOf(c));
                        });
            }
            assertThat(Glob.matches(pattern, text))
                    .as("%s ~ %s", pattern, text)
                    .isEqualTo(text.matches(regex.toString()));
        }
    }

    private static String random(SplittableRandom r, String alphabet, int max) {
        StringBuilder b = new StringBuilder();
        int len = r.nextInt(max + 1);
        for (int k = 0; k < len; k++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
