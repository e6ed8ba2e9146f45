package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.meta.MetadataConfig;
import dev.vigil.meta.MetadataException;
import dev.vigil.meta.MetadataStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil admin ...}: tenants and API tokens in a data directory's metadata store, for the operator on the server's
 * machine (the first global-admin token is made here: {@code vigil admin token create --tenant system --role admin}).
 */
@Command(
        name = "admin",
        mixinStandardHelpOptions = true,
        description = "Administer tenants and API tokens of a Vigil data directory.",
        subcommands = {AdminTenantCommand.class, AdminTokenCommand.class, AdminUserCommand.class})
final class AdminCommand implements Runnable {
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

    /** The options every admin command shares: where the data lives and how to print. */
    static final class Options {
        @Option(
                names = "--data",
                paramLabel = "DIR",
                defaultValue = "./vigil-data",
                description = "data directory, created if missing (default: ${DEFAULT-VALUE})")
        Path dataDir;

        @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
        Format format;

        boolean json() {
            return format == Format.json;
        }

        /**
         * Runs {@code work} on the data directory's metadata store, turning the store's refusals (unknown tenant,
         * duplicate name ...) into one-line messages with exit code 2 and database failures into exit code 1.
         */
        <T> T withStore(Function<MetadataStore, T> work) {
            try (MetadataStore store = MetadataStore.open(MetadataConfig.inDataDirectory(dataDir))) {
                return work.apply(store);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), 2);
            } catch (MetadataException e) {
                throw new CliException(e.getMessage(), 1);
            }
        }
    }

    static void printJson(PrintWriter out, Object value) {
        try {
            out.println(new ObjectMapper().writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        out.flush();
    }
}
