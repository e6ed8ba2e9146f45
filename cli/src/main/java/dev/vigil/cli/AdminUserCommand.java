package dev.vigil.cli;

import dev.vigil.console.Passwords;
import dev.vigil.core.TenantId;
import dev.vigil.meta.ConsoleAccounts;
import dev.vigil.meta.ConsoleRole;
import dev.vigil.meta.ConsoleUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil admin user create|list}: web console users. */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = "Create and list web console users.",
        subcommands = {AdminUserCommand.Create.class, AdminUserCommand.ListUsers.class})
final class AdminUserCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Map<String, Object> toJson(ConsoleUser u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("role", u.role().wireName());
        m.put("tenants", u.tenants().stream().map(TenantId::value).sorted().toList());
        m.put("language", u.locale());
        m.put("created", u.created().toString());
        m.put("disabled", u.disabled());
        return m;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a console user. The password is read from standard input with --password-stdin;"
                    + " otherwise one is generated and printed once.")
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminCommand.Options options;

        @Parameters(index = "0", paramLabel = "NAME", description = "1 to 64 letters, digits, '.', '_', '@' or '-'")
        String name;

        @Option(
                names = "--role",
                required = true,
                description = "platform-admin, provider-operator, tenant-admin, analyst or viewer")
        String role;

        @Option(
                names = "--tenant",
                paramLabel = "TENANT",
                description = "a tenant the user may see (repeat for a provider operator; not for platform-admin)")
        List<String> tenants = new ArrayList<>();

        @Option(names = "--language", defaultValue = "en", description = "en or zh-CN (default: ${DEFAULT-VALUE})")
        String language;

        @Option(names = "--password-stdin", description = "read the password (one line, 12+ characters) from stdin")
        boolean passwordStdin;

        @Override
        public Integer call() throws IOException {
            ConsoleRole parsedRole;
            Set<TenantId> scope = new LinkedHashSet<>();
            try {
                parsedRole = ConsoleRole.parse(role);
                for (String t : tenants) {
                    scope.add(TenantId.of(t));
                }
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), 2);
            }
            if (parsedRole.seesAllTenants() && !scope.isEmpty()) {
                throw new CliException("a platform-admin sees every tenant: leave out --tenant", 2);
            }
            Passwords passwords = new Passwords();
            String password;
            if (passwordStdin) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = in.readLine();
                password = line == null ? "" : line;
            } else {
                password = passwords.generate();
            }
            String hash;
            try {
                hash = passwords.hash(password);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), 2);
            }
            ConsoleUser user = options.withStore(
                    store -> new ConsoleAccounts(store).createUser(name, hash, parsedRole, scope, language));
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                Map<String, Object> json = toJson(user);
                if (!passwordStdin) {
                    json.put("password", password);
                }
                AdminCommand.printJson(out, json);
            } else {
                out.println("created console user " + user.name() + " ("
                        + user.role().wireName() + ")");
                if (!passwordStdin) {
                    out.println("password (shown only now): " + password);
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the console users.")
    static final class ListUsers implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminCommand.Options options;

        @Override
        public Integer call() {
            List<ConsoleUser> users = options.withStore(store -> new ConsoleAccounts(store).users());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCommand.printJson(
                        out, users.stream().map(AdminUserCommand::toJson).toList());
            } else {
                for (ConsoleUser u : users) {
                    out.println(u.name() + " " + u.role().wireName() + " "
                            + (u.role().seesAllTenants()
                                    ? "*"
                                    : String.join(
                                            ",",
                                            u.tenants().stream()
                                                    .map(TenantId::value)
                                                    .sorted()
                                                    .toList()))
                            + (u.disabled() ? " disabled" : ""));
                }
                out.flush();
            }
            return 0;
        }
    }
}
