package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replay as a person reads it: missing and empty inputs, standard input, the table's order, width, colour and summary. */
class ReplayTextTest {
    @TempDir
    Path dir;

    static ReplayCommandTest.Run run(String... args) {
        return ReplayCommandTest.run(args);
    }

    @Test
    void anEmptyFolderIsSaid() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty/notes.md"), "not an input");
        ReplayCommandTest.Run r = run("replay", dir.resolve("empty").toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("vigil: " + dir.resolve("empty") + ": no input files in this directory");
        assertThat(r.out()).startsWith("No findings.");
    }

    @Test
    void dashReadsStandardInput() throws Exception {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(Path.of("examples/guardduty/01-bitcoin-dns-finding.json"))));
            ReplayCommandTest.Run r = run("replay", "--format", "json", "-");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.lines()).first().satisfies(f -> assertThat(f.get("rule").asText()).isEqualTo("guardduty-finding"));
            assertThat(r.lines()).last().satisfies(s -> assertThat(s.at("/summary/inputs").asInt()).isEqualTo(1));
        } finally {
            System.setIn(old);
        }
        assertThat(run("replay", "-", "-").code()).isEqualTo(2);
    }

    @Test
    void theTableIsInEventTimeAcrossInputsFitsTheWidthAndHasOneLinePerAction() {
        ReplayCommandTest.Run r = run("replay", "--width", "100", "--color", "never", "examples/");
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("TIME").contains("SEVERITY", "RULE", "RESOURCE", "SUMMARY");
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
        List<String> times = lines.stream().filter(l -> l.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ .*")).map(l -> l.substring(0, 20)).toList();
        assertThat(times).hasSize(33).isSorted(); // 33 with issue 22's ssh-scanner finding on the bastion
        // examples/ is read in path order (bastion 2026, ..., ssh 2024): the table is not
        assertThat(times.get(0)).startsWith("2024-05-01");
        assertThat(lines).filteredOn(l -> l.contains("-> notify")).hasSize(33)
                .allSatisfy(l -> assertThat(l.strip()).isEqualTo("-> notify security-team [planned]"));
        assertThat(r.out()).doesNotContain("\u001b[");
    }

    @Test
    void theSummaryLeavesOutSshCountersWithoutSsh() {
        ReplayCommandTest.Run gd = run("replay", "examples/guardduty");
        assertThat(gd.out().strip().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("3 input(s), 3 event(s), 3 finding(s), 0 error(s)");
        ReplayCommandTest.Run ssh = run("replay", "examples/ssh");
        assertThat(ssh.out()).contains("ssh lines");
    }

    @Test
    void colourAlwaysNeverAndNoColor() {
        assertThat(run("replay", "--color", "always", "examples/guardduty").out()).contains("\u001b[31mhigh");
        assertThat(run("replay", "--color", "never", "examples/guardduty").out()).doesNotContain("\u001b[");
        assertThat(run("replay", "--color", "sometimes", "examples/guardduty").code()).isEqualTo(2);
        // auto: the launcher says stdout is a terminal; NO_COLOR (any non-empty value, no-color.org) still wins
        String was = System.getProperty("vigil.stdout.tty");
        try {
            System.setProperty("vigil.stdout.tty", "true");
            assertThat(Main.colour("auto", Map.<String, String>of()::get)).isTrue();
            assertThat(Main.colour("auto", Map.of("NO_COLOR", "1")::get)).isFalse();
            assertThat(Main.colour("auto", Map.of("TERM", "dumb")::get)).isFalse();
            assertThat(Main.colour("always", Map.of("NO_COLOR", "1")::get)).isTrue();
            System.setProperty("vigil.stdout.tty", "false");
            assertThat(Main.colour("auto", Map.<String, String>of()::get)).isFalse();
        } finally {
            if (was == null) System.clearProperty("vigil.stdout.tty");
            else System.setProperty("vigil.stdout.tty", was);
        }
        assertThat(Main.width(null, Map.of("COLUMNS", "90")::get)).isEqualTo(90);
        assertThat(Main.width(70, Map.of("COLUMNS", "90")::get)).isEqualTo(70);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
