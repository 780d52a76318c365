package dev.vigil.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a live runtime says at start, before it acts: every disruptive response the enabled policies name (any response
 * but {@code notify}), per policy and rule, dry-run or not, and the exemptions. Enforcement is opt-in (the built-in
 * policy names none), so a first run says {@code enabled responses: none}. Data only: the caller prints the lines.
 */
public final class EnforcementBanner {
    private EnforcementBanner() {}

    /** The disruptive responses of one enabled policy: rule (or {@code *}) to responses, sorted. */
    public static Map<String, List<String>> disruptive(PolicyDef p) {
        Map<String, List<String>> out = new TreeMap<>();
        for (var e : p.responses().entrySet()) {
            List<String> acts = e.getValue().stream().filter(r -> !PolicyCompiler.NOTIFY.equals(r)).toList();
            if (!acts.isEmpty()) out.put(e.getKey(), acts);
        }
        return out;
    }

    /** True when no enabled policy of the set names a disruptive response. */
    public static boolean none(PolicySet set) {
        return set.enabled().stream().allMatch(p -> disruptive(p).isEmpty());
    }

    /**
     * The banner's lines, without a prefix.
     *
     * @param forcedDryRun true when the command line asked for dry-run ({@code --dry-run}), whatever the policy says
     */
    public static List<String> lines(PolicySet set, boolean forcedDryRun) {
        List<String> out = new ArrayList<>();
        boolean allDry = forcedDryRun || set.live().dryRun();
        String source = set.file() == null ? "" : set.file().startsWith("(") ? " " + set.file() : " (" + set.file() + ")";
        if (none(set)) {
            out.add("enabled responses: none" + source + ": detect and notify only; a disruptive response runs only where a policy"
                    + " file names it (examples/policies/)");
        } else {
            out.add("enabled responses" + source + (allDry ? ", all DRY-RUN (checked, never carried out)" : "") + ":");
            for (PolicyDef p : set.enabled()) {
                Map<String, List<String>> d = disruptive(p);
                if (d.isEmpty()) continue;
                StringBuilder b = new StringBuilder("  ").append(p.name()).append(" [").append(p.detector()).append("] ")
                        .append(allDry || p.dryRun() ? "dry-run" : "ENFORCING").append(": ");
                List<String> parts = new ArrayList<>();
                d.forEach((rule, acts) -> parts.add(rule + " -> " + String.join(", ", acts)));
                out.add(b.append(String.join("; ", parts)).toString());
            }
        }
        out.add("exemptions: " + describe(set.exemptions()) + policyExemptions(set));
        return List.copyOf(out);
    }

    private static String policyExemptions(PolicySet set) {
        StringBuilder b = new StringBuilder();
        for (PolicyDef p : set.enabled()) {
            Exemptions e = p.exemptions();
            if (e == null || (e.resources().isEmpty() && e.tags().isEmpty())) continue;
            b.append("; policy ").append(p.name()).append(": ").append(describe(e));
        }
        return b.toString();
    }

    private static String describe(Exemptions e) {
        if (e == null || (e.resources().isEmpty() && e.tags().isEmpty())) return "none";
        List<String> parts = new ArrayList<>();
        if (!e.resources().isEmpty()) parts.add("resources " + String.join(", ", new TreeSet<>(e.resources())));
        if (!e.tags().isEmpty()) {
            List<String> tags = new ArrayList<>();
            new TreeMap<>(e.tags()).forEach((k, v) -> tags.add(k + "=" + v));
            parts.add("tags " + String.join(", ", tags));
        }
        return String.join("; ", parts);
    }
}
