package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code vigil man}: a troff page per command, well-formed, naming every option, and rendered by man(1) without a warning. */
class ManPageTest {
    @TempDir
    static Path dir;

    static List<CommandSpec> commands;

    @BeforeAll
    static void writeThePages() {
        ReplayCommandTest.Run r = ReplayCommandTest.run("man", "--outdir", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        commands = ManPage.commands(new CommandLine(new Main()).getCommandSpec());
    }

    @Test
    void onePagePerCommandAndVigil1() throws IOException {
        List<String> expected = new ArrayList<>(List.of("vigil.1", "vigil-policy-default.1", "vigil-policy-validate.1", "vigil-policy-detectors.1",
                "vigil-deploy-template.1"));
        for (String c : CliSelfTest.COMMANDS) if (!ManPage.SKIPPED.contains(c)) expected.add("vigil-" + c + ".1");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(commands).hasSize(expected.size());
    }

    @Test
    void eachPageIsWellFormedTroffNamingEveryOption() throws IOException {
        for (CommandSpec s : commands) {
            String page = Files.readString(dir.resolve(ManPage.fileName(s)), StandardCharsets.UTF_8);
            List<String> lines = page.lines().toList();
            assertThat(lines).as(s.qualifiedName()).filteredOn(l -> l.startsWith(".TH ")).singleElement()
                    .satisfies(th -> assertThat(th).startsWith(".TH \"" + ManPage.esc(s.qualifiedName("-").toUpperCase(java.util.Locale.ROOT)) + "\" \"1\" "));
            assertThat(lines).contains(".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS", ".SH EXIT STATUS", ".SH SEE ALSO");
            assertThat(lines.get(lines.indexOf(".SH NAME") + 1)).startsWith(ManPage.esc(s.qualifiedName("-")) + " \\- ");
            String options = page.substring(page.indexOf(".SH OPTIONS"));
            for (OptionSpec o : s.options()) {
                for (String n : o.names()) assertThat(options).as(s.qualifiedName() + " " + n).contains("\\fB" + ManPage.esc(n) + "\\fR");
            }
            // every line of text that troff could read as a request starts with a known macro
            assertThat(lines).as(s.qualifiedName()).filteredOn(l -> l.startsWith(".") || l.startsWith("'"))
                    .allSatisfy(l -> assertThat(l).matches("\\.(TH|SH|TP|PP|nh|ad [lb]|\\\\\".*)( .*)?"));
        }
        String replay = Files.readString(dir.resolve("vigil-replay.1"));
        assertThat(replay).contains("\\fB\\-\\-color\\fR=\\fIauto|always|never\\fR", ".SH ARGUMENTS", "\\fIPATH\\fR...", "a finding at or above \\-\\-fail\\-on");
        assertThat(Files.readString(dir.resolve("vigil.1"))).contains(".SH COMMANDS", ".SH ENVIRONMENT", "\\fBNO_COLOR\\fR", "\\fBvigil\\-replay\\fR(1)");
    }

    @Test
    void manRendersEveryPageWithoutAWarning() throws Exception {
        Assumptions.assumeTrue(onPath("man") && onPath("groff"), "man or groff is not installed: the pages were checked as text only");
        for (CommandSpec s : commands) {
            Path page = dir.resolve(ManPage.fileName(s));
            Process warnings = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", page.toString()).redirectErrorStream(true).start();
            String w = new String(warnings.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(warnings.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(w).as(page.toString()).isEmpty();
            ProcessBuilder man = new ProcessBuilder("man", "-l", page.toString()).redirectErrorStream(true);
            man.environment().put("MANPAGER", "cat");
            man.environment().put("MANWIDTH", "80");
            Process p = man.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll(".\b", "");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(text).isZero();
            String title = s.qualifiedName("-").toUpperCase(java.util.Locale.ROOT);
            assertThat(text).as(page.toString()).startsWith(title + "(1)").contains("NAME", "SYNOPSIS", "OPTIONS", s.qualifiedName(" "));
            for (OptionSpec o : s.options()) assertThat(text).as(page + " " + o.longestName()).contains(o.longestName());
        }
    }

    @Test
    void oneCommandsPageOnStandardOutputAndTheSamePageEachTime() throws IOException {
        ReplayCommandTest.Run r = ReplayCommandTest.run("man", "policy", "validate");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(dir.resolve("vigil-policy-validate.1"))).isEqualTo(ReplayCommandTest.run("man", "policy", "validate").out());
        assertThat(ReplayCommandTest.run("man").out()).isEqualTo(Files.readString(dir.resolve("vigil.1")));
        ReplayCommandTest.Run none = ReplayCommandTest.run("man", "nope");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("vigil: no command 'nope' (vigil --help lists them)\n");
        // the date is the commit's, not the day it was built: two builds of one commit give the same pages
        assertThat(Main.Version.commitDate()).matches("\\d{4}-\\d\\d-\\d\\d|unknown");
        assertThat(r.out()).contains("\"1\" \"" + ManPage.esc(Main.Version.commitDate()) + "\" \"vigil ");
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }
}
