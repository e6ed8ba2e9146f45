package dev.vigil.cli;

import dev.vigil.attack.AttackBundleException;
import dev.vigil.attack.AttackKnowledgeBase;
import dev.vigil.attack.Coverage;
import dev.vigil.attack.NavigatorLayer;
import dev.vigil.attack.RuleTags;
import dev.vigil.attack.TacticCoverage;
import dev.vigil.core.Problem;
import dev.vigil.sigma.LoadReport;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil attack ...}: MITRE ATT&CK. */
@Command(
        name = "attack",
        mixinStandardHelpOptions = true,
        description = "MITRE ATT&CK: coverage of rule sets.",
        subcommands = {AttackCommand.CoverageCommand.class})
final class AttackCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Loads an ATT&CK bundle file (plain or gzip), printing its problems; the command fails when it is no bundle. */
    static AttackKnowledgeBase loadBundle(Path file, PrintWriter err) {
        if (!Files.isRegularFile(file)) {
            throw new CliException("--attack: no such file: " + file, 2);
        }
        List<Problem> problems = new ArrayList<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
                AttackKnowledgeBase kb = AttackKnowledgeBase.load(in, file.toString(), problems::add);
                if (!problems.isEmpty()) {
                    err.printf("vigil: %d problems in the ATT&CK bundle; the first:%n", problems.size());
                    problems.stream().limit(10).forEach(p -> err.println("  " + p));
                }
                return kb;
            }
        } catch (AttackBundleException e) {
            throw new CliException("--attack: " + e.getMessage(), 2);
        } catch (IOException e) {
            throw new CliException("--attack: cannot read " + file + ": " + e.getMessage(), 2);
        }
    }

    /** Coverage of a rule set: a summary per tactic and, with --output, the ATT&CK Navigator layer. */
    @Command(
            name = "coverage",
            mixinStandardHelpOptions = true,
            description = {
                "Which ATT&CK techniques a Sigma rule set covers, and how many rules each: prints a summary per tactic"
                        + " and writes an ATT&CK Navigator layer (format 4.5).",
                "The ATT&CK bundle is not shipped with Vigil: download enterprise-attack.json (STIX 2.1) from MITRE's"
                        + " attack-stix-data repository and pass it with --attack."
            })
    static final class CoverageCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = {"-r", "--rules"},
                paramLabel = "PATH",
                description = "Sigma rule file or directory (repeatable; default: the built-in rule pack)")
        List<Path> rules = new ArrayList<>();

        @Option(
                names = "--attack",
                required = true,
                paramLabel = "FILE",
                description = "the Enterprise ATT&CK STIX 2.1 bundle (enterprise-attack.json, may be gzip-compressed)")
        Path attack;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                description = "write the ATT&CK Navigator layer (JSON) to FILE")
        Path output;

        @Option(names = "--name", paramLabel = "NAME", description = "the layer's name (default: ${DEFAULT-VALUE})")
        String name = "Vigil rule coverage";

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AttackKnowledgeBase kb = loadBundle(attack, err);
            SigmaRuleSet set = loadRules(err);
            List<RuleTags> ruleTags = set.rules().stream()
                    .map(r -> new RuleTags(r.id(), r.title(), r.tags(), r.level()))
                    .toList();
            Coverage coverage = Coverage.compute(kb, ruleTags);
            printSummary(kb, coverage, out);
            if (output != null) {
                Path parent = output.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(
                        output,
                        NavigatorLayer.toJson(coverage, NavigatorLayer.Options.named(name)),
                        StandardCharsets.UTF_8);
                out.println("layer written to " + output);
            }
            out.flush();
            err.flush();
            return 0;
        }

        private SigmaRuleSet loadRules(PrintWriter err) {
            SigmaRuleSet.Builder b = SigmaRuleSet.builder();
            if (rules.isEmpty()) {
                RuleSources.addBuiltinPack(b);
            } else {
                for (Path r : rules) {
                    if (!Files.exists(r)) {
                        throw new CliException("--rules: not found: " + r, 2);
                    }
                    b.add(r);
                }
            }
            SigmaRuleSet set = b.build();
            LoadReport report = set.report();
            if (report.failed() > 0) {
                err.printf(
                        "vigil: %d rules could not be loaded (see 'vigil rules check'); they do not count%n",
                        report.failed());
            }
            if (set.rules().isEmpty()) {
                throw new CliException(
                        "no rules could be loaded from " + (rules.isEmpty() ? "the built-in pack" : rules), 2);
            }
            return set;
        }

        private static void printSummary(AttackKnowledgeBase kb, Coverage c, PrintWriter out) {
            out.printf(
                    "ATT&CK %s: %d of %d techniques and sub-techniques covered (%.1f%%) by %d rules (%d of them with a"
                            + " technique tag)%n",
                    kb.version().isEmpty() ? "(unknown version)" : kb.version(),
                    c.techniquesCovered(),
                    c.techniquesTotal(),
                    c.techniquesTotal() == 0 ? 0.0 : 100.0 * c.techniquesCovered() / c.techniquesTotal(),
                    c.ruleCount(),
                    c.rulesWithTechniques());
            out.println();
            out.printf("%-22s %9s %7s %6s%n", "tactic", "covered", "of", "rules");
            for (TacticCoverage t : c.tactics()) {
                out.printf(
                        "%-22s %9d %7d %6d%n",
                        t.tactic().name(), t.techniquesCovered(), t.techniquesTotal(), t.rules());
            }
            if (!c.unresolved().isEmpty()) {
                // Rules written for a newer ATT&CK than the bundle produce many of these: grouped by tag, most common
                // first, so the cause is visible at a glance.
                Map<String, Long> byTag = new LinkedHashMap<>();
                Map<String, String> reasons = new HashMap<>();
                for (Coverage.UnresolvedRuleTag u : c.unresolved()) {
                    String tag = u.tag().toLowerCase(Locale.ROOT);
                    byTag.merge(tag, 1L, Long::sum);
                    reasons.putIfAbsent(tag, u.reason());
                }
                out.println();
                out.printf(
                        "%d ATT&CK tags of the rules name nothing in this bundle (%d distinct); the most common:%n",
                        c.unresolved().size(), byTag.size());
                byTag.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(10)
                        .forEach(e -> out.printf(
                                "  %-28s %5d rules  %s%n", e.getKey(), e.getValue(), reasons.get(e.getKey())));
            }
        }
    }
}
