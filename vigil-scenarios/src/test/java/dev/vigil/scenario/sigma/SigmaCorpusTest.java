package dev.vigil.scenario.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.core.sigma.SigmaException;
import dev.vigil.core.sigma.SigmaLoader;
import dev.vigil.core.sigma.SigmaRule;
import dev.vigil.core.sigma.SigmaRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SigmaHQ's CloudTrail rules, read in place from ../shared/corpus/sigma. */
class SigmaCorpusTest {
    static final Path SIGMA = Path.of("../shared/corpus/sigma/sigma");
    static final Path AWS = SIGMA.resolve("rules/cloud/aws");

    static void assumeCorpus() {
        assumeTrue(Files.isDirectory(AWS), "SigmaHQ rules not found at " + AWS.toAbsolutePath() + " (the shared corpus is absent)");
    }

    static List<SigmaRule> load(Path f) {
        return SigmaLoader.compile(f.toString(), SigmaFiles.ruleId(f), SigmaFiles.read(f), Map.of());
    }

    @Test
    void everySigmaHqAwsRuleLoads() throws IOException {
        assumeCorpus();
        List<Path> files = SigmaFiles.list(AWS);
        assertThat(files).hasSize(57);
        List<SigmaRule> all = new ArrayList<>();
        for (Path f : files) all.addAll(load(f));
        SigmaRules rules = SigmaRules.of(all);
        assertThat(rules.rules()).hasSize(57).allMatch(SigmaRule::emits);
        // nearly all of them are reached through the eventName index
        assertThat(rules.indexedCount()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void unsupportedAndPlaceholderRulesLoadOrAreRejectedWithAReason() throws IOException {
        assumeCorpus();
        List<String> loaded = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (String dir : List.of("unsupported", "rules-placeholder")) {
            for (Path f : SigmaFiles.list(SIGMA.resolve(dir))) {
                try {
                    List<SigmaRule> r = load(f);
                    SigmaRules.of(r);
                    loaded.add(f.getFileName().toString());
                } catch (SigmaException e) {
                    assertThat(e.getMessage()).startsWith(f.toString() + ":").contains(": ");
                    rejected.add(e.getMessage());
                }
            }
        }
        System.out.println("unsupported/ and rules-placeholder/: loaded " + loaded.size() + " " + loaded + ", rejected " + rejected.size() + " " + rejected);
        // six legacy count() aggregations load as correlations; 'near' without a timeframe, a timeframe without an
        // aggregation, and a placeholder without values are rejected, each with its reason
        assertThat(loaded).hasSize(6);
        assertThat(rejected).hasSize(3);
        assertThat(rejected).anySatisfy(m -> assertThat(m).contains("aws_lambda_function_created_or_invoked.yml:23").contains("'near' needs detection.timeframe"));
        assertThat(rejected).anySatisfy(m -> assertThat(m).contains("aws_ses_messaging_enabled.yml:23").contains("write it as a Sigma correlation"));
        assertThat(rejected).anySatisfy(m -> assertThat(m).contains("placeholder %Legitimate_Countries%").contains("params.placeholders"));
    }

    @Test
    void thePlaceholderRuleLoadsWhenThePolicyGivesItsValues() throws IOException {
        assumeCorpus();
        Path f = SigmaFiles.list(SIGMA.resolve("rules-placeholder")).get(0);
        List<SigmaRule> r = SigmaLoader.compile(f.toString(), SigmaFiles.ruleId(f), SigmaFiles.read(f),
                Map.of("Legitimate_Countries", List.of("DE", "FR"), "Legitimate_IP_Ranges", List.of("198.51.100.*")));
        assertThat(r).hasSize(1);
    }
}
