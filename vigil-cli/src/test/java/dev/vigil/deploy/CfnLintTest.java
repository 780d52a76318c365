package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cfn-lint (the CloudFormation linter, with the SAM transform) finds no error, warning or informational message in
 * the templates {@code vigil deploy template} generates from the default, the example and the {@code --org} policies.
 * Skipped, saying so, where cfn-lint is not installed (every machine of this kind has it, and {@code .ci/run} checks).
 */
class CfnLintTest {
    static String cfnLint;

    @TempDir
    Path dir;

    @BeforeAll
    static void findCfnLint() {
        cfnLint = locate().orElse(null);
        if (cfnLint == null && "true".equals(System.getenv("CI"))) throw new IllegalStateException("cfn-lint is not installed");
        Assumptions.assumeTrue(cfnLint != null, "cfn-lint is not installed here (on PATH or in ~/.pyenv/versions/3.11.7/bin): skipped;"
                + " `pip install cfn-lint==1.51.0` to run it");
    }

    /** cfn-lint on PATH, else pyenv's 3.11.7 (PATH may lack pyenv's shims, as in CI). */
    static Optional<String> locate() {
        List<String> candidates = new ArrayList<>();
        String override = System.getenv("VIGIL_CFN_LINT");
        if (override != null && !override.isBlank()) candidates.add(override);
        candidates.add("cfn-lint");
        candidates.add(System.getProperty("user.home") + "/.pyenv/versions/3.11.7/bin/cfn-lint");
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return Optional.of(c);
            } catch (IOException e) {
                // not this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    record Lint(int exit, String output) {}

    static Lint lint(List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(cfnLint, "--format", "parseable", "--include-checks", "I", "--"));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Lint(p.exitValue(), out);
    }

    Path template(String name, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            List<String> all = new ArrayList<>(List.of("deploy", "template"));
            all.addAll(List.of(args));
            code = Main.run(all.toArray(String[]::new));
        } finally {
            System.setOut(o);
        }
        assertThat(code).isZero();
        Path f = dir.resolve(name);
        Files.write(f, out.toByteArray());
        return f;
    }

    @Test
    void theGeneratedTemplatesPassCfnLintWithNoMessageAtAll() throws Exception {
        List<Path> files = List.of(template("default.yaml"), template("example.yaml", "--policy", "examples/policy.yaml"),
                template("org.yaml", "--org", "--policy", "examples/policy.yaml"), template("org-default.yaml", "--org"),
                template("example.json", "--policy", "examples/policy.yaml", "--format", "json"));
        Lint l = lint(files);
        assertThat(l.output()).as("cfn-lint's messages").isEmpty();
        assertThat(l.exit()).isZero();
    }

    @Test
    void cfnLintDoesReportWhatIsWrong() throws Exception {
        // the check above could not fail if cfn-lint read nothing: a broken resource type in the same template is reported
        Path good = template("example.yaml", "--policy", "examples/policy.yaml");
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(good).replace("AWS::DynamoDB::Table", "AWS::DynamoDB::Tabel"));
        Lint l = lint(List.of(broken));
        assertThat(l.exit()).isNotZero();
        assertThat(l.output()).contains("E3006");
    }
}
