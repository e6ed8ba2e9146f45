package dev.vigil.formats.text;

import dev.vigil.core.Event;
import dev.vigil.core.ProblemSink;
import java.util.function.Consumer;

/**
 * Parses the lines of one file in order. A line that cannot be parsed is reported to {@code problems} with its line
 * number (the {@link TextContext#source()} as the file) and the next line is still read. Parsers that join several
 * lines into one event (auditd records by serial number) emit what they hold in {@link #end}. Not thread-safe.
 */
public interface TextParser {
    /**
     * One line without its terminator.
     *
     * @param line the line, decoded as UTF-8 (invalid bytes replaced)
     * @param lineNumber its 1-based line number in the file
     */
    void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems);

    /** The end of the input: emit anything still buffered. */
    default void end(Consumer<Event> out, ProblemSink problems) {}
}
