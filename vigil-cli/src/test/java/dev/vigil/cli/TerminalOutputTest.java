package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.store.SqliteStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command that prints text for people takes the one {@code --color}/{@code --width} mixin: {@code NO_COLOR}
 * wins over a terminal, {@code --color=always} over {@code NO_COLOR}, and a list fits a narrow width. The surroundings
 * (environment, terminal) are given to {@link Main#run(Surroundings, String...)}, not read from this JVM.
 */
class TerminalOutputTest {
    private static final String ESC = "\u001b[";
    private static final Surroundings TERMINAL = new Surroundings(Map.<String, String>of()::get, true);
    private static final Surroundings NO_COLOR = new Surroundings(Map.of("NO_COLOR", "1")::get, true);
    private static final Surroundings PIPE = new Surroundings(Map.<String, String>of()::get, false);

    @TempDir
    static Path dir;

    static Path store;

    record Run(int code, String out, String err) {}

    static Run run(Surroundings s, List<String> args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(s, args.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static List<String> args(List<String> command, String... more) {
        List<String> a = new ArrayList<>(command);
        a.addAll(List.of(more));
        return a;
    }

    @BeforeAll
    static void aStoreWithLongNames() {
        store = dir.resolve("vigil.db");
        try (SqliteStore s = SqliteStore.open(store, Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), java.time.ZoneOffset.UTC))) {
            String role = "arn:aws:iam::111122223333:role/an-automation-role-with-a-very-long-name-indeed/session-0123456789";
            var revoke = new ActionResult("revoke-world-open", "sg-0123456789abcdef0", ActionStatus.APPLIED,
                    "revoked tcp 22 from 0.0.0.0/0 and ::/0 on the group, after checking it was still there in the account", Map.of(),
                    "revoke:sg:22", Map.of("Action", "AuthorizeSecurityGroupIngress"));
            var failed = new ActionResult("quarantine-instance", "i-0123456789abcdef0", ActionStatus.FAILED, "UnauthorizedOperation", Map.of());
            s.save(new Finding("sg-open-to-world-on-a-rule-with-a-long-name", "sg-guard", Severity.CRITICAL, Instant.parse("2026-11-30T10:00:00Z"),
                    AccountId.of("111122223333"), Region.of("eu-west-1"), role, "cloudtrail",
                    "port 22 opened to the world by " + role + " in a change that the policy does not allow, \u001b[31mwith escapes\u001b[0m",
                    List.of("e1"), List.of(revoke, failed), Map.of()));
            s.save(new Finding("ssh-brute-force", "ssh", Severity.MEDIUM, Instant.parse("2026-11-30T11:00:00Z"), AccountId.of("111122223333"),
                    Region.of("eu-west-1"), "i-0123456789abcdef0", "ssh", "12 failed passwords from 203.0.113.9", List.of("e2"), List.of(), Map.of()));
            s.commit();
        }
    }

    /** Each command that prints text, with the arguments that make it print some. */
    static Stream<List<String>> commands() {
        return Stream.of(
                List.of("replay", "examples/guardduty"),
                List.of("findings", "--store", store.toString()),
                List.of("actions", "--store", store.toString()),
                List.of("findings", "--format", "json", "--store", store.toString()),
                List.of("events", "examples/guardduty"),
                List.of("policy", "validate", "examples/policy.yaml"),
                List.of("policy", "detectors"),
                List.of("test", "examples/"));
    }

    /** The list commands: a header or one line per item, each fitted to the width. */
    static Stream<List<String>> lists() {
        return commands().filter(c -> !c.get(0).equals("events") && !c.contains("json"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aTerminalIsColouredUnlessNoColorIsSet(List<String> command) {
        Run coloured = run(TERMINAL, command);
        assertThat(coloured.code()).as(coloured.err()).isZero();
        assertThat(coloured.out()).as("auto on a terminal").contains(ESC);
        Run plain = run(NO_COLOR, command);
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(plain.out()).as("NO_COLOR").isNotEmpty().doesNotContain(ESC);
        assertThat(plain.out().replaceAll("\\d+ ms", "N ms")).isEqualTo(run(PIPE, command).out().replaceAll("\\d+ ms", "N ms"));
        assertThat(run(TERMINAL, args(command, "--color=never")).out()).doesNotContain(ESC);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void colorAlwaysWinsOverNoColorAndAPipe(List<String> command) {
        assertThat(run(NO_COLOR, args(command, "--color=always")).out()).contains(ESC);
        assertThat(run(PIPE, args(command, "--color", "always")).out()).contains(ESC);
        Run bad = run(PIPE, args(command, "--color=sometimes"));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--color must be auto, always or never, not 'sometimes'");
    }

    @ParameterizedTest
    @MethodSource("lists")
    void aNarrowWidthIsNeverExceeded(List<String> command) {
        for (int width : new int[] {60, 80}) {
            Run r = run(TERMINAL, args(command, "--width", Integer.toString(width), "--color=always"));
            assertThat(r.code()).as(r.err()).isZero();
            List<String> lines = r.out().lines().map(l -> l.replaceAll("\u001b\\[[0-9;]*m", "")).toList();
            assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(width));
        }
        // and through COLUMNS, as a shell that exports it says
        Run columns = run(new Surroundings(Map.of("COLUMNS", "60")::get, false), command);
        assertThat(columns.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(60));
    }

    @Test
    void theListsAlignUnderTheirHeaderOnATerminalAndSplitOnTwoSpacesInAPipe() {
        Run wide = run(NO_COLOR, List.of("findings", "--store", store.toString(), "--width", "100"));
        List<String> lines = wide.out().lines().toList();
        assertThat(lines.get(0)).startsWith("TIME").contains("ID", "SEVERITY", "RULE", "RESOURCE", "SUMMARY");
        int severity = lines.get(0).indexOf("SEVERITY");
        assertThat(lines).as(wide.out()).filteredOn(l -> l.startsWith("2026-")).hasSize(2)
                .allSatisfy(l -> assertThat(l.substring(severity)).matches("(critical|medium) .*"));
        assertThat(wide.out()).contains("…").contains("    quarantine-instance i-0123456789abcdef0: failed (UnauthorizedOperation)")
                .doesNotContain("\u001b").contains("\ufffd[31mwith"); // an input's escape never reaches the terminal
        Run pipe = run(PIPE, List.of("findings", "--store", store.toString()));
        assertThat(pipe.out().lines().toList().get(0)).isEqualTo("TIME  ID  SEVERITY  RULE  RESOURCE  SUMMARY");
        assertThat(pipe.out().lines().toList().get(1)).matches("2026-11-30T11:00:00Z  [0-9a-f]{16}  medium  ssh-brute-force  i-0123456789abcdef0  12 failed .*");
        Run actions = run(PIPE, List.of("actions", "--store", store.toString()));
        assertThat(actions.out()).startsWith("ID  TIME  TYPE  TARGET  STATUS  UNDO  DETAIL\n");
        assertThat(actions.out()).containsPattern("(?m)^\\d+  2026-11-30T10:00:00Z  revoke-world-open  sg-0123456789abcdef0  applied  undoable  revoked tcp 22");
    }

    @Test
    void theStatusesAndSeveritiesHaveTheirColours() {
        assertThat(run(TERMINAL, List.of("actions", "--store", store.toString())).out()).contains(ESC + "31mfailed", ESC + "32mapplied");
        assertThat(run(TERMINAL, List.of("findings", "--store", store.toString())).out()).contains(ESC + "1;31mcritical", ESC + "33mmedium");
        assertThat(run(TERMINAL, List.of("test", "examples/")).out()).contains(ESC + "32mPASS" + ESC + "0m ");
        // JSON as jq -C colours it, and exactly the plain line once the escapes are taken out
        String json = run(TERMINAL, List.of("events", "examples/guardduty")).out();
        assertThat(json).contains(ESC + "34;1m\"kind\"" + ESC + "0m:");
        assertThat(json.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(run(PIPE, List.of("events", "examples/guardduty")).out());
    }

    @Test
    void everyTextCommandTakesTheMixinAndRejectsABadValue() {
        for (List<String> c : List.of(List.of("undo", "1", "--store", store.toString()), List.of("bench", "--records", "1"))) {
            Run bad = run(PIPE, args(c, "--color=sometimes"));
            assertThat(bad.code()).as(c.toString()).isEqualTo(2);
            assertThat(bad.err()).contains("--color must be auto, always or never");
            assertThat(run(PIPE, args(c, "--width", "0")).err()).contains("--width must be a number of columns, not 0");
        }
    }
}
