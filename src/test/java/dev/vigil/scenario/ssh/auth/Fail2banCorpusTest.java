package dev.vigil.scenario.ssh.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conformance with fail2ban's own test logs: each log line carries a {@code # failJSON:} annotation (failure or
 * not, for which host); {@code # filterOptions:} sections say which modes run over the lines that follow. Every file
 * is run in every mode its sections name; the default mode must agree on 98% of annotated lines, both ways.
 */
class Fail2banCorpusTest {
    private static final Path DIR = Path.of("../shared/corpus/fail2ban");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MODE_CONSTRAINT = Pattern.compile("opts\\.get\\('mode'\\)\\s*(==|!=)\\s*'(\\w+)'");

    record Annotated(int lineNo, String line, JsonNode expect, Set<FailureMode> modes) {}

    /** Agreement of one file in one mode. */
    record Agreement(String file, FailureMode mode, int expectedFailures, int agreedFailures, int expectedClean, int agreedClean,
                     int attemptsAnnotated, int attemptsAgreed, List<String> disagreements) {
        double failureRate() {
            return expectedFailures == 0 ? 1 : (double) agreedFailures / expectedFailures;
        }

        double cleanRate() {
            return expectedClean == 0 ? 1 : (double) agreedClean / expectedClean;
        }

        @Override
        public String toString() {
            return String.format("%-14s %-10s failures %3d/%-3d clean %3d/%-3d attempts %d/%d", file, mode.label(), agreedFailures,
                    expectedFailures, agreedClean, expectedClean, attemptsAgreed, attemptsAnnotated);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sshd", "sshd-journal", "dropbear", "selinux-ssh"})
    void defaultModeAgreesOnAtLeast98PercentBothWays(String file) throws IOException {
        Path p = DIR.resolve(file);
        Assumptions.assumeTrue(Files.isRegularFile(p), "corpus absent: skipped");
        List<Annotated> lines = read(p);
        Map<FailureMode, Agreement> all = new LinkedHashMap<>();
        for (FailureMode m : FailureMode.values()) {
            if (lines.stream().anyMatch(a -> a.modes.contains(m))) all.put(m, run(file, lines, m));
        }
        all.values().forEach(a -> {
            System.out.println("fail2ban conformance: " + a);
            a.disagreements.forEach(d -> System.out.println("    " + d));
        });
        Agreement normal = all.get(FailureMode.NORMAL);
        assertThat(normal.expectedFailures + normal.expectedClean).as("annotated lines in default mode").isGreaterThan(0);
        assertThat(normal.failureRate()).as("missed failures in %s: %s", file, normal.disagreements).isGreaterThanOrEqualTo(0.98);
        assertThat(normal.cleanRate()).as("false failures in %s: %s", file, normal.disagreements).isGreaterThanOrEqualTo(0.98);
        assertThat(normal.attemptsAgreed).as("fail2ban's attempt counts (multi-line connections)").isEqualTo(normal.attemptsAnnotated);
    }

    /** fail2ban's filtertestcase testGetFailures02: "Failed .* from HOST", maxretry 4: one ban, 141.3.81.106, 4 failures. */
    @Test
    void testcase02FailedLinesPerHost() throws IOException {
        Path p = DIR.resolve("testcase02.log");
        Assumptions.assumeTrue(Files.isRegularFile(p), "corpus absent: skipped");
        Map<String, Integer> failed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            LogLineSplit s = LogLineSplit.of(line);
            AuthEvent e = SshAuthClassifier.classify(s.program(), s.message());
            if (e.kind() == AuthKind.FAILED_PASSWORD || e.kind() == AuthKind.FAILED_PUBLICKEY || e.kind() == AuthKind.FAILED_OTHER) {
                failed.merge(e.address(), e.count(), Integer::sum);
            }
        }
        System.out.println("fail2ban conformance: testcase02.log failed lines per host " + failed);
        assertThat(failed).containsExactlyInAnyOrderEntriesOf(Map.of("141.3.81.106", 4, "66.38.192.238", 1));
        assertThat(failed.entrySet().stream().filter(x -> x.getValue() >= 4).map(Map.Entry::getKey)).containsExactly("141.3.81.106");
    }

    static Agreement run(String file, List<Annotated> lines, FailureMode mode) {
        SessionTracker tracker = new SessionTracker(mode);
        int ef = 0;
        int af = 0;
        int ec = 0;
        int ac = 0;
        List<String> bad = new ArrayList<>();
        long clock = 0;
        int attemptsAnnotated = 0;
        int attemptsAgreed = 0;
        for (Annotated a : lines) {
            if (!a.modes.contains(mode)) continue;
            LogLineSplit s = LogLineSplit.of(a.line);
            AuthEvent e = SshAuthClassifier.classify(s.program(), s.message());
            SessionTracker.Verdict v = tracker.observe(s.host(), s.pid(), e, clock += 1000);
            if (!constraintHolds(a.expect, mode)) continue;
            boolean match = a.expect.path("match").asBoolean(false);
            String host = expectedHost(a.expect);
            if (match && a.expect.has("attempts")) {
                attemptsAnnotated++;
                if (v.failure() && v.attempts() == a.expect.get("attempts").asInt()) attemptsAgreed++;
            }
            if (match) {
                ef++;
                if (v.failure() && (host == null || host.equals(v.address()))) af++;
                else bad.add(mode.label() + " line " + a.lineNo + ": expected failure of " + host + ", got " + (v.failure() ? v.address() : "none")
                        + " [" + e.kind() + "] " + a.line);
            } else {
                ec++;
                if (!v.failure()) ac++;
                else bad.add(mode.label() + " line " + a.lineNo + ": expected no failure, got " + v.address() + " [" + e.kind() + "] " + a.line);
            }
        }
        return new Agreement(file, mode, ef, af, ec, ac, attemptsAnnotated, attemptsAgreed, bad);
    }

    private static String expectedHost(JsonNode j) {
        for (String k : List.of("host", "ip4", "ip6")) if (j.hasNonNull(k)) return j.get(k).asText();
        return null;
    }

    private static boolean constraintHolds(JsonNode j, FailureMode mode) {
        if (!j.hasNonNull("constraint")) return true;
        String c = j.get("constraint").asText();
        Matcher m = MODE_CONSTRAINT.matcher(c);
        if (m.find()) {
            boolean eq = (mode == FailureMode.NORMAL ? "" : mode.label()).equals(m.group(2));
            return m.group(1).equals("==") == eq;
        }
        return c.replace(" ", "").equals("name=='sshd'"); // the filter under test is sshd
    }

    static List<Annotated> read(Path p) throws IOException {
        List<Annotated> out = new ArrayList<>();
        Set<FailureMode> modes = EnumSet.of(FailureMode.NORMAL);
        JsonNode pending = null;
        int n = 0;
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            n++;
            if (line.startsWith("# filterOptions:")) {
                modes = modes(JSON.readTree(line.substring(16).trim()));
            } else if (line.startsWith("# failJSON:")) {
                pending = JSON.readTree(line.substring(11).trim());
            } else if (line.startsWith("#") || line.isBlank()) {
                continue;
            } else if (pending != null) {
                out.add(new Annotated(n, line, pending, modes));
                pending = null;
            }
        }
        return out;
    }

    private static Set<FailureMode> modes(JsonNode options) {
        Set<FailureMode> out = EnumSet.noneOf(FailureMode.class);
        if (options.isObject()) options = JSON.createArrayNode().add(options);
        for (JsonNode o : options) {
            FailureMode m = FailureMode.parse(o.path("mode").asText("normal"));
            out.add(m == null ? FailureMode.NORMAL : m);
        }
        return out;
    }
}
