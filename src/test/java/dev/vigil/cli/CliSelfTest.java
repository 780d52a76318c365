package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command line that explains itself: every command listed, the build's version, completion and man pages. */
class CliSelfTest {
    static final List<String> COMMANDS = List.of("replay", "run", "findings", "actions", "undo", "events", "policy", "test", "permissions",
            "deploy", "bench", "completion", "gen-manpage");

    @TempDir
    Path dir;

    @Test
    void aBareVigilListsEveryCommand() {
        ReplayCommandTest.Run r = ReplayCommandTest.run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("vigil: a command is required");
        for (String c : COMMANDS) assertThat(r.err()).as(c).containsPattern("(?m)^  " + c + " ");
    }

    @Test
    void versionComesFromTheBuild() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String version = pom.replaceFirst("(?s).*?<artifactId>vigil</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
        ReplayCommandTest.Run r = ReplayCommandTest.run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("vigil " + version + " (Java ");
    }

    @Test
    void completionIsABashScriptNamingEveryCommand() throws Exception {
        ReplayCommandTest.Run r = ReplayCommandTest.run("completion");
        assertThat(r.code()).isZero();
        for (String c : COMMANDS) assertThat(r.out()).contains(c);
        assertThat(r.out()).contains("--color", "--queue-url");
        Path script = Files.writeString(dir.resolve("vigil.bash"), r.out());
        Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void manPagesForEveryCommand() throws Exception {
        ReplayCommandTest.Run r = ReplayCommandTest.run("gen-manpage", "--outdir", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("vigil.adoc")).exists();
        assertThat(Files.readString(dir.resolve("vigil-replay.adoc"))).contains(":doctype: manpage", "--color", "--width");
        assertThat(Files.readString(dir.resolve("vigil-run.adoc"))).contains("--queue-url");
    }
}
