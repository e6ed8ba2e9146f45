package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.Problem;
import dev.vigil.sigma.LoadReport;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil rules ...}: work with rule files. */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "Work with Sigma rule files.",
        subcommands = {RulesCommand.Check.class})
final class RulesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    enum Format {
        text,
        json
    }

    /** Loads rules and reports every rule that does not load, and why. Exit 0 when all load, 1 otherwise. */
    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Load Sigma rules (files or directories) and report each one that fails, with the reason.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "rule files or directories (recursive)")
        List<Path> paths;

        @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
        Format format;

        @Option(names = "--pipeline", paramLabel = "FILE", description = "field-mapping pipeline (pySigma YAML subset)")
        Path pipeline;

        @Option(names = "--placeholders", paramLabel = "FILE", description = "values for %placeholders% (YAML map)")
        Path placeholders;

        @Option(names = "--warnings", description = "also list rules that loaded with warnings")
        boolean showWarnings;

        @Override
        public Integer call() throws Exception {
            SigmaRuleSet.Builder b = SigmaRuleSet.builder();
            if (pipeline != null) {
                b.fieldMapping(RuleSources.pipeline(pipeline));
            }
            if (placeholders != null) {
                b.placeholders(RuleSources.placeholders(placeholders));
            }
            paths.forEach(b::add);
            LoadReport r = b.build().report();
            PrintWriter out = spec.commandLine().getOut();
            if (format == Format.json) {
                ObjectMapper json = new ObjectMapper();
                ObjectNode root = json.createObjectNode();
                root.put("loaded", r.loaded());
                root.put("failed", r.failed());
                ArrayNode errors = root.putArray("errors");
                for (Problem p : r.errors()) {
                    ObjectNode e = errors.addObject();
                    e.put("file", p.source());
                    if (p.location() > 0) {
                        e.put("document", p.location());
                    }
                    e.put("message", p.message());
                }
                if (showWarnings) {
                    ArrayNode warnings = root.putArray("warnings");
                    for (Problem p : r.warnings()) {
                        warnings.addObject().put("file", p.source()).put("message", p.message());
                    }
                }
                out.println(json.writeValueAsString(root));
            } else {
                for (Problem p : r.errors()) {
                    out.println("FAILED  " + p);
                }
                if (showWarnings) {
                    for (Problem p : r.warnings()) {
                        out.println("WARNING " + p);
                    }
                }
                out.printf(
                        "%d rules loaded, %d failed, %d warnings%n",
                        r.loaded(), r.failed(), r.warnings().size());
            }
            out.flush();
            return r.failed() == 0 ? 0 : 1;
        }
    }
}
