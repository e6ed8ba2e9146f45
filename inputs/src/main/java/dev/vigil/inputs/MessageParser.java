package dev.vigil.inputs;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.TenantId;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormats;
import dev.vigil.formats.text.TextParser;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The text parser of one message stream (a TCP connection, a UDP sender), numbering messages from 1 as a file numbers
 * lines. A message that yields no event is rejected: counted, and its problems passed on.
 */
final class MessageParser {
    private final TextParser parser;
    private final InputCounters counters;
    private final ProblemSink problems;
    private long messages;

    MessageParser(String format, String source, TenantId tenant, InputCounters counters, ProblemSink problems) {
        this.parser = TextFormats.byName(format)
                .orElseThrow(() -> new IllegalArgumentException("unknown format " + format))
                .newParser(TextContext.of(source, tenant));
        this.counters = counters;
        this.problems = problems;
    }

    /** Parses one message (UTF-8, invalid bytes replaced) without its framing. */
    void message(byte[] bytes, int offset, int length, Consumer<Event> out) {
        messages++;
        int end = offset + length;
        // Senders end messages with LF, CRLF or NUL (some old syslog daemons); none of it is content.
        while (end > offset && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == 0)) {
            end--;
        }
        if (end == offset) {
            return;
        }
        String text = new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
        boolean[] produced = {false};
        parser.line(
                text,
                messages,
                e -> {
                    produced[0] = true;
                    out.accept(e);
                },
                problems);
        if (!produced[0]) {
            counters.addRejected();
        }
    }

    /** A message refused before parsing (oversized, badly framed), counted and reported under this stream's number. */
    void reject(String source, String reason) {
        messages++;
        counters.addRejected();
        problems.report(new Problem(source, messages, reason));
    }

    void end(Consumer<Event> out) {
        parser.end(out, problems);
    }
}
