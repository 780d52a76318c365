package dev.vigil.core.policy;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code policies:}: a detector with its parameters and what to do with its findings.
 *
 * @param responses rule id (or {@code *} for every rule of the detector) to the responses it triggers
 */
public record PolicyDef(
        String name,
        String detector,
        boolean enabled,
        boolean dryRun,
        PolicyNode params,
        Map<String, List<String>> responses,
        List<String> notifyTargets,
        Exemptions exemptions,
        String where) {

    public PolicyDef {
        responses = Map.copyOf(responses);
        notifyTargets = List.copyOf(notifyTargets);
    }

    /** The responses for a rule, in order: those under {@code *} first, then the rule's own, without repeats. */
    public List<String> responsesFor(String rule) {
        List<String> all = responses.getOrDefault("*", List.of());
        List<String> own = responses.getOrDefault(rule, List.of());
        if (all.isEmpty() && own.isEmpty()) return List.of(); // most rules of most policies: asked once per finding
        var out = new java.util.LinkedHashSet<String>();
        out.addAll(all);
        out.addAll(own);
        return List.copyOf(out);
    }
}
