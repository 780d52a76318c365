package dev.vigil.scenario.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.core.engine.ActivePolicy;
import dev.vigil.core.engine.Engine;
import dev.vigil.core.engine.InMemoryTimerStore;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.response.Executor;
import dev.vigil.core.response.InMemoryActionLedger;
import dev.vigil.core.response.Responder;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import dev.vigil.decode.bench.SyntheticCloudTrail;
import dev.vigil.output.FindingJson;
import dev.vigil.policy.Policies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay decodes a call's request and response only when some loaded rule (or response) reads that call's
 * ({@code Interest.details}, {@code SigmaRules.detailNames}). This holds that shortcut to the full decode: the same
 * policies over the same records, once through {@code vigil replay}'s decoding and once with every field of every
 * record decoded, give the same findings, byte for byte as JSON (actions included), over the 35 Stratus Red Team
 * detonations and the synthetic benchmark file.
 */
class SigmaDecodeDifferentialTest {
    private static final String RESPONSES = "policies:\n  - name: sigma-acts\n    detector: sigma\n    params:\n      rules: [%s]\n"
            + "    responses:\n      \"*\": [revoke-role-sessions, block-ip, deactivate-access-key]\n      aws_cloudtrail_disable_logging: [restart-trail]\n";

    @Test
    void stratusDetonationsGiveTheSameFindingsAsAFullDecode() throws IOException {
        SigmaCorpusTest.assumeCorpus();
        assumeTrue(Files.isDirectory(StratusCoverageTest.STRATUS), "Stratus Red Team detonations not found at " + StratusCoverageTest.STRATUS.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> s = Files.list(StratusCoverageTest.STRATUS)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(35);
        int findings = 0;
        for (PolicySet set : policies()) {
            for (Path f : files) findings += same(set, f);
        }
        assertThat(findings).as("findings compared").isGreaterThan(300);
    }

    @Test
    void syntheticRecordsGiveTheSameFindingsAsAFullDecode(@TempDir Path dir) throws IOException {
        SigmaCorpusTest.assumeCorpus();
        Path file = dir.resolve("synthetic.json.gz");
        SyntheticCloudTrail.write(file, 20_000, 42);
        int findings = 0;
        for (PolicySet set : policies()) findings += same(set, file);
        assertThat(findings).as("findings compared").isGreaterThan(40_000);
    }

    /** The default policy and SigmaHQ's rules with the pack, without responses and with every Sigma response enabled. */
    private static List<PolicySet> policies() {
        List<Path> rules = new ArrayList<>(List.of(SigmaCorpusTest.AWS));
        if (Files.isDirectory(StratusCoverageTest.PACK)) rules.add(StratusCoverageTest.PACK);
        PolicySet plain = Policies.withSigma(Policies.defaults(), rules);
        String list = String.join(", ", rules.stream().map(p -> "'" + p.toAbsolutePath() + "'").toList());
        PolicySet acting = Policies.parse("sigma-acts.yaml", String.format(RESPONSES, list));
        return List.of(plain, acting);
    }

    private static int same(PolicySet set, Path input) {
        List<String> replayed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        dev.vigil.output.ReportWriter w = new dev.vigil.output.ReportWriter() {
            @Override
            public void finding(dev.vigil.core.finding.Finding f) {
                replayed.add(FindingJson.text(f));
            }

            @Override
            public void summary(dev.vigil.output.RunSummary s) {}
        };
        new dev.vigil.replay.Replay(set, w, (where, msg) -> problems.add(where + ": " + msg), dev.vigil.replay.Replay.Progress.NONE)
                .run(new dev.vigil.replay.ReplayOptions(null, List.of(), List.of(input), null, null, false, null, null));
        List<String> full = fullDecode(set, input);
        assertThat(problems).as("problems replaying " + input).isEmpty();
        assertThat(count(replayed)).as("findings per rule of " + input + ": replay's decoding against a full decode").isEqualTo(count(full));
        assertThat(replayed).as("findings of " + input + ": replay's decoding against a full decode").containsExactlyInAnyOrderElementsOf(full);
        assertThat(replayed).as("findings of " + input + " in order: replay's decoding against a full decode").isEqualTo(full);
        return full.size();
    }

    private static java.util.Map<String, Long> count(List<String> findings) {
        return findings.stream().collect(java.util.stream.Collectors.groupingBy(f -> f.substring(0, f.indexOf("\",\"policy\"")),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    /** The replay use case (engine and responder as replay wires them), fed by a decoder that reads every field of every record. */
    private static List<String> fullDecode(PolicySet set, Path input) {
        List<String> out = new ArrayList<>();
        StaticInventory inventory = StaticInventory.empty();
        PolicyCompiler compiler = new PolicyCompiler(Policies.registry());
        List<ActivePolicy> active = set.enabled().stream().map(d -> new ActivePolicy(d, compiler.instantiate(d))).toList();
        assertThat(dev.vigil.replay.Replay.requestFor(active).test("DescribeInstances"))
                .as("the shortcut under test is in use (no rule reads DescribeInstances' request)").isFalse();
        Responder responder = new Responder(set.self(), set.exemptions(), set.targets(), new InMemoryActionLedger(), Executor.planning(), inventory);
        InMemoryTimerStore timers = new InMemoryTimerStore();
        Engine engine = new Engine(active, timers, inventory);
        dev.vigil.app.DetectAndRespond useCase = new dev.vigil.app.DetectAndRespond(engine, responder, timers, dev.vigil.app.DetectAndRespond.Records.NONE,
                f -> out.add(FindingJson.text(f)), (where, msg) -> {
                    throw new AssertionError(where + ": " + msg);
                }, null);
        DecodeOptions all = new DecodeOptions(n -> true, null, java.time.ZoneOffset.UTC, n -> true, Set.of("*"));
        new InputDecoder(all).decode(input, new DecodeListener() {
            @Override
            public void onEvent(SecurityEvent event) {
                useCase.accept(event, null);
            }

            @Override
            public void onError(String where, String message) {
                throw new AssertionError(where + ": " + message);
            }
        });
        useCase.finish(null);
        return out;
    }
}
