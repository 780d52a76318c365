package dev.vigil.scenario.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.Origin;
import dev.vigil.core.event.SshLogLine;
import dev.vigil.core.finding.Finding;
import dev.vigil.scenario.ssh.auth.LogLineSplit;
import dev.vigil.testing.EngineHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * loghub's OpenSSH_2k.log through the default policy: the sources each SSH rule flags (printed for
 * docs/scenario-ssh.md, where they are set against fail2ban-regex and CrowdSec's thresholds), checked against an
 * independent count from loghub's own per-line template labels (OpenSSH_2k.log_structured.csv), not vigil's classifier.
 */
class LoghubFlaggedSourcesTest {
    private static final Path DIR = Path.of("../shared/corpus/loghub/OpenSSH");
    private static final Pattern LAST_FROM = Pattern.compile(".* from (\\S+)");
    private static final Pattern REPEATED = Pattern.compile("^message repeated (\\d+) times");
    private static final Set<String> FAILED_LOGIN_TEMPLATES = Set.of("E8", "E9", "E10", "E13", "E14");

    record Labelled(Instant time, String source, int count) {}

    @Test
    void flaggedSourcesAgreeWithLoghubsLabels() throws IOException {
        Path log = DIR.resolve("OpenSSH_2k.log");
        Path csv = DIR.resolve("OpenSSH_2k.log_structured.csv");
        Assumptions.assumeTrue(Files.isRegularFile(log) && Files.isRegularFile(csv), "corpus absent: skipped");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        rows = rows.subList(1, rows.size());

        List<SshLogLine> events = new ArrayList<>();
        List<Labelled> labelled = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            LogLineSplit s = LogLineSplit.of(line);
            Instant t = LocalDateTime.parse("2024 " + line.substring(0, 15), java.time.format.DateTimeFormatter.ofPattern("yyyy MMM d HH:mm:ss",
                    java.util.Locale.ROOT).withResolverStyle(java.time.format.ResolverStyle.SMART)).toInstant(ZoneOffset.UTC);
            events.add(new SshLogLine(null, t, null, null, Origin.line("OpenSSH_2k.log", i + 1), null, s.host(), s.program(), s.pid(),
                    s.message(), false));
            String[] f = rows.get(i).split(",", -1);
            String content = String.join(",", java.util.Arrays.copyOfRange(f, 6, f.length - 2));
            if (FAILED_LOGIN_TEMPLATES.contains(f[f.length - 2])) {
                Matcher m = LAST_FROM.matcher(content);
                Matcher r = REPEATED.matcher(content);
                if (m.find()) labelled.add(new Labelled(t, m.group(1), r.find() ? Integer.parseInt(r.group(1)) : 1));
            }
        }
        // strategy block: findings per source (under quarantine, one finding per rule and instance: the first quarantines it)
        EngineHarness h = SshIntrusionTest.harness("strategy: block").feed(events).finish(null);
        assertThat(h.problems).isEmpty();
        Map<String, Set<String>> flagged = new TreeMap<>();
        for (Finding f : h.findings) if (f.source() != null) flagged.computeIfAbsent(f.rule(), k -> new TreeSet<>()).add(f.source());
        flagged.forEach((rule, sources) -> System.out.println("loghub OpenSSH_2k " + rule + " (" + sources.size() + "): " + sources));

        // from loghub's labels alone: failed log-ins and invalid users per source; 5 within 60 s is ssh-brute-force's default
        Map<String, List<Labelled>> bySource = new HashMap<>();
        for (Labelled l : labelled) bySource.computeIfAbsent(l.source(), k -> new ArrayList<>()).add(l);
        Set<String> fiveInAMinute = new TreeSet<>();
        bySource.forEach((src, ls) -> {
            for (int a = 0; a < ls.size(); a++) {
                int n = 0;
                for (int b = a; b < ls.size() && !ls.get(b).time().isAfter(ls.get(a).time().plusSeconds(60)); b++) n += ls.get(b).count();
                if (n >= 5) fiveInAMinute.add(src);
            }
        });
        System.out.println("loghub labels: " + fiveInAMinute.size() + " sources with 5 failed log-ins within 60 s: " + fiveInAMinute);
        Set<String> brute = flagged.getOrDefault(SshIntrusion.BRUTE_FORCE, Set.of());
        assertThat(brute).as("every source the labels show failing 5 times in a minute").containsAll(fiveInAMinute);
        assertThat(bySource.keySet()).as("nothing flagged for brute force that the labels show no failed log-in of").containsAll(brute);
        Set<String> e13 = new TreeSet<>();
        for (String row : rows) if (row.contains(",E13,")) {
            Matcher m = LAST_FROM.matcher(row.substring(0, row.lastIndexOf(",E13,")));
            if (m.find()) e13.add(m.group(1));
        }
        assertThat(flagged.get(SshIntrusion.INVALID_USER)).as("ssh-invalid-user (1 in 5m): every source of loghub's E13").isEqualTo(e13);
        // the log's own scanners: 'Did not receive identification string' (E3) sources are the only ssh-scanner candidates
        Set<String> e3 = new TreeSet<>();
        for (String row : rows) if (row.contains(",E3,")) {
            Matcher m = LAST_FROM.matcher(row.substring(0, row.lastIndexOf(",E3,")));
            if (m.find()) e3.add(m.group(1));
        }
        assertThat(e3).containsAll(flagged.getOrDefault(SshIntrusion.SCANNER, Set.of()));
        assertThat(flagged).doesNotContainKey(SshIntrusion.EXPLOIT_ATTEMPT); // the log has no grace-time timeout
    }
}
