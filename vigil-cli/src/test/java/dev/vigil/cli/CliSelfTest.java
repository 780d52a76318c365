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
            "deploy", "bench", "completion", "man", "gen-manpage");

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
        String version = pom.replaceFirst("(?s).*?<revision>([^<]+)</revision>.*", "$1");
        ReplayCommandTest.Run r = ReplayCommandTest.run("--version");
        assertThat(r.code()).isZero();
        // the commit the build ran in (scripts/build-info.sh wrote it into target/classes), as git names it now
        Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes()).strip();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (git.exitValue() == 0) {
            assertThat(r.out()).matches("vigil \\Q" + version + "\\E, commit [0-9a-f]{12}(-dirty)? \\(\\d{4}-\\d\\d-\\d\\d\\)\nJava .*\n");
            assertThat(r.out()).contains(", commit " + head);
        } else { // a source tree without git (an unpacked archive): the build says it does not know
            assertThat(r.out()).matches("vigil \\Q" + version + "\\E, commit unknown \\(unknown\\)\nJava .*\n");
        }
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

    @Test
    void validateReportsEveryErrorOfEveryFile() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                version: 1
                targets:
                  t1: {type: slak}
                  t2: {type: stdout}
                policies:
                  - name: a
                    detector: nope
                  - name: b
                    detector: sg-guard
                    params: {treshold: 3}
                    notify: [t1]
                  - name: c
                    detector: sg-guard
                    notify: [t2, t3]
                extra: 1
                """);
        Path worse = Files.writeString(dir.resolve("worse.yaml"), "policies:\n  - name: x\n    detector: nope\n");
        ReplayCommandTest.Run r = ReplayCommandTest.run("policy", "validate", bad.toString(), "examples/policy.yaml", worse.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEqualTo("examples/policy.yaml: ok (5 policies, 5 enabled, 2 targets)\n");
        // t1 is broken once: policy b, which names it, is reported for its own mistake only
        assertThat(r.err().lines().toList()).containsExactly(
                "vigil: " + bad + ":3: targets.t1.type: expected one of email, securityhub, slack, sns, stdout, webhook, found 'slak'",
                "vigil: " + bad + ":7: policies[0].detector: unknown detector 'nope'; expected one of: bastion-watch, ssh-intrusion, sg-guard,"
                        + " guardduty-responder, cloudtrail-audit, sigma",
                "vigil: " + bad + ":10: policies[1].params.treshold: unknown key 'treshold'; expected one of: protected-groups,"
                        + " protected-severity, report-removals, world-open",
                "vigil: " + bad + ":14: policies[2].notify: no target named 't3' in targets (declared: t1, t2)",
                "vigil: " + bad + ":15: extra: unknown key 'extra'; expected one of: exemptions, live, policies, self, targets, version",
                "vigil: " + worse + ":3: policies[0].detector: unknown detector 'nope'; expected one of: bastion-watch, ssh-intrusion, sg-guard,"
                        + " guardduty-responder, cloudtrail-audit, sigma");
        // elsewhere (replay, run) the first error is the one line, and it says how many more there are
        ReplayCommandTest.Run replay = ReplayCommandTest.run("replay", "--policy", bad.toString(), "examples/guardduty");
        assertThat(replay.code()).isEqualTo(2);
        assertThat(replay.err().strip()).endsWith("found 'slak' (and 4 more errors: 'vigil policy validate' lists them)").doesNotContain("\n");
    }
}
