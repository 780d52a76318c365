package dev.vigil.scenario.ssh.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * loghub's OpenSSH_2k.log against its per-line template labels (OpenSSH_2k.log_structured.csv): every line of a
 * template gets that template's kind, so per-template counts of failures and invalid users match exactly; repeat
 * counts ("message repeated N times", "PAM N more") and the users and addresses of failures are checked too.
 */
class LoghubOpenSshTest {
    private static final Path DIR = Path.of("../shared/corpus/loghub/OpenSSH");
    private static final Pattern FROM = Pattern.compile(" from (\\S+)");
    private static final Pattern INVALID = Pattern.compile("^Invalid user (.*) from (\\S+)$");
    private static final Pattern REPEATED = Pattern.compile("^message repeated (\\d+) times");
    private static final Pattern PAM_MORE = Pattern.compile("^PAM (\\d+) more");
    private static final Pattern RHOST = Pattern.compile("rhost=(\\S+)");

    /** The kind each loghub template must be classified as. */
    private static final Map<String, AuthKind> KIND = Map.ofEntries(
            Map.entry("E1", AuthKind.ACCEPTED), Map.entry("E2", AuthKind.CONNECTION_CLOSED), Map.entry("E3", AuthKind.NO_IDENTIFICATION),
            Map.entry("E4", AuthKind.TOO_MANY_AUTH_FAILURES), Map.entry("E5", AuthKind.TOO_MANY_AUTH_FAILURES),
            Map.entry("E6", AuthKind.AUTH_FAIL_DISCONNECT), Map.entry("E7", AuthKind.NO_AUTH_METHODS), Map.entry("E8", AuthKind.FAILED_OTHER),
            Map.entry("E9", AuthKind.FAILED_PASSWORD), Map.entry("E10", AuthKind.FAILED_PASSWORD), Map.entry("E11", AuthKind.CONNECTION_ERROR),
            Map.entry("E12", AuthKind.INVALID_USER_REQUEST), Map.entry("E13", AuthKind.INVALID_USER), Map.entry("E14", AuthKind.FAILED_PASSWORD),
            Map.entry("E15", AuthKind.PAM_MORE_FAILURES), Map.entry("E16", AuthKind.PAM_MORE_FAILURES), Map.entry("E17", AuthKind.PAM_MORE_FAILURES),
            Map.entry("E18", AuthKind.INFO), Map.entry("E19", AuthKind.PAM_AUTH_FAILURE), Map.entry("E20", AuthKind.PAM_AUTH_FAILURE),
            Map.entry("E21", AuthKind.INFO), Map.entry("E22", AuthKind.INFO), Map.entry("E23", AuthKind.INFO),
            Map.entry("E24", AuthKind.RECEIVED_DISCONNECT), Map.entry("E25", AuthKind.RECEIVED_DISCONNECT),
            Map.entry("E26", AuthKind.RECEIVED_DISCONNECT), Map.entry("E27", AuthKind.REVERSE_MAPPING));

    /** The message kind (what `vigil events` shows) each template must get. */
    private static final Map<String, MessageKind> MESSAGE_KIND = Map.ofEntries(
            Map.entry("E1", MessageKind.ACCEPTED), Map.entry("E2", MessageKind.PREAUTH_DISCONNECT), Map.entry("E3", MessageKind.PROTOCOL_FAILURE),
            Map.entry("E4", MessageKind.FAILED_OTHER), Map.entry("E5", MessageKind.FAILED_OTHER), Map.entry("E6", MessageKind.FAILED_OTHER),
            Map.entry("E7", MessageKind.PREAUTH_DISCONNECT), Map.entry("E8", MessageKind.FAILED_OTHER), Map.entry("E9", MessageKind.FAILED_PASSWORD),
            Map.entry("E10", MessageKind.FAILED_PASSWORD), Map.entry("E11", MessageKind.PREAUTH_DISCONNECT), Map.entry("E12", MessageKind.OTHER),
            Map.entry("E13", MessageKind.INVALID_USER), Map.entry("E14", MessageKind.FAILED_PASSWORD), Map.entry("E15", MessageKind.PAM_FAILURE),
            Map.entry("E16", MessageKind.PAM_FAILURE), Map.entry("E17", MessageKind.PAM_FAILURE), Map.entry("E18", MessageKind.OTHER),
            Map.entry("E19", MessageKind.PAM_FAILURE), Map.entry("E20", MessageKind.PAM_FAILURE), Map.entry("E21", MessageKind.OTHER),
            Map.entry("E22", MessageKind.OTHER), Map.entry("E23", MessageKind.OTHER), Map.entry("E24", MessageKind.PREAUTH_DISCONNECT),
            Map.entry("E25", MessageKind.PREAUTH_DISCONNECT), Map.entry("E26", MessageKind.OTHER), Map.entry("E27", MessageKind.OTHER));

    record Row(String eventId, String content) {}

    @Test
    void everyTemplateIsClassifiedAsItsKindWithCountsUsersAndAddresses() throws IOException {
        Path log = DIR.resolve("OpenSSH_2k.log");
        Path csv = DIR.resolve("OpenSSH_2k.log_structured.csv");
        Assumptions.assumeTrue(Files.isRegularFile(log) && Files.isRegularFile(csv), "corpus absent: skipped");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<Row> rows = rows(csv);
        assertThat(lines).hasSameSizeAs(rows);

        Map<String, int[]> perTemplate = new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
        List<String> wrong = new ArrayList<>();
        long expectedFailedPasswords = 0;
        long failedPasswords = 0;
        long expectedInvalid = 0;
        long invalid = 0;
        for (int i = 0; i < lines.size(); i++) {
            Row row = rows.get(i);
            LogLineSplit s = LogLineSplit.of(lines.get(i));
            assertThat(s.message().strip()).as("line %d message", i + 1).isEqualTo(row.content.strip());
            AuthEvent e = SshAuthClassifier.classify(s.program(), s.message());
            int[] c = perTemplate.computeIfAbsent(row.eventId, k -> new int[2]);
            c[0]++;
            String problem = check(row, e);
            if (problem == null) c[1]++;
            else wrong.add("line " + (i + 1) + " " + row.eventId + ": " + problem + " :: " + row.content);

            int expectCount = expectedCount(row);
            if (row.eventId.equals("E9") || row.eventId.equals("E10") || row.eventId.equals("E14")) expectedFailedPasswords += expectCount;
            if (e.kind() == AuthKind.FAILED_PASSWORD) failedPasswords += e.count();
            if (row.eventId.equals("E13")) expectedInvalid++;
            if (e.kind() == AuthKind.INVALID_USER) invalid++;
        }
        perTemplate.forEach((k, v) -> System.out.printf("loghub OpenSSH_2k %-4s %-22s %-18s %4d/%d%n", k, KIND.get(k), MESSAGE_KIND.get(k).label(),
                v[1], v[0]));
        System.out.println("loghub OpenSSH_2k failed-password attempts " + failedPasswords + "/" + expectedFailedPasswords
                + ", invalid users " + invalid + "/" + expectedInvalid);
        assertThat(wrong).isEmpty();
        assertThat(failedPasswords).isEqualTo(expectedFailedPasswords);
        assertThat(invalid).isEqualTo(expectedInvalid).isEqualTo(113);
        assertThat(perTemplate.get("E9")[1]).isEqualTo(383);
    }

    /** Null when the event is what the row's template says, else what is wrong. */
    private static String check(Row row, AuthEvent e) {
        AuthKind want = KIND.get(row.eventId);
        if (e.kind() != want) return "kind " + e.kind() + ", want " + want;
        if (MessageKind.of(e) != MESSAGE_KIND.get(row.eventId)) return "message kind " + MessageKind.of(e) + ", want " + MESSAGE_KIND.get(row.eventId);
        if (e.count() != expectedCount(row)) return "count " + e.count() + ", want " + expectedCount(row);
        String c = row.content;
        switch (row.eventId) {
            case "E13" -> {
                Matcher m = INVALID.matcher(c);
                if (!m.find() || !m.group(1).equals(e.user()) || !m.group(2).equals(e.address()) || !e.invalidUser()) {
                    return "user/address " + e.user() + "@" + e.address();
                }
            }
            case "E8", "E9", "E10", "E14", "E1" -> {
                Matcher m = FROM.matcher(c);
                String host = null;
                while (m.find()) host = m.group(1);
                if (!String.valueOf(host).equals(e.address()) || e.port() <= 0) return "address " + e.address() + ":" + e.port() + ", want " + host;
                boolean inv = c.contains("invalid user");
                if (inv != e.invalidUser()) return "invalidUser " + e.invalidUser();
            }
            case "E15", "E16", "E17", "E19", "E20" -> {
                Matcher m = RHOST.matcher(c);
                if (!m.find() || !m.group(1).equals(e.address())) return "rhost " + e.address();
            }
            case "E4", "E5" -> {
                if (!c.endsWith("for " + e.user() + " [preauth]") || !e.preauth()) return "user " + e.user();
            }
            default -> { }
        }
        return null;
    }

    private static int expectedCount(Row row) {
        Matcher m = REPEATED.matcher(row.content);
        if (m.find()) return Integer.parseInt(m.group(1));
        m = PAM_MORE.matcher(row.content);
        if (m.find()) return Integer.parseInt(m.group(1));
        return 1;
    }

    /** LineId,Date,Day,Time,Component,Pid,Content,EventId,EventTemplate (no quoting in this file; no commas in templates). */
    private static List<Row> rows(Path csv) throws IOException {
        List<Row> out = new ArrayList<>();
        List<String> all = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : all.subList(1, all.size())) {
            String[] f = line.split(",", -1);
            String content = String.join(",", java.util.Arrays.copyOfRange(f, 6, f.length - 2));
            out.add(new Row(f[f.length - 2], content));
        }
        return out;
    }
}
