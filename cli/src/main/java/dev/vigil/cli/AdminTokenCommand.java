package dev.vigil.cli;

import dev.vigil.core.TenantId;
import dev.vigil.meta.IssuedToken;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Role;
import dev.vigil.meta.TokenInfo;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil admin token create|list|revoke}. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Create, list and revoke API tokens.",
        subcommands = {
            AdminTokenCommand.Create.class,
            AdminTokenCommand.ListTokens.class,
            AdminTokenCommand.Revoke.class
        })
final class AdminTokenCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads {@code ingest}, {@code read} or {@code admin}, with the store's own message for anything else. */
    static final class RoleConverter implements CommandLine.ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            try {
                return Role.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The tenant named on the command line, refused with a clear message when it does not exist. */
    static TenantId existingTenant(MetadataStore store, String name) {
        return store.tenant(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown tenant '" + name + "'"))
                .id();
    }

    static Map<String, Object> toJson(TokenInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.tokenId());
        m.put("tenant", t.tenant().value());
        m.put("role", t.role().wireName());
        m.put("description", t.description());
        m.put("created", t.created().toString());
        m.put("revoked", t.revoked() == null ? null : t.revoked().toString());
        return m;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Issue an API token and print it; it is shown only this once.")
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminCommand.Options options;

        @Option(names = "--tenant", required = true, paramLabel = "NAME", description = "the token's tenant")
        String tenant;

        @Option(
                names = "--role",
                required = true,
                paramLabel = "ROLE",
                converter = RoleConverter.class,
                description = "ingest, read or admin")
        Role role;

        @Option(names = "--description", paramLabel = "TEXT", defaultValue = "", description = "what it is for")
        String description;

        @Override
        public Integer call() {
            IssuedToken issued =
                    options.withStore(store -> store.createToken(existingTenant(store, tenant), role, description));
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCommand.printJson(out, Map.of("token", issued.token()));
            } else {
                out.println(issued.token());
                out.flush();
                PrintWriter err = spec.commandLine().getErr();
                err.println("vigil: token " + issued.info().tokenId() + " (" + role.wireName() + " for tenant " + tenant
                        + ") is shown only this once: store it now");
                err.flush();
            }
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List a tenant's tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminCommand.Options options;

        @Option(names = "--tenant", required = true, paramLabel = "NAME", description = "the tenant")
        String tenant;

        @Override
        public Integer call() {
            List<TokenInfo> tokens = options.withStore(store -> store.listTokens(existingTenant(store, tenant)));
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCommand.printJson(
                        out, tokens.stream().map(AdminTokenCommand::toJson).toList());
            } else {
                out.printf("%-16s %-6s %-8s %-24s %s%n", "ID", "ROLE", "STATUS", "CREATED", "DESCRIPTION");
                for (TokenInfo t : tokens) {
                    out.printf(
                            "%-16s %-6s %-8s %-24s %s%n",
                            t.tokenId(),
                            t.role().wireName(),
                            t.active() ? "active" : "revoked",
                            t.created(),
                            t.description());
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token for good.")
    static final class Revoke implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminCommand.Options options;

        @Parameters(index = "0", paramLabel = "ID", description = "the token's id (as 'token list' shows it)")
        String tokenId;

        @Override
        public Integer call() {
            boolean revoked = options.withStore(store -> store.revokeToken(tokenId));
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCommand.printJson(out, Map.of("id", tokenId, "revoked", revoked));
            } else {
                out.println(revoked ? "revoked token " + tokenId : "token " + tokenId + " was already revoked");
                out.flush();
            }
            return 0;
        }
    }
}
