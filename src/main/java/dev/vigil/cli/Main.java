package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command line. Entry points only wire: the work is in replay, decode and the core. */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Detect-and-respond engine for AWS accounts: bastion watch, SSH intrusion defence, security group guard, "
                + "GuardDuty responder, CloudTrail auditor.",
        subcommands = {ReplayCommand.class, RunCommand.class, FindingsCommand.class, ActionsCommand.class, UndoCommand.class,
                EventsCommand.class, PolicyCommand.class, TestCommand.class, PermissionsCommand.class, DeployCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("vigil: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: replay, events or policy");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vigil " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }

    /** True when the launcher said the stream is a terminal (Java 21 cannot tell for stderr alone). */
    static boolean terminal(String stream) {
        String p = System.getProperty("vigil." + stream + ".tty");
        if (p != null) return Boolean.parseBoolean(p);
        return System.console() != null && System.getenv("NO_COLOR") == null && !"true".equals(System.getenv("CI"));
    }
}
