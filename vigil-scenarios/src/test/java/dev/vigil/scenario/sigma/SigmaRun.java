package dev.vigil.scenario.sigma;

import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.replay.Replay;
import dev.vigil.replay.ReplayOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Replays inputs through a policy of Sigma rules (as {@code vigil replay} does) and keeps the findings. */
final class SigmaRun {
    final List<Finding> findings = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    RunSummary summary;

    static SigmaRun of(List<Path> ruleDirs, List<Path> inputs) {
        String yaml = "policies:\n  - name: sigma\n    detector: sigma\n    params:\n      rules: ["
                + ruleDirs.stream().map(p -> "'" + p.toAbsolutePath() + "'").collect(Collectors.joining(", ")) + "]\n";
        return of(Policies.parse("sigma-test.yaml", yaml), inputs);
    }

    static SigmaRun of(PolicySet set, List<Path> inputs) {
        SigmaRun run = new SigmaRun();
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                run.findings.add(f);
            }

            @Override
            public void summary(RunSummary s) {
                run.summary = s;
            }
        };
        new Replay(set, w, (where, msg) -> run.problems.add(where + ": " + msg), Replay.Progress.NONE)
                .run(new ReplayOptions(null, List.of(), inputs, null, null, false, null, null));
        return run;
    }

    List<String> rules() {
        return findings.stream().map(Finding::rule).distinct().sorted().toList();
    }
}
