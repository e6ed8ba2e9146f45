package dev.vigil.cli;

import dev.vigil.meta.Tenant;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vigil admin tenant create|list}. */
@Command(
        name = "tenant",
        mixinStandardHelpOptions = true,
        description = "Create and list tenants.",
        subcommands = {AdminTenantCommand.Create.class, AdminTenantCommand.ListTenants.class})
final class AdminTenantCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Map<String, Object> toJson(Tenant t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("created", t.created().toString());
        m.put("retentionDays", t.retentionDays());
        return m;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant.")
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminCommand.Options options;

        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "1 to 63 lower-case letters, digits, '-' or '_', starting with a letter or digit")
        String name;

        @Override
        public Integer call() {
            Tenant t = options.withStore(store -> store.createTenant(name));
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCommand.printJson(out, toJson(t));
            } else {
                out.println("created tenant " + t.name());
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenants.")
    static final class ListTenants implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminCommand.Options options;

        @Override
        public Integer call() {
            List<Tenant> tenants = options.withStore(store -> store.tenants());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCommand.printJson(
                        out, tenants.stream().map(AdminTenantCommand::toJson).toList());
            } else {
                out.printf("%-32s %-24s %s%n", "NAME", "CREATED", "RETENTION");
                for (Tenant t : tenants) {
                    out.printf("%-32s %-24s %d days%n", t.name(), t.created(), t.retentionDays());
                }
                out.flush();
            }
            return 0;
        }
    }
}
