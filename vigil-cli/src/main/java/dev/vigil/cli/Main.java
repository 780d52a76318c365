package dev.vigil.cli;

import dev.vigil.core.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command line. Entry points only wire: the work is in replay, decode and the core. */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Detect-and-respond engine for AWS accounts: bastion watch, SSH intrusion defence, security group guard, "
                + "GuardDuty responder, CloudTrail auditor.",
        subcommands = {ReplayCommand.class, RunCommand.class, FindingsCommand.class, ActionsCommand.class, UndoCommand.class,
                EventsCommand.class, PolicyCommand.class, TestCommand.class, PermissionsCommand.class, DeployCommand.class, BenchCommand.class,
                CompletionCommand.class, ManCommand.class, picocli.codegen.docgen.manpage.ManPageGenerator.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return run(Surroundings.system(), args);
    }

    /** Runs a command line in the given surroundings (environment, terminal): the text commands' colour and width. */
    static int run(Surroundings surroundings, String... args) {
        CommandLine cl = commandLine(surroundings, args);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("vigil: " + ex.getClass().getSimpleName() + ": " + oneLine(ex.getMessage()));
            return 2;
        });
        try {
            return cl.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // the decoders bound what input can do; this is the last guard: one line, never a stack trace
            System.err.println("vigil: internal error: " + e.getClass().getSimpleName() + " (please report it with the input that caused it)");
            return 2;
        }
    }

    /**
     * The commands that need no other: a command line that names one of them first is parsed by a root holding it alone,
     * so that picocli does not build (by reflection: every option of every command, their annotations' proxies) the
     * other fourteen commands' models first; about 0.25 s of CPU of every replay's start, on its one thread then. The
     * others ({@code completion}, {@code man}, {@code gen-manpage}, {@code help}), a bare {@code vigil} and its own
     * options see the whole tree. {@code LightDispatchTest} holds this map to {@link Main}'s {@code subcommands}.
     */
    static final java.util.Map<String, Class<?>> ALONE = java.util.Map.ofEntries(
            java.util.Map.entry("replay", ReplayCommand.class), java.util.Map.entry("run", RunCommand.class),
            java.util.Map.entry("findings", FindingsCommand.class), java.util.Map.entry("actions", ActionsCommand.class),
            java.util.Map.entry("undo", UndoCommand.class), java.util.Map.entry("events", EventsCommand.class),
            java.util.Map.entry("policy", PolicyCommand.class), java.util.Map.entry("test", TestCommand.class),
            java.util.Map.entry("permissions", PermissionsCommand.class), java.util.Map.entry("deploy", DeployCommand.class),
            java.util.Map.entry("bench", BenchCommand.class));

    /** The command line that parses {@code args}: the whole tree, or a root with the one command they name first. */
    static CommandLine commandLine(Surroundings surroundings, String... args) {
        Factory factory = new Factory(surroundings);
        Class<?> alone = args.length == 0 ? null : ALONE.get(args[0]);
        if (alone == null) return new CommandLine(new Main(), factory);
        CommandLine root = new CommandLine(new Root(), factory);
        root.addSubcommand(args[0], new CommandLine(alone, factory));
        return root;
    }

    /** {@link Main} without its subcommands (the one named is added): what a command's usage and errors name as its parent. */
    @Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = Main.Version.class)
    static final class Root implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            return 2; // never: a root is built only for a command line that names a command
        }
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String t = s.replace('\n', ' ').replace('\r', ' ');
        return t.length() > 500 ? t.substring(0, 500) + "..." : t;
    }

    /** A bare {@code vigil}: every command with its one-line description (picocli's usage lists them all), exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("vigil: a command is required");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** picocli's factory, but the {@link TerminalOptions} of every command see these surroundings. */
    private record Factory(Surroundings surroundings) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == TerminalOptions.class) return cls.cast(new TerminalOptions(surroundings));
            return CommandLine.defaultFactory().create(cls);
        }
    }

    /**
     * {@code vigil --version}: the release (the pom's {@code <version>}: the jar manifest's {@code Implementation-Version},
     * or from {@code target/classes} the filtered {@code version.properties}) and the commit it was built from
     * ({@code commit.properties}, written by {@code scripts/build-info.sh} at every build).
     */
    static final class Version implements CommandLine.IVersionProvider {
        private static final String COMMIT = "/dev/vigil/commit.properties";

        @Override
        public String[] getVersion() {
            return new String[] {"vigil " + version() + ", commit " + commit() + " (" + commitDate() + ")", "Java " + Runtime.version()};
        }

        /** The project's version. */
        static String version() {
            String v = Main.class.getPackage().getImplementationVersion();
            if (v != null && !v.isBlank()) return v;
            return BuildInfo.version().orElse("unknown (built without Maven)");
        }

        /** The commit the build was made from (12 hex digits, "-dirty" with uncommitted changes), or "unknown". */
        static String commit() {
            return BuildInfo.property(COMMIT, "commit").orElse("unknown");
        }

        /** The day of that commit (what the man pages carry), or "unknown". */
        static String commitDate() {
            String t = BuildInfo.property(COMMIT, "commit.time").orElse("unknown");
            return t.length() >= 10 ? t.substring(0, 10) : t;
        }
    }

    /**
     * Whether to colour text output: {@code always}, {@code never}, or {@code auto} (stdout is a terminal, {@code NO_COLOR}
     * is unset or empty, see no-color.org, and {@code TERM} is not {@code dumb}).
     */
    static boolean colour(String mode, java.util.function.Function<String, String> env) {
        return colour(mode, env, terminal("stdout"));
    }

    static boolean colour(String mode, java.util.function.Function<String, String> env, boolean stdoutTerminal) {
        return switch (mode == null ? "auto" : mode) {
            case "always" -> true;
            case "never" -> false;
            default -> stdoutTerminal && (env.apply("NO_COLOR") == null || env.apply("NO_COLOR").isEmpty()) && !"dumb".equals(env.apply("TERM"));
        };
    }

    /** The text output's width: {@code --width}, else {@code COLUMNS}, else the terminal's (the launcher says it), else no limit. */
    static int width(Integer option, java.util.function.Function<String, String> env) {
        if (option != null) return option;
        for (String v : new String[] {env.apply("COLUMNS"), System.getProperty("vigil.columns")}) {
            if (v == null) continue;
            try {
                int n = Integer.parseInt(v.trim());
                if (n > 0) return n;
            } catch (NumberFormatException e) {
                // not a number: ignored, as terminals do
            }
        }
        return 0;
    }

    /** True when the launcher said the stream is a terminal (Java 21 cannot tell for stderr alone). */
    static boolean terminal(String stream) {
        String p = System.getProperty("vigil." + stream + ".tty");
        if (p != null) return Boolean.parseBoolean(p);
        return System.console() != null && System.getenv("NO_COLOR") == null && !"true".equals(System.getenv("CI"));
    }
}
