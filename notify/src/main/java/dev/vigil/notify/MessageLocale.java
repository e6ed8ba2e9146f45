package dev.vigil.notify;

import java.util.Locale;

/** The languages notification templates are written in. */
public enum MessageLocale {
    EN("en"),
    ZH_CN("zh-CN");

    private final String tag;

    MessageLocale(String tag) {
        this.tag = tag;
    }

    /** The BCP 47 tag used in configuration: {@code en} or {@code zh-CN}. */
    public String tag() {
        return tag;
    }

    /** Parses {@code en} or {@code zh-CN} (case and {@code _} for {@code -} tolerated). */
    public static MessageLocale parse(String text) {
        String s = text.trim().replace('_', '-').toLowerCase(Locale.ROOT);
        return switch (s) {
            case "en", "en-us", "en-gb" -> EN;
            case "zh", "zh-cn", "zh-hans", "zh-hans-cn" -> ZH_CN;
            default -> throw new IllegalArgumentException("unknown locale '" + text + "': use en or zh-CN");
        };
    }
}
