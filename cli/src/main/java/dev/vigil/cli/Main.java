package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command line. */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Vigil: an open-source, multi-tenant security operations platform.",
        subcommands = {
            HuntCommand.class,
            ParseCommand.class,
            RulesCommand.class,
            AttackCommand.class,
            IntelCommand.class,
            AdminCommand.class,
            ServerCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (used by tests, which must not exit the JVM). */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /** Runs with the given standard output and error (null: the process's own). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        // Log data is Unicode whatever the platform's default charset says.
        cl.setOut(out != null ? out : stdout());
        if (err != null) {
            cl.setErr(err);
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("vigil: " + (ex instanceof CliException ? ex.getMessage() : ex.toString()));
            return ex instanceof CliException c ? c.exitCode() : 70;
        });
        return cl.execute(args);
    }

    /**
     * Standard output as UTF-8 (what cannot be encoded, such as a lone surrogate, written as '?'). {@code System.out}
     * is a PrintStream, which keeps write errors to itself, so checkError asks it too: commands that write their
     * results there can tell that they were lost (a full disk, a closed pipe).
     */
    private static java.io.PrintWriter stdout() {
        java.io.PrintStream system = System.out;
        return new java.io.PrintWriter(
                new java.io.OutputStreamWriter(system, java.nio.charset.StandardCharsets.UTF_8), true) {
            @Override
            public boolean checkError() {
                return super.checkError() | system.checkError();
            }
        };
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vigil " + (v == null ? "development build" : v)};
        }
    }
}
