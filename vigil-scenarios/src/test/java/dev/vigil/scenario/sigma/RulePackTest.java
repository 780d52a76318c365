package dev.vigil.scenario.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of vigil's pack (rules/aws/) fires on the positive events beside it and stays silent on the negative ones. */
class RulePackTest {
    static Stream<Path> rules() throws IOException {
        try (Stream<Path> s = Files.list(StratusCoverageTest.PACK)) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void firesOnItsPositiveEventsOnly(Path rule) throws IOException {
        String id = SigmaFiles.ruleId(rule);
        String text = Files.readString(rule);
        assertThat(text).startsWith("# Copyright").contains("SPDX-License-Identifier: Apache-2.0").contains("license: Apache-2.0");
        Path match = rule.resolveSibling(id + ".match.json");
        Path nomatch = rule.resolveSibling(id + ".nomatch.json");
        assertThat(match).exists();
        assertThat(nomatch).exists();

        SigmaRun pos = SigmaRun.of(List.of(rule), List.of(match));
        assertThat(pos.problems).isEmpty();
        assertThat(pos.findings).as(id + " on " + match).isNotEmpty().allSatisfy(f -> assertThat(f.rule()).isEqualTo(id));
        Finding f = pos.findings.get(0);
        assertThat(f.facts()).containsEntry("sigma.license", "Apache-2.0").containsKey("sigma.id").containsKey("sigma.title");
        assertThat(f.resource()).startsWith("arn:aws:");
        assertThat(f.source()).isEqualTo("198.51.100.7");

        SigmaRun neg = SigmaRun.of(List.of(rule), List.of(nomatch));
        assertThat(neg.problems).isEmpty();
        assertThat(neg.summary.events()).isPositive();
        assertThat(neg.findings).as(id + " on " + nomatch).isEmpty();
    }
}
