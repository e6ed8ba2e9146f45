package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.TenantId;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.StopReading;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.LoadReport;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import dev.vigil.sigma.correlation.InMemoryCorrelationStateStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil hunt}: runs Sigma rules over log files and reports what fired. */
@Command(
        name = "hunt",
        mixinStandardHelpOptions = true,
        description = {
            "Hunt for threats in log files with Sigma rules.",
            "Reads JSON lines, JSON arrays, concatenated JSON objects, evtx_dump-style Windows events and Windows EVTX"
                    + " files (detected from the content, gzip included). Without --rules, uses the rule pack that"
                    + " ships with Vigil."
        })
final class HuntCommand implements Callable<Integer> {
    static final int MAX_THREADS = 256;
    /** Detections written between two checks of standard output. */
    private static final int OUTPUT_CHECK_INTERVAL = 256;

    enum Format {
        table,
        jsonl,
        csv
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "log files or directories (recursive)")
    List<Path> inputs;

    @Option(
            names = {"-r", "--rules"},
            paramLabel = "PATH",
            description = "Sigma rule file or directory (repeatable)")
    List<Path> rules = new ArrayList<>();

    @Option(
            names = {"-f", "--format"},
            description = "table, jsonl or csv (default: table on a terminal, else jsonl)")
    Format format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "write detections to FILE (not one of the inputs, nor inside an input directory)")
    Path output;

    @Option(names = "--min-level", paramLabel = "LEVEL", description = "informational, low, medium, high or critical")
    String minLevel;

    @Option(names = "--pipeline", paramLabel = "FILE", description = "field-mapping pipeline (pySigma YAML subset)")
    Path pipeline;

    @Option(names = "--placeholders", paramLabel = "FILE", description = "values for %placeholders% (YAML map)")
    Path placeholders;

    @Option(
            names = "--as",
            paramLabel = "FORMAT",
            description =
                    "read inputs as this format (see 'vigil parse --list-formats'), or apache-format:LOGFORMAT / nginx-format:LOG_FORMAT for a custom access log")
    String as;

    @Option(names = "--no-progress", description = "never draw the progress bar")
    boolean noProgress;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "threads matching rules (default: one per processor); the output is the same for any N")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        int minRank = 0;
        if (minLevel != null) {
            if (!HuntSummary.LEVELS.contains(minLevel.toLowerCase(java.util.Locale.ROOT))) {
                throw new CliException("--min-level must be one of " + HuntSummary.LEVELS, 2);
            }
            minRank = HuntSummary.levelRank(minLevel);
        }
        for (Path in : inputs) {
            if (!Files.exists(in)) {
                throw new CliException("input not found: " + in, 2);
            }
        }
        int matchThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (matchThreads < 1 || matchThreads > MAX_THREADS) {
            throw new CliException("--threads must be between 1 and " + MAX_THREADS + ", not " + matchThreads, 2);
        }
        SigmaRuleSet ruleSet = loadRules(err);

        HuntSummary summary = new HuntSummary();
        // A file or folder that cannot be read is one more input problem: the rest is still hunted.
        List<Path> files = EventReaders.expand(inputs, p -> {
            summary.problem(p);
            err.println("vigil: " + TableWriter.printable(p.toString()));
        });
        if (files.isEmpty()) {
            throw new CliException(
                    summary.problems > 0 ? "no input could be read in " + inputs : "no input files found in " + inputs,
                    2);
        }
        if (output != null) {
            refuseOutputAmongInputs(files);
        }
        Format fmt = format != null ? format : (output == null && Terminal.isTerminal() ? Format.table : Format.jsonl);
        ObjectMapper json = JsonlWriter.mapper();
        Progress progress = new Progress(err, files, !noProgress && Terminal.isTerminal());
        int unreadable = 0;
        PrintWriter stdout = spec.commandLine().getOut();
        // The first error writing detections. The detection sink only records it: the reading sink then stops the
        // read (StopReading), outside the matcher. Both sinks run on the reading thread.
        IOException[] writeFailure = {null};
        try (Writer w = output == null ? new BufferedWriter(stdout, 1 << 16) : utf8(Files.newOutputStream(output));
                DetectionWriter writer = writer(fmt, w, json)) {
            OutputCheck stdoutCheck = output == null ? new OutputCheck(stdout, w, OUTPUT_CHECK_INTERVAL) : null;
            // Correlation warnings (a state cap reached, events skipped for lack of a time) go to the user. This
            // detector keeps the correlation windows and sees the events in input order; matching runs on the
            // matcher's threads. Files come in no time order (a Security and a Sysmon log of the same week, one
            // after the other; newest-first exports), so any event counts however late; the caps bound the state.
            ProblemSink correlationWarnings =
                    p -> err.println("vigil: correlation: " + TableWriter.printable(p.toString()));
            SigmaDetector detector = new SigmaDetector(
                    ruleSet,
                    new InMemoryCorrelationStateStore(
                            InMemoryCorrelationStateStore.UNBOUNDED_LATENESS,
                            InMemoryCorrelationStateStore.DEFAULT_MAX_GROUPS,
                            InMemoryCorrelationStateStore.DEFAULT_MAX_ENTRIES,
                            correlationWarnings),
                    correlationWarnings);
            final int rank = minRank;
            Consumer<Detection> report = d -> {
                if (writeFailure[0] != null || HuntSummary.levelRank(d.rule().level()) < rank) {
                    return;
                }
                summary.add(d);
                try {
                    writer.write(d);
                    if (stdoutCheck != null && stdoutCheck.failedAfterWrite()) {
                        writeFailure[0] = new IOException("error writing to standard output");
                    }
                } catch (IOException e) {
                    writeFailure[0] = e;
                }
            };
            boolean streamProblems = fmt != Format.table;
            try (OrderedMatcher matcher = new OrderedMatcher(
                    ruleSet, matchThreads, (event, matches) -> detector.emit(event, matches, report))) {
                for (Path file : files) {
                    summary.files++;
                    try {
                        EventReaders.read(
                                file,
                                ParseCommand.readOptions(as).withTenant(TenantId.DEFAULT),
                                event -> {
                                    if (writeFailure[0] != null) {
                                        throw new StopReading("output failed");
                                    }
                                    summary.events++;
                                    progress.event();
                                    matcher.accept(event);
                                },
                                p -> {
                                    summary.problem(p);
                                    if (streamProblems && summary.problems <= 100) {
                                        err.println("vigil: " + TableWriter.printable(p.toString()));
                                    }
                                });
                    } catch (StopReading stop) {
                        break;
                    } catch (IOException e) {
                        unreadable++;
                        summary.problem(new Problem(file.toString(), 0, "cannot read: " + e.getMessage()));
                        err.println("vigil: cannot read " + file + ": " + e.getMessage());
                    }
                    progress.fileDone(file);
                }
                matcher.finish();
            }
            detector.finish();
            progress.clear();
            if (writeFailure[0] != null) {
                throw new CliException(
                        "cannot write output: " + reason(writeFailure[0]) + "; stopped after " + summary.events
                                + " events",
                        1);
            }
            writer.finish(summary);
        } catch (IOException e) {
            throw cannotWrite(e);
        }
        // Standard output is a PrintWriter, which keeps its errors to itself (a full disk, a closed pipe).
        if (output == null && stdout.checkError()) {
            throw new CliException("cannot write output: error writing to standard output", 1);
        }
        if (fmt != Format.table) {
            err.printf(
                    "vigil: %d events in %d files, %d detections, %d input problems%n",
                    summary.events, summary.files, summary.detections, summary.problems);
        }
        err.flush();
        if (unreadable == files.size()) {
            throw new CliException("none of the " + files.size() + " input files could be read", 2);
        }
        return 0;
    }

    /**
     * Refuses an output that is one of the files to hunt or lies in a directory being hunted: opening it would empty
     * the evidence, or a later hunt of the directory would read the detections as logs.
     */
    private void refuseOutputAmongInputs(List<Path> files) {
        if (Files.exists(output)) {
            for (Path file : files) {
                if (sameFile(output, file)) {
                    throw new CliException(
                            "--output " + output + " is also an input (" + file + "); write the detections elsewhere",
                            2);
                }
            }
        }
        Path where = realLocation(output);
        for (Path in : inputs) {
            if (Files.isDirectory(in) && where.startsWith(realLocation(in))) {
                throw new CliException(
                        "--output " + output + " is inside the input directory " + in
                                + "; write the detections elsewhere",
                        2);
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Where {@code p} is, links resolved; for a file not yet created, its directory's real path and its name. */
    private static Path realLocation(Path p) {
        Path absolute = p.toAbsolutePath().normalize();
        try {
            return p.toRealPath();
        } catch (IOException e) {
            Path parent = absolute.getParent();
            try {
                return parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName());
            } catch (IOException again) {
                return absolute;
            }
        }
    }

    /** UTF-8 that writes '?' for what it cannot encode (a lone surrogate in log data) instead of failing the hunt. */
    static Writer utf8(OutputStream out) {
        return new BufferedWriter(
                new OutputStreamWriter(
                        out,
                        StandardCharsets.UTF_8
                                .newEncoder()
                                .onMalformedInput(CodingErrorAction.REPLACE)
                                .onUnmappableCharacter(CodingErrorAction.REPLACE)),
                1 << 16);
    }

    private static CliException cannotWrite(IOException e) {
        return new CliException("cannot write output: " + reason(e), 1);
    }

    private static String reason(IOException e) {
        // A file-system exception without a reason has only the file name for a message; its class is the reason.
        return e instanceof FileSystemException f && f.getReason() == null || e.getMessage() == null
                ? e.toString()
                : e.getMessage();
    }

    private SigmaRuleSet loadRules(PrintWriter err) {
        SigmaRuleSet.Builder b = SigmaRuleSet.builder();
        if (pipeline != null) {
            b.fieldMapping(RuleSources.pipeline(pipeline));
        }
        if (placeholders != null) {
            b.placeholders(RuleSources.placeholders(placeholders));
        }
        if (rules.isEmpty()) {
            RuleSources.addBuiltinPack(b);
        } else {
            for (Path r : rules) {
                if (!Files.exists(r)) {
                    throw new CliException("rules not found: " + r, 2);
                }
                b.add(r);
            }
        }
        SigmaRuleSet set = b.build();
        LoadReport report = set.report();
        if (report.failed() > 0) {
            err.printf("vigil: %d rules could not be loaded (see 'vigil rules check'); the first:%n", report.failed());
            report.errors().stream().limit(5).forEach(p -> err.println("  " + p));
        }
        if (set.rules().isEmpty()) {
            throw new CliException(
                    "no rules could be loaded from " + (rules.isEmpty() ? "the built-in pack" : rules), 2);
        }
        return set;
    }

    private static DetectionWriter writer(Format fmt, Writer w, ObjectMapper json) throws IOException {
        return switch (fmt) {
            case table -> new TableWriter(w);
            case jsonl -> new JsonlWriter(w, json);
            case csv -> new CsvWriter(w, json);
        };
    }
}
