package dev.vigil.formats.text;

import java.util.List;

/**
 * A line-oriented log format (syslog, CEF, auditd, Zeek TSV, access logs, ...). An implementation is a stateless
 * description: it judges sample lines and makes a {@link TextParser}, which holds the state of one file.
 *
 * <p>Formats are listed in {@link TextFormats}; {@code EventReader} detects a text file's format by asking every format
 * to {@linkplain #score score} the file's first non-blank lines and takes the highest non-zero score (ties go to the
 * earlier format in the list), or the one the user forced with {@code --as NAME}.
 */
public interface TextFormat {
    /** The name users give to {@code --as}, lower case, e.g. {@code syslog}, {@code cef}, {@code zeek}. */
    String name();

    /** One line for {@code vigil parse --help}. */
    String description();

    /**
     * How well the first non-blank lines of a file (at most {@link TextFormats#SAMPLE_LINES}, already decoded as UTF-8)
     * fit this format: 0 when they do not; otherwise higher for more specific evidence. Guide: 90 for an unmistakable
     * header or marker ({@code #fields} of Zeek, {@code CEF:0|}), 70 for a full-line grammar that parses most lines
     * (RFC 5424, access-log combined), 40 for a loose grammar (RFC 3164), 1 for the plain-text fallback.
     */
    int score(List<String> sample);

    /** A parser for one file. */
    TextParser newParser(TextContext context);
}
