package dev.vigil.cli;

import dev.vigil.core.engine.DetectorType;
import dev.vigil.core.engine.RuleInfo;
import dev.vigil.core.policy.PolicyDef;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.policy.Policies;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "policy", mixinStandardHelpOptions = true, description = "Print the default policy, check a policy file, list detectors.",
        subcommands = {PolicyCommand.Default.class, PolicyCommand.Validate.class, PolicyCommand.Detectors.class})
final class PolicyCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: default, validate or detectors");
    }

    @Command(name = "default", mixinStandardHelpOptions = true, description = "Print the built-in default policy.")
    static final class Default implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(Policies.defaultText());
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check policy files: every error of every file, one line each naming file, line and key.")
    static final class Validate implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        TerminalOptions terminalOptions;

        @Parameters(paramLabel = "FILE", arity = "1..*")
        java.util.List<Path> files;

        @Override
        public Integer call() {
            Terminal t = terminalOptions.terminal();
            int rc = 0;
            for (Path f : files) {
                try {
                    PolicySet set = Policies.load(f);
                    long on = set.policies().stream().filter(PolicyDef::enabled).count();
                    String head = f + ": ";
                    t.line(System.out, head + t.paint(Terminal.GREEN, "ok") + " ", head.length() + 3,
                            "(" + set.policies().size() + " policies, " + on + " enabled, " + set.targets().size() + " targets)", 4);
                } catch (PolicyException e) { // every error of the file, one line each; then the next file
                    for (String m : e.errors()) System.err.println("vigil: " + m);
                    rc = 2;
                }
            }
            return rc;
        }
    }

    @Command(name = "detectors", mixinStandardHelpOptions = true, description = "List the built-in detectors, their rules and responses.")
    static final class Detectors implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        TerminalOptions terminalOptions;

        @Override
        public Integer call() {
            Terminal term = terminalOptions.terminal();
            for (DetectorType t : Policies.registry().all()) {
                term.line(System.out, term.paint(Terminal.BOLD, t.name()) + ": ", t.name().length() + 2, t.description(), 4);
                for (RuleInfo r : t.rules()) {
                    String sev = r.severity().label();
                    term.line(System.out, "  " + r.id() + " (" + term.paint(FindingsCommand.severityColour(sev), sev) + ") ",
                            r.id().length() + sev.length() + 6, r.description()
                            + (r.responses().isEmpty() ? "" : " [responses: notify, " + String.join(", ", r.responses()) + "]"), 6);
                }
            }
            return 0;
        }
    }
}
