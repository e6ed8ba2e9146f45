package dev.vigil.notify;

import java.util.List;
import java.util.Map;

/**
 * How a value is made safe for the text it is placed in. Every value a template inserts passes through one of these;
 * there is no way to insert a value raw.
 *
 * <p>All formats first make the value one line of visible text: line breaks (CR, LF, NEL, U+2028, U+2029) and other
 * control characters become spaces, and Unicode bidirectional overrides and isolates are dropped, so a value can neither
 * start a new header, paragraph or list item nor display reversed ({@code "invoice\u202Efdp.exe"}). Then:
 *
 * <ul>
 *   <li>{@link #PLAIN}: nothing more (subjects, chat titles, plain-text bodies, Feishu text elements);
 *   <li>{@link #HTML}: {@code & < > " '} become character references;
 *   <li>{@link #MARKDOWN}: every character with an inline meaning in CommonMark or GitHub-flavoured markdown
 *       (emphasis, code, links, images, HTML, table cells, entities, e-mail autolinks) is escaped with a backslash, and
 *       so is a leading {@code # + - =} (a value placed at the start of a line cannot make a heading or a list), and
 *       URL schemes are defanged ({@code hxxp://}, {@code hxxps://}, {@code fxp://}, {@code www[.]}) so that chat
 *       clients' auto-linking does not turn a URL read from a log into a clickable link.
 * </ul>
 */
public enum TextFormat {
    PLAIN,
    /** Plain text whose URL schemes are defanged as in {@link #MARKDOWN}: chat text that clients auto-link. */
    DEFANGED,
    HTML,
    MARKDOWN;

    /** {@code value} made safe for this format. */
    public String escape(String value) {
        String line = oneLine(value);
        return switch (this) {
            case PLAIN -> line;
            case DEFANGED -> defang(line);
            case HTML -> html(line);
            case MARKDOWN -> markdown(defang(line));
        };
    }

    /**
     * A trusted URL (the console link, already checked to be http or https) made safe for this format: attribute
     * escaping in HTML, and in markdown the characters that would end a link destination percent-encoded.
     */
    public String escapeUrl(String url) {
        String line = oneLine(url);
        return switch (this) {
            case PLAIN, DEFANGED -> line;
            case HTML -> html(line);
            case MARKDOWN -> {
                StringBuilder b = new StringBuilder(line.length());
                for (int i = 0; i < line.length(); i++) {
                    char c = line.charAt(i);
                    switch (c) {
                        case '(' -> b.append("%28");
                        case ')' -> b.append("%29");
                        case '<' -> b.append("%3C");
                        case '>' -> b.append("%3E");
                        case ' ' -> b.append("%20");
                        case '\\' -> b.append("%5C");
                        default -> b.append(c);
                    }
                }
                yield b.toString();
            }
        };
    }

    /** A list of (label, value) pairs, both escaped here: a bullet list in each format. */
    public String pairList(List<Map.Entry<String, String>> pairs) {
        if (pairs.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        if (this == HTML) {
            b.append("<ul>");
        }
        for (Map.Entry<String, String> p : pairs) {
            String label = escape(p.getKey());
            String value = escape(p.getValue());
            switch (this) {
                case PLAIN, DEFANGED ->
                    b.append("- ").append(label).append(": ").append(value).append('\n');
                case HTML ->
                    b.append("<li><b>")
                            .append(label)
                            .append("</b>: ")
                            .append(value)
                            .append("</li>");
                case MARKDOWN ->
                    b.append("- **").append(label).append("**: ").append(value).append('\n');
            }
        }
        if (this == HTML) {
            b.append("</ul>");
        } else {
            b.setLength(b.length() - 1);
        }
        return b.toString();
    }

    static String oneLine(String value) {
        StringBuilder b = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            boolean bidi = (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069')
                    || c == '\u200e'
                    || c == '\u200f'
                    || c == '\u061c';
            if (control || bidi) {
                if (b == null) {
                    b = new StringBuilder(value.length()).append(value, 0, i);
                }
                if (control) {
                    b.append(' ');
                }
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? value : b.toString();
    }

    private static String html(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Characters with an inline meaning, escaped wherever they are. */
    private static final String MARKDOWN_INLINE = "\\`*_{}[]()<>!|~&@";

    /** Characters that mean something only at the start of a line (headings, lists, setext underlines). */
    private static final String MARKDOWN_LINE_START = "#+-=";

    private static String markdown(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (MARKDOWN_INLINE.indexOf(c) >= 0 || (i == 0 && MARKDOWN_LINE_START.indexOf(c) >= 0)) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Defangs URL schemes and {@code www.} the way analysts write indicators, case-insensitively. */
    static String defang(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (!lower.contains("://") && !lower.contains("www.")) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        int i = 0;
        while (i < s.length()) {
            if (lower.startsWith("http://", i) || lower.startsWith("https://", i)) {
                b.append(s.charAt(i)).append("xx").append(s.charAt(i + 3));
                i += 4;
            } else if (lower.startsWith("ftp://", i)) {
                b.append(s.charAt(i)).append('x').append(s.charAt(i + 2));
                i += 3;
            } else if (lower.startsWith("www.", i)) {
                b.append(s, i, i + 3).append("[.]");
                i += 4;
            } else if (lower.startsWith("://", i)) {
                b.append("[:]//");
                i += 3;
            } else {
                b.append(s.charAt(i));
                i++;
            }
        }
        return b.toString();
    }
}
