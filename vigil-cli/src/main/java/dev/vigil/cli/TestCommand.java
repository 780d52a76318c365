package dev.vigil.cli;

import dev.vigil.core.policy.PolicyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Replay a policy's test cases (tests/<case>/expect.yaml beside it) and check each finds what it expects.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:every case passed", "1:a case failed", "2:bad usage, policy or expect.yaml"})
final class TestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "POLICY", description = "A policy file (cases in tests/ beside it) or a directory (cases in DIR/tests; policy DIR/policy.yaml, else the built-in default).")
    Path target;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the results as JUnit XML to FILE.")
    Path junit;

    @Option(names = "--case", paramLabel = "NAME", description = "Run only these cases.", arity = "1..*")
    List<String> only = new ArrayList<>();

    @picocli.CommandLine.Mixin
    TerminalOptions terminalOptions;

    @Override
    public Integer call() {
        Terminal t = terminalOptions.terminal();
        Path policy;
        Path tests;
        if (Files.isDirectory(target)) {
            policy = Files.isRegularFile(target.resolve("policy.yaml")) ? target.resolve("policy.yaml") : null;
            tests = target.resolve("tests");
        } else if (Files.isRegularFile(target)) {
            policy = target;
            tests = target.toAbsolutePath().getParent().resolve("tests");
        } else {
            System.err.println("vigil: " + target + ": no such file or directory");
            return 2;
        }
        List<PolicyCases.Case> cases = new ArrayList<>();
        try {
            if (!Files.isDirectory(tests)) {
                System.err.println("vigil: " + tests + ": no tests directory (tests/<case>/expect.yaml)");
                return 2;
            }
            for (Path d : PolicyCases.caseDirs(tests)) {
                if (only.isEmpty() || only.contains(d.getFileName().toString())) cases.add(PolicyCases.load(d, policy));
            }
        } catch (IOException | PolicyException e) {
            System.err.println("vigil: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) { // Jackson's YAML errors name the file and position
            System.err.println("vigil: " + e.getMessage());
            return 2;
        }
        if (cases.isEmpty()) {
            System.err.println("vigil: " + tests + ": no test cases");
            return 2;
        }
        List<PolicyCases.Outcome> outcomes = new ArrayList<>();
        int failed = 0;
        for (PolicyCases.Case c : cases) {
            PolicyCases.Outcome o = PolicyCases.run(c);
            outcomes.add(o);
            t.line(System.out, (o.passed() ? t.paint(Terminal.GREEN, "PASS") : t.paint(Terminal.RED, "FAIL")) + " ", 5,
                    c.name() + " (" + o.findings() + " finding(s), " + o.millis() + " ms)", 4);
            if (!o.passed()) {
                failed++;
                o.diff().forEach(l -> t.line(System.out, "    ", 4, l, 6));
            }
        }
        t.line(System.out, outcomes.size() - failed + " passed, " + failed + " failed", 4);
        if (junit != null) {
            try {
                Files.writeString(junit, JUnitXml.of(tests.toString(), outcomes));
            } catch (IOException e) {
                System.err.println("vigil: " + junit + ": " + e.getMessage());
                return 2;
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
