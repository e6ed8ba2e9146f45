package dev.vigil.cli;

import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.IndicatorIndex;
import dev.vigil.intel.csv.CsvMapping;
import dev.vigil.server.IntelImports;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil intel ...}: the threat-intelligence knowledge base of a data directory. */
@Command(
        name = "intel",
        mixinStandardHelpOptions = true,
        description = "Threat intelligence: import indicator files into a data directory's knowledge base.",
        subcommands = {IntelCommand.Import.class})
final class IntelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Import STIX 2.0/2.1 bundles, MISP events and CSV or plain lists; print, per file, the indicators"
                        + " imported and the objects rejected with the reason.",
                "A running server on the same data directory picks the new indicators up within seconds and searches"
                        + " the stored events for them (retro-hunt)."
            })
    static final class Import implements Callable<Integer> {
        private static final long MAX_FILE_BYTES = 512L << 20;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminCommand.Options options;

        @Option(
                names = "--tenant",
                paramLabel = "NAME",
                description = "import into this tenant's own indicators (default: global, every tenant sees them)")
        String tenant;

        @Option(
                names = "--as",
                paramLabel = "FORMAT",
                description = "stix, misp or csv (default: from the file name and content)")
        String as;

        @Option(
                names = "--csv",
                paramLabel = "MAPPING",
                defaultValue = "feodo",
                description = "columns of CSV files: feodo (abuse.ch Feodo Tracker) or plain:TYPE for one value per"
                        + " line, e.g. plain:ipv4, plain:domain, plain:sha256 (default: ${DEFAULT-VALUE})")
        String csv;

        @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "files, or directories read recursively")
        List<Path> inputs;

        @Override
        public Integer call() {
            CsvMapping mapping;
            IntelImports.Format forced;
            try {
                mapping = IntelImports.csvMapping(csv);
            } catch (IllegalArgumentException e) {
                throw new CliException("--csv: " + e.getMessage(), 2);
            }
            try {
                forced = as == null ? null : IntelImports.Format.parse(as);
            } catch (IllegalArgumentException e) {
                throw new CliException("--as: " + e.getMessage(), 2);
            }
            List<Path> files = expand(inputs);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Map<String, Object>> reports = new ArrayList<>();
            int unreadable = options.withStore(store -> {
                TenantId scope = tenant == null
                        ? null
                        : store.tenant(tenant)
                                .orElseThrow(() -> new IllegalArgumentException("no tenant named '" + tenant + "'"))
                                .id();
                IndicatorIndex current = IntelImports.load(store, err::println);
                int failed = 0;
                for (Path file : files) {
                    byte[] bytes;
                    try {
                        if (Files.size(file) > MAX_FILE_BYTES) {
                            err.println(file + ": larger than 512 MiB; skipped");
                            failed++;
                            continue;
                        }
                        bytes = Files.readAllBytes(file);
                    } catch (IOException e) {
                        err.println(file + ": cannot read: " + e.getMessage());
                        failed++;
                        continue;
                    }
                    IntelImports.Format format = forced != null
                            ? forced
                            : IntelImports.Format.detect(file.getFileName().toString(), bytes);
                    ImportResult result = IntelImports.parse(file.toString(), format, bytes, scope, mapping);
                    IntelImports.Stored stored = IntelImports.store(store, current, result);
                    current = stored.merged() + stored.fresh().size() > 0
                            ? IntelImports.load(store, err::println)
                            : current;
                    reports.add(report(file, format, result, stored));
                    if (!options.json()) {
                        print(out, file, format, result, stored);
                    }
                }
                return failed;
            });
            if (options.json()) {
                AdminCommand.printJson(out, Map.of("files", reports));
            }
            out.flush();
            err.flush();
            return unreadable == files.size() && !files.isEmpty() ? 2 : 0;
        }

        private static List<Path> expand(List<Path> inputs) {
            List<Path> files = new ArrayList<>();
            for (Path p : inputs) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> walk = Files.walk(p)) {
                        walk.filter(Files::isRegularFile)
                                .filter(f -> {
                                    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                                    return n.endsWith(".json") || n.endsWith(".csv") || n.endsWith(".txt");
                                })
                                .sorted()
                                .forEach(files::add);
                    } catch (IOException e) {
                        throw new CliException(p + ": cannot list: " + e.getMessage(), 2);
                    }
                } else if (Files.exists(p)) {
                    files.add(p);
                } else {
                    throw new CliException(p + ": no such file or directory", 2);
                }
            }
            return files;
        }

        private static void print(
                PrintWriter out, Path file, IntelImports.Format format, ImportResult r, IntelImports.Stored s) {
            out.printf(
                    Locale.ROOT,
                    "%s (%s): %d indicators imported (%d new, %d merged with known ones); %d objects read, %d"
                            + " imported, %d rejected, %d unsupported, %d skipped%n",
                    file,
                    format.name().toLowerCase(Locale.ROOT),
                    s.stored(),
                    s.fresh().size(),
                    s.merged(),
                    r.read(),
                    r.imported(),
                    r.rejected(),
                    r.unsupported(),
                    r.skipped());
            int shown = 0;
            for (Problem p : r.problems()) {
                if (shown++ == 20) {
                    out.println("  … " + (r.problems().size() - 20) + " more problems");
                    break;
                }
                out.println("  rejected: " + p);
            }
        }

        private static Map<String, Object> report(
                Path file, IntelImports.Format format, ImportResult r, IntelImports.Stored s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toString());
            m.put("format", format.name().toLowerCase(Locale.ROOT));
            m.put("indicators", s.stored());
            m.put("new", s.fresh().size());
            m.put("merged", s.merged());
            m.put("read", r.read());
            m.put("imported", r.imported());
            m.put("rejected", r.rejected());
            m.put("unsupported", r.unsupported());
            m.put("skipped", r.skipped());
            List<String> problems = new ArrayList<>();
            r.problems().forEach(p -> problems.add(p.toString()));
            m.put("problems", problems);
            return m;
        }
    }
}
