package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import dev.vigil.formats.StopReading;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextFormats;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil parse}: shows what Vigil makes of log files, one normalised event per line. */
@Command(
        name = "parse",
        mixinStandardHelpOptions = true,
        description = {
            "Print the normalised events of log files as JSON lines: time, Sigma log source, and fields (the source's"
                    + " own names as Sigma rules read them, and ECS names).",
            "The format is detected from the content unless --as names it."
        })
final class ParseCommand implements Callable<Integer> {
    /** Events written between two checks of standard output. */
    private static final int OUTPUT_CHECK_INTERVAL = 1024;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "log files or directories (recursive)")
    List<Path> inputs;

    @Option(
            names = "--as",
            paramLabel = "FORMAT",
            description =
                    "read as this format (see --list-formats), or apache-format:LOGFORMAT / nginx-format:LOG_FORMAT")
    String as;

    @Option(names = "--list-formats", description = "list the formats and exit")
    boolean listFormats;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (listFormats) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("evtx          Windows EVTX files");
            out.println("json          JSON lines (also json-array, json-objects)");
            for (TextFormat f : TextFormats.all()) {
                out.printf("%-13s %s%n", f.name(), f.description());
            }
            out.flush();
            return 0;
        }
        ReadOptions options = readOptions(as);
        // As hunt: an input named that does not exist is a typo to fix before a long run; a file or folder found
        // within one that cannot be read is one more problem, and the rest is still parsed.
        for (Path in : inputs) {
            if (!Files.exists(in)) {
                throw new CliException("input not found: " + in, 2);
            }
        }
        Tally tally = new Tally();
        List<Path> files = EventReaders.expand(inputs, p -> {
            tally.problems++;
            err.println("vigil: " + TableWriter.printable(p.toString()));
        });
        if (files.isEmpty()) {
            throw new CliException(
                    tally.problems > 0 ? "no input could be read in " + inputs : "no input files found in " + inputs,
                    2);
        }
        ObjectMapper json = JsonlWriter.mapper();
        PrintWriter stdout = spec.commandLine().getOut();
        int unreadable = 0;
        try (Writer w = new BufferedWriter(stdout, 1 << 16)) {
            OutputCheck stdoutCheck = new OutputCheck(stdout, w, OUTPUT_CHECK_INTERVAL);
            for (Path file : files) {
                try {
                    EventReaders.read(
                            file,
                            options,
                            e -> {
                                tally.events++;
                                write(json, w, e, stdoutCheck, tally);
                            },
                            p -> {
                                tally.problems++;
                                err.println("vigil: " + TableWriter.printable(p.toString()));
                            });
                } catch (StopReading stop) {
                    break;
                } catch (IOException e) {
                    unreadable++;
                    tally.problems++;
                    err.println("vigil: cannot read " + file + ": " + e.getMessage());
                }
            }
        }
        if (tally.outputFailure == null && stdout.checkError()) {
            tally.outputFailure = "error writing to standard output";
        }
        if (tally.outputFailure != null) {
            throw new CliException(
                    "cannot write output: " + tally.outputFailure + "; stopped after " + tally.events + " events", 1);
        }
        err.printf("vigil: %d events in %d files, %d problems%n", tally.events, files.size(), tally.problems);
        err.flush();
        if (unreadable == files.size()) {
            throw new CliException("none of the " + files.size() + " input files could be read", 2);
        }
        return 0;
    }

    static ReadOptions readOptions(String as) {
        if (as == null) {
            return ReadOptions.defaults();
        }
        try {
            return ReadOptions.defaults().withFormatNamed(as);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    /** What a parse has done so far. */
    private static final class Tally {
        long events;
        long problems;
        /** Why the output failed, or null while it works. */
        String outputFailure;
    }

    /**
     * Writes one event, so that `vigil parse big.evtx | head` stops reading soon after head has gone.
     *
     * @throws StopReading once the output has failed
     */
    private static void write(ObjectMapper json, Writer w, Event e, OutputCheck stdoutCheck, Tally tally) {
        try {
            writeEvent(json, w, e);
            if (stdoutCheck.failedAfterWrite()) {
                tally.outputFailure = "error writing to standard output";
            }
        } catch (IOException ex) {
            tally.outputFailure = ex.getMessage() != null ? ex.getMessage() : ex.toString();
        }
        if (tally.outputFailure != null) {
            throw new StopReading(tally.outputFailure);
        }
    }

    private static void writeEvent(ObjectMapper json, Writer w, Event e) throws IOException {
        JsonGenerator g = json.getFactory().createGenerator(w);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField(
                "timestamp", e.timestamp() == null ? null : e.timestamp().toString());
        if (e.source() != null) {
            g.writeObjectFieldStart("source");
            g.writeStringField("file", e.source().source());
            g.writeNumberField("record", e.source().record());
            g.writeEndObject();
        }
        LogSource ls = e.logSource();
        g.writeObjectFieldStart("logsource");
        g.writeStringField("product", ls.product());
        g.writeObjectField("category", ls.categories());
        g.writeObjectField("service", ls.services());
        g.writeEndObject();
        g.writeObjectField("fields", e.fields());
        g.writeEndObject();
        g.flush();
        w.write('\n');
    }
}
