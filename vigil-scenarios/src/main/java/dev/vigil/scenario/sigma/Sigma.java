package dev.vigil.scenario.sigma;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorType;
import dev.vigil.core.engine.RuleInfo;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.Params;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicyNode;
import dev.vigil.core.sigma.SigmaException;
import dev.vigil.core.sigma.SigmaLoader;
import dev.vigil.core.sigma.SigmaRule;
import dev.vigil.core.sigma.SigmaRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code sigma} detector: Sigma rules (SigmaHQ's CloudTrail rules, vigil's pack in {@code rules/aws/}, your
 * own) over CloudTrail records, in event time, correlations included. A finding's rule is the rule file's name
 * without {@code .yml}.
 */
public final class Sigma implements DetectorType {
    public static final String NAME = "sigma";
    /** The responses a Sigma rule's findings can carry, beside notify (the policy opts in per rule or per tag). */
    public static final List<String> RESPONSES = SigmaResponses.ALL;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Sigma rules over CloudTrail: detections and correlations (event_count, value_count, temporal) in event time";
    }

    @Override
    public List<RuleInfo> rules() {
        return List.of();
    }

    @Override
    public List<RuleInfo> rules(Detector created) {
        if (!(created instanceof SigmaDetector d)) return rules();
        Map<String, RuleInfo> out = new LinkedHashMap<>();
        for (SigmaRule r : d.rules().rules()) {
            if (!r.emits()) continue;
            out.putIfAbsent(r.meta().ruleId(), new RuleInfo(r.meta().ruleId(), severity(r.meta().level()), r.meta().title(), RESPONSES));
        }
        return List.copyOf(out.values());
    }

    @Override
    public Map<String, List<String>> ruleGroups(Detector created) {
        if (!(created instanceof SigmaDetector d)) return Map.of();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (SigmaRule r : d.rules().rules()) {
            if (!r.emits()) continue;
            for (String tag : r.meta().tags()) {
                List<String> l = out.computeIfAbsent(tag.toLowerCase(Locale.ROOT), k -> new ArrayList<>());
                if (!l.contains(r.meta().ruleId())) l.add(r.meta().ruleId());
            }
        }
        return out;
    }

    @Override
    public Detector create(Params p) {
        List<String> paths = p.strings("rules", null);
        if (paths == null || paths.isEmpty()) throw p.error("rules", "is required: rule files or directories");
        Map<String, List<String>> placeholders = new LinkedHashMap<>();
        Params ph = p.child("placeholders");
        for (String k : ph.keys()) placeholders.put(k, ph.strings(k, List.of()));
        String mode = p.string("on-unsupported", "fail");
        if (!mode.equals("fail") && !mode.equals("skip")) throw p.error("on-unsupported", "expected fail or skip, found '" + mode + "'");
        PolicyNode at = p.raw("rules");
        Path base = baseDir(at.file());

        List<SigmaRule> all = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String s : paths) {
            Path root = base.resolve(s);
            List<Path> files;
            try {
                files = SigmaFiles.list(root);
            } catch (IOException e) {
                throw new PolicyException(at, "rules: " + root + ": " + e.getMessage());
            }
            for (Path f : files) {
                try {
                    all.addAll(SigmaLoader.compile(f.toString(), SigmaFiles.ruleId(f), SigmaFiles.read(f), placeholders));
                } catch (SigmaException e) {
                    if (mode.equals("skip")) skipped.add(e.getMessage());
                    else throw new PolicyException(at, "rules: " + e.getMessage());
                }
            }
        }
        SigmaRules rules;
        try {
            rules = SigmaRules.of(all);
        } catch (SigmaException e) {
            throw new PolicyException(at, "rules: " + e.getMessage());
        }
        if (rules.rules().isEmpty()) throw new PolicyException(at, "rules: no Sigma rule found in " + paths);
        return new SigmaDetector(rules, skipped);
    }

    /** Relative rule paths are read from the policy file's directory (the working directory for built-in policies). */
    private static Path baseDir(String policyFile) {
        if (policyFile != null) {
            Path f = Path.of(policyFile);
            if (Files.isRegularFile(f) && f.toAbsolutePath().getParent() != null) return f.toAbsolutePath().getParent();
        }
        return Path.of("");
    }

    static Severity severity(String level) {
        if (level == null) return Severity.MEDIUM;
        return switch (level) {
            case "informational" -> Severity.INFO;
            case "low" -> Severity.LOW;
            case "high" -> Severity.HIGH;
            case "critical" -> Severity.CRITICAL;
            default -> Severity.MEDIUM;
        };
    }
}
