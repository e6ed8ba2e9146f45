package dev.vigil.console;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The console's texts in one language, from {@code dev/vigil/console/messages*.properties} (UTF-8). A missing key shows
 * as {@code ??key??}, which a test looks for in every page of every language.
 */
public final class Messages {
    /** The languages a user may choose, by BCP 47 tag. */
    public static final List<String> LANGUAGES = List.of("en", "zh-CN");

    private static final String BUNDLE = "dev.vigil.console.messages";
    private final ResourceBundle bundle;
    private final Locale locale;

    private Messages(Locale locale) {
        this.locale = locale;
        this.bundle = ResourceBundle.getBundle(
                BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The messages for a tag from {@link #LANGUAGES}; English for anything else. */
    public static Messages forTag(String tag) {
        return new Messages(LANGUAGES.contains(tag) ? Locale.forLanguageTag(tag) : Locale.ENGLISH);
    }

    /** The language tag for {@code <html lang>}. */
    public String tag() {
        return locale.toLanguageTag();
    }

    public String t(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return "??" + key + "??";
        }
    }

    /** A message with {@link MessageFormat} arguments ({@code {0}} ...). */
    public String t(String key, Object... args) {
        return new MessageFormat(t(key), locale).format(args);
    }
}
