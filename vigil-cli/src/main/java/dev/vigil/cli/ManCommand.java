package dev.vigil.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes the troff man pages: vigil(1) and one per command ({@code man -l DIR/vigil-replay.1}, or MANPATH). */
@Command(name = "man", mixinStandardHelpOptions = true,
        description = "Write the man pages (troff): vigil.1 and one per command, e.g. vigil-replay.1, into --outdir; or print one"
                + " command's page (vigil man replay | man -l -).",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:written", "2:no such command, or the directory cannot be written"})
final class ManCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandSpec spec;

    @Option(names = {"-d", "--outdir"}, paramLabel = "DIR", description = "Write every page into DIR (made if missing), e.g. target/man/man1.")
    Path outdir;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "Print the page of this command (e.g. replay, or policy validate) to standard output.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        CommandSpec root = spec.root();
        String version = Main.Version.version();
        String date = Main.Version.commitDate();
        if (outdir != null) {
            try {
                Files.createDirectories(outdir);
                for (CommandSpec s : ManPage.commands(root)) {
                    Files.writeString(outdir.resolve(ManPage.fileName(s)), ManPage.of(s, version, date), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                System.err.println("vigil: " + outdir + ": cannot write the man pages: " + e.getMessage());
                return 2;
            }
            if (command.isEmpty()) return 0;
        }
        CommandSpec page = root;
        for (String c : command) {
            CommandLine sub = page.subcommands().get(c);
            if (sub == null || ManPage.SKIPPED.contains(c)) {
                System.err.println("vigil: no command '" + String.join(" ", command) + "' (vigil --help lists them)");
                return 2;
            }
            page = sub.getCommandSpec();
        }
        System.out.print(ManPage.of(page, version, date));
        System.out.flush();
        return 0;
    }
}
