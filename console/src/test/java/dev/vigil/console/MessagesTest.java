package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MessagesTest {
    private static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream(name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void bothLanguagesHaveTheSameKeysAndChineseIsTranslated() throws Exception {
        Properties en = load("messages.properties");
        Properties zh = load("messages_zh_CN.properties");
        assertThat(zh.stringPropertyNames()).isEqualTo(en.stringPropertyNames());
        long untranslated = en.stringPropertyNames().stream()
                .filter(k -> !k.equals("app.name") && !k.startsWith("language."))
                .filter(k -> en.getProperty(k).equals(zh.getProperty(k)))
                .count();
        assertThat(untranslated).isZero();
    }

    @Test
    void tagsSelectTheBundleAndUnknownOnesFallBackToEnglish() {
        assertThat(Messages.forTag("zh-CN").t("nav.overview")).isEqualTo("概览");
        assertThat(Messages.forTag("zh-CN").tag()).isEqualTo("zh-CN");
        assertThat(Messages.forTag("en").t("nav.overview")).isEqualTo("Overview");
        assertThat(Messages.forTag("fr").t("nav.overview")).isEqualTo("Overview");
        assertThat(Messages.forTag("en").t("no.such.key")).isEqualTo("??no.such.key??");
        assertThat(Messages.forTag("zh-CN").t("alerts.total", 1234)).isEqualTo("共 1,234 条告警");
    }
}
