package dev.vigil.scenario.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.core.finding.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SigmaHQ's CloudTrail rules plus vigil's pack over the 35 Stratus Red Team detonations (real CloudTrail of real
 * attacks) and over benign CloudTrail. Writes the per-technique table to target/sigma-coverage.md and checks that
 * docs/sigma.md carries the same table, so the documented numbers are the measured ones.
 */
class StratusCoverageTest {
    static final Path STRATUS = Path.of("../shared/corpus/stratus-red-team/docs/detonation-logs");
    static final Path PACK = Path.of("rules/aws");
    static final String NOISY = "aws_sts_assumerole_misuse";
    static final List<Path> BENIGN = List.of(Path.of("../shared/corpus/cloud-snitch/backend/report/testdata/aws-cloudtrail-logs"),
            Path.of("../shared/corpus/cloud-custodian/tests/data/cwe"));

    @Test
    void thePackRaisesNothingOnBenignCloudTrail() {
        for (Path p : BENIGN) assumeTrue(Files.isDirectory(p), "benign CloudTrail not found at " + p.toAbsolutePath());
        SigmaRun run = SigmaRun.of(List.of(PACK), BENIGN);
        assertThat(run.summary.events()).as("CloudTrail records read").isGreaterThanOrEqualTo(25);
        assertThat(run.findings).isEmpty();
    }

    @Test
    void sigmaHqPlusThePackFlagAtLeastThirtyTechniques() throws IOException {
        SigmaCorpusTest.assumeCorpus();
        assumeTrue(Files.isDirectory(STRATUS), "Stratus Red Team detonations not found at " + STRATUS.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> s = Files.list(STRATUS)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(35);
        List<Path> ruleDirs = new ArrayList<>(List.of(SigmaCorpusTest.AWS));
        if (Files.isDirectory(PACK)) ruleDirs.add(PACK);
        Map<String, String[]> table = new TreeMap<>();
        int flagged = 0;
        for (Path f : files) {
            String technique = f.getFileName().toString().replaceAll("\\.json$", "");
            SigmaRun sigmaHq = SigmaRun.of(List.of(SigmaCorpusTest.AWS), List.of(f));
            SigmaRun all = SigmaRun.of(ruleDirs, List.of(f));
            assertThat(all.problems).as("problems on " + f).isEmpty();
            String hq = describe(sigmaHq.findings, r -> !r.startsWith("vigil_"));
            String pack = describe(all.findings, r -> r.startsWith("vigil_"));
            // aws_sts_assumerole_misuse matches any call made with an assumed role: it does not count as detecting a technique
            boolean hit = all.findings.stream().anyMatch(x -> !x.rule().equals(NOISY));
            if (hit) flagged++;
            table.put(technique, new String[] {String.valueOf(all.summary.events()), hq, pack, hit ? "yes" : "**no**"});
        }
        StringBuilder md = new StringBuilder();
        md.append("| technique | records | SigmaHQ rules (findings) | vigil pack (findings) | flagged |\n|---|---|---|---|---|\n");
        table.forEach((t, row) -> md.append("| ").append(t).append(" | ").append(String.join(" | ", row)).append(" |\n"));
        md.append("\n").append(flagged).append(" of ").append(files.size()).append(" techniques flagged by a rule other than ").append(NOISY)
                .append(" (which matches every call made with an assumed role).\n");
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/sigma-coverage.md"), md, StandardCharsets.UTF_8);
        System.out.println(md);
        assertThat(flagged).isGreaterThanOrEqualTo(30);
        Path doc = Path.of("docs/sigma.md");
        if (Files.exists(doc)) {
            assertThat(Files.readString(doc)).as("docs/sigma.md carries the table of target/sigma-coverage.md").contains(md.toString().trim());
        }
    }

    private static String describe(List<Finding> findings, java.util.function.Predicate<String> which) {
        Map<String, Long> n = findings.stream().map(Finding::rule).filter(which).collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
        if (n.isEmpty()) return "-";
        return n.entrySet().stream().map(e -> e.getKey() + (e.getValue() > 1 ? " (" + e.getValue() + ")" : "")).collect(Collectors.joining(", "));
    }
}
