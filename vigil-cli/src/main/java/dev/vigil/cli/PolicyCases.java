package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.replay.Replay;
import dev.vigil.replay.ReplayOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A policy's test cases ({@code tests/<case>/expect.yaml}, with the case's inputs in {@code tests/<case>/events/}
 * and/or listed under {@code inputs:}), each replayed like {@code vigil replay} and compared with what it expects.
 * The format is in README's "Testing a policy" section.
 */
final class PolicyCases {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Set<String> CASE_KEYS = Set.of("description", "policy", "inputs", "until", "year", "instance", "findings", "absent", "exact");
    static final Set<String> MATCH_KEYS = Set.of("rule", "policy", "severity", "resource", "source", "summary-contains", "count", "actions");
    static final long MAX_EXPECT_BYTES = 1 << 20;

    /** One finding pattern: every key given must match; {@code count} (when given) is the exact number of matches. */
    record Match(Map<String, String> fields, Integer count, Map<String, String> actions) {
        boolean matches(Finding f) {
            for (var e : fields.entrySet()) {
                String want = e.getValue();
                String got = switch (e.getKey()) {
                    case "rule" -> f.rule();
                    case "policy" -> f.policy();
                    case "severity" -> f.severity().label();
                    case "resource" -> f.resource();
                    case "source" -> f.source();
                    case "summary-contains" -> null;
                    default -> throw new IllegalStateException(e.getKey());
                };
                if (e.getKey().equals("summary-contains")) {
                    if (!f.summary().contains(want)) return false;
                } else if (want == null ? got != null : !want.equals(got)) {
                    return false;
                }
            }
            for (var a : actions.entrySet()) {
                if (f.actions().stream().noneMatch(r -> r.type().equals(a.getKey()) && r.status().label().equals(a.getValue()))) return false;
            }
            return true;
        }

        String describe() {
            StringBuilder b = new StringBuilder("{");
            fields.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append(": ").append(v == null ? "~" : v));
            if (count != null) b.append(", count: ").append(count);
            if (!actions.isEmpty()) b.append(", actions: ").append(actions);
            return b.append('}').toString();
        }
    }

    record Case(String name, Path dir, String description, Path policy, boolean defaultPolicy, List<Path> inputs, Instant until, Integer year,
                InstanceId instance, List<Match> findings, List<Match> absent, boolean exact) {}

    /** What a case gave: pass or fail, the diff lines, how many findings, and how long it took. */
    record Outcome(Case c, boolean passed, List<String> diff, int findings, long millis) {}

    private PolicyCases() {}

    /** The cases under {@code dir/tests}, sorted by name. */
    static List<Path> caseDirs(Path testsDir) throws IOException {
        try (Stream<Path> s = Files.list(testsDir)) {
            return s.filter(d -> Files.isRegularFile(d.resolve("expect.yaml"))).sorted().toList();
        }
    }

    static Case load(Path caseDir, Path policy) throws IOException, PolicyException {
        Path file = caseDir.resolve("expect.yaml");
        if (Files.size(file) > MAX_EXPECT_BYTES) throw new PolicyException(file + ": larger than 1 MiB");
        JsonNode root = YAML.readTree(file.toFile());
        if (root == null || !root.isObject()) throw new PolicyException(file + ": expected a mapping with findings: and/or absent:");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!CASE_KEYS.contains(k)) throw new PolicyException(file + ": unknown key '" + k + "' (expected one of " + new java.util.TreeSet<>(CASE_KEYS) + ")");
        }
        List<Path> inputs = new ArrayList<>();
        if (Files.isDirectory(caseDir.resolve("events"))) inputs.add(caseDir.resolve("events"));
        for (JsonNode i : root.path("inputs")) inputs.add(caseDir.resolve(i.asText()).normalize());
        if (inputs.isEmpty()) throw new PolicyException(file + ": no events/ directory and no inputs: listed");
        boolean dflt = false;
        if (root.hasNonNull("policy")) {
            if (root.get("policy").asText().equals("default")) dflt = true;
            else policy = caseDir.resolve(root.get("policy").asText()).normalize();
        } else if (policy == null) {
            dflt = true;
        }
        Instant until = null;
        if (root.hasNonNull("until")) {
            try {
                until = Instant.parse(root.get("until").asText());
            } catch (java.time.format.DateTimeParseException e) {
                throw new PolicyException(file + ": until: expected an ISO-8601 time such as 2024-05-01T00:00:00Z");
            }
        }
        InstanceId instance = null;
        if (root.hasNonNull("instance")) {
            try {
                instance = InstanceId.of(root.get("instance").asText());
            } catch (IllegalArgumentException e) {
                throw new PolicyException(file + ": instance: expected an instance id");
            }
        }
        Integer year = root.hasNonNull("year") ? root.get("year").asInt() : null;
        return new Case(caseDir.getFileName().toString(), caseDir, root.path("description").asText(null), policy, dflt, inputs, until, year, instance,
                matches(file, "findings", root.path("findings")), matches(file, "absent", root.path("absent")), root.path("exact").asBoolean(false));
    }

    private static List<Match> matches(Path file, String key, JsonNode list) throws PolicyException {
        List<Match> out = new ArrayList<>();
        if (list.isMissingNode() || list.isNull()) return out;
        if (!list.isArray()) throw new PolicyException(file + ": " + key + ": expected a list");
        int i = 0;
        for (JsonNode m : list) {
            i++;
            if (!m.isObject()) throw new PolicyException(file + ": " + key + "[" + i + "]: expected a mapping such as {rule: ..., resource: ...}");
            Map<String, String> fields = new LinkedHashMap<>();
            Map<String, String> actions = new LinkedHashMap<>();
            Integer count = null;
            for (var e : m.properties()) {
                if (!MATCH_KEYS.contains(e.getKey())) {
                    throw new PolicyException(file + ": " + key + "[" + i + "]: unknown key '" + e.getKey() + "' (expected one of " + new java.util.TreeSet<>(MATCH_KEYS) + ")");
                }
                switch (e.getKey()) {
                    case "count" -> count = e.getValue().asInt();
                    case "actions" -> e.getValue().properties().forEach(a -> actions.put(a.getKey(), a.getValue().asText()));
                    default -> fields.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
                }
            }
            out.add(new Match(fields, count, actions));
        }
        return out;
    }

    /** Replays the case and compares. Input problems fail the case: a policy test's inputs must read cleanly. */
    static Outcome run(Case c) {
        long start = System.nanoTime();
        List<String> diff = new ArrayList<>();
        PolicySet set;
        try {
            set = c.defaultPolicy() ? Policies.defaults() : Policies.load(c.policy());
        } catch (PolicyException e) {
            return new Outcome(c, false, List.of("! policy: " + e.getMessage()), 0, 0);
        }
        List<Finding> got = new ArrayList<>();
        ReportWriter collect = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                got.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        new Replay(set, collect, (where, msg) -> diff.add("! " + where + ": " + msg), Replay.Progress.NONE)
                .run(new ReplayOptions(c.defaultPolicy() ? null : c.policy(), List.of(), c.inputs(), c.until(), null, false, c.year(), c.instance()));
        List<Finding> unclaimed = new ArrayList<>(got);
        for (Match m : c.findings()) {
            long n = got.stream().filter(m::matches).count();
            if (m.count() == null ? n == 0 : n != m.count()) diff.add("- expected " + m.describe() + (n == 0 ? "" : " (found " + n + ")"));
            unclaimed.removeIf(m::matches);
        }
        for (Match m : c.absent()) {
            for (Finding f : got) if (m.matches(f)) diff.add("+ must not appear " + m.describe() + ": " + line(f));
        }
        if (c.exact()) for (Finding f : unclaimed) diff.add("+ unexpected " + line(f));
        if (!diff.isEmpty()) {
            diff.add("  found " + got.size() + " finding(s):");
            got.forEach(f -> diff.add("    " + line(f)));
        }
        return new Outcome(c, diff.isEmpty(), diff, got.size(), (System.nanoTime() - start) / 1_000_000);
    }

    static String line(Finding f) {
        StringBuilder b = new StringBuilder("{rule: ").append(f.rule()).append(", severity: ").append(f.severity().label()).append(", resource: ")
                .append(f.resource() == null ? "~" : f.resource()).append(", source: ").append(f.source() == null ? "~" : f.source());
        List<String> acts = new ArrayList<>();
        for (ActionResult a : f.actions()) if (!a.type().equals("notify")) acts.add(a.type() + ": " + a.status().label());
        if (!acts.isEmpty()) b.append(", actions: {").append(String.join(", ", acts)).append('}');
        // attacker-written text (a user name in a summary) cannot start a line of its own in the report
        return b.append('}').toString().replaceAll("\\p{Cntrl}", "?");
    }
}
