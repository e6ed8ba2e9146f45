package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import dev.vigil.formats.EventReaders;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.LoadReport;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
            description = "write detections to FILE")
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

        List<Path> files = EventReaders.expand(inputs);
        if (files.isEmpty()) {
            throw new CliException("no input files found in " + inputs, 2);
        }
        Format fmt = format != null ? format : (output == null && Terminal.isTerminal() ? Format.table : Format.jsonl);
        ObjectMapper json = new ObjectMapper();
        HuntSummary summary = new HuntSummary();
        Progress progress = new Progress(err, files, !noProgress && Terminal.isTerminal());
        int unreadable = 0;
        try (Writer w = output == null
                        ? new BufferedWriter(spec.commandLine().getOut(), 1 << 16)
                        : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
                DetectionWriter writer = writer(fmt, w, json)) {
            // Correlation warnings (a state cap reached, events skipped for lack of a time) go to the user. This
            // detector keeps the correlation windows and sees the events in input order; matching runs on the
            // matcher's threads.
            SigmaDetector detector = new SigmaDetector(
                    ruleSet, p -> err.println("vigil: correlation: " + TableWriter.printable(p.toString())));
            final int rank = minRank;
            Consumer<Detection> report = d -> {
                if (HuntSummary.levelRank(d.rule().level()) < rank) {
                    return;
                }
                summary.add(d);
                try {
                    writer.write(d);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
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
            writer.finish(summary);
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
            case table -> new TableWriter(new PrintWriter(w));
            case jsonl -> new JsonlWriter(w, json);
            case csv -> new CsvWriter(w, json);
        };
    }
}
