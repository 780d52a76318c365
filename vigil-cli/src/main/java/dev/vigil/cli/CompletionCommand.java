package dev.vigil.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints picocli's generated completion script for bash and zsh: {@code source <(vigil completion)}. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the shell completion script (bash, and zsh with bashcompinit): source <(vigil completion),"
                + " or save it as /etc/bash_completion.d/vigil.")
final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        System.out.print(AutoComplete.bash("vigil", root));
        System.out.flush();
        return 0;
    }
}
