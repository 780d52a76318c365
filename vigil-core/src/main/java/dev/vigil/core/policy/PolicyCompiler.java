package dev.vigil.core.policy;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorRegistry;
import dev.vigil.core.engine.DetectorType;
import dev.vigil.core.engine.RuleInfo;
import dev.vigil.core.finding.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a parsed policy file against the detectors this build has: known keys only, known detectors, rules and
 * responses, declared targets, parameters each detector accepts. Every error names file, line and key.
 */
public final class PolicyCompiler {
    public static final String NOTIFY = "notify";

    private final DetectorRegistry registry;

    public PolicyCompiler(DetectorRegistry registry) {
        this.registry = registry;
    }

    /**
     * Checks the whole file: each target, the exemptions, each policy entry (up to its first error), the live and self
     * sections and the top-level keys are checked on their own, so that one run reports every error
     * ({@link PolicyException#errors()}); a broken target is not reported again by the policies naming it.
     */
    public PolicySet compile(PolicyNode root) {
        List<PolicyException> errors = new ArrayList<>();
        Params top = Params.of(root);
        try {
            String version = top.string("version", "1");
            if (!"1".equals(version.trim())) throw top.error("version", "expected 1, found '" + version + "'");
        } catch (PolicyException e) {
            errors.add(e);
        }

        Params selfP = top.child("self");

        Map<String, TargetDef> targets = new LinkedHashMap<>();
        Map<String, TargetDef> named = new LinkedHashMap<>(); // targets, and the broken ones, for the policies' notify lists
        Params targetsP = top.child("targets");
        for (String name : targetsP.keys()) {
            try {
                TargetDef t = target(name, targetsP.child(name));
                targets.put(name, t);
                named.put(name, t);
            } catch (PolicyException e) {
                errors.add(e);
                named.put(name, new TargetDef(name, "stdout", Severity.INFO, Map.of()));
            }
        }
        Exemptions global = Exemptions.NONE;
        try {
            global = Exemptions.read(top.child("exemptions"));
        } catch (PolicyException e) {
            errors.add(e);
        }

        List<PolicyDef> defs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Params> entries = List.of();
        try {
            entries = top.list("policies");
        } catch (PolicyException e) {
            errors.add(e);
        }
        for (Params p : entries) {
            try {
                PolicyDef def = policy(p, named);
                if (!names.add(def.name())) throw p.error("name", "policy name '" + def.name() + "' is used twice");
                defs.add(def);
            } catch (PolicyException e) {
                errors.add(e);
            }
        }
        LiveSettings live = LiveSettings.DEFAULTS;
        try {
            live = LiveSettings.read(top.child("live"));
        } catch (PolicyException e) {
            errors.add(e);
        }
        SelfIdentity self = null;
        try { // own calls are known by role (self.role-arns, live.assume-roles), never by a session name alone
            self = new SelfIdentity(selfP.strings("role-arns", List.of()), selfP.string("session-name", null), live.assumeRoles());
        } catch (IllegalArgumentException e) {
            errors.add(selfP.error("role-arns", e.getMessage()));
        } catch (PolicyException e) {
            errors.add(e);
        }
        try {
            top.finish();
        } catch (PolicyException e) {
            errors.add(e);
        }
        if (!errors.isEmpty()) throw PolicyException.of(errors);
        return new PolicySet(root.file(), self, targets, global, defs, live);
    }

    private static TargetDef target(String name, Params p) {
        String type = p.requiredString("type");
        List<List<String>> known = TargetDef.SETTINGS.get(type);
        if (known == null) throw p.error("type", "expected one of " + String.join(", ", new java.util.TreeSet<>(TargetDef.SETTINGS.keySet())) + ", found '" + type + "'");
        Severity min = p.severity("min-severity", Severity.INFO);
        for (String k : p.keys()) {
            if (!k.equals("type") && !k.equals("min-severity") && !known.get(0).contains(k) && !known.get(1).contains(k)) {
                String hint = k.endsWith("url") || k.contains("password") || k.contains("secret")
                        ? " (secrets are not written in policy files: use the -env setting naming an environment variable)" : "";
                throw p.error(k, "unknown setting for a " + type + " target" + hint);
            }
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String k : known.get(0)) settings.put(k, p.requiredString(k));
        for (String k : known.get(1)) {
            if (k.equals("connect-timeout") || k.equals("timeout")) { // a delivery's connect and total timeout
                java.time.Duration d = p.duration(k, null);
                if (d == null) continue;
                java.time.Duration max = k.equals("timeout") ? TargetDef.MAX_TIMEOUT : TargetDef.MAX_CONNECT_TIMEOUT;
                if (d.isZero() || d.isNegative() || d.compareTo(max) > 0) throw p.error(k, "expected a duration above 0 and at most " + max.toSeconds() + "s");
                settings.put(k, d.toString());
                continue;
            }
            String v = p.string(k, null);
            if (v != null) settings.put(k, v);
        }
        return new TargetDef(name, type, min, settings);
    }

    private PolicyDef policy(Params p, Map<String, TargetDef> targets) {
        String name = p.requiredString("name");
        String detectorName = p.requiredString("detector");
        DetectorType type = registry.find(detectorName).orElseThrow(() ->
                p.error("detector", "unknown detector '" + detectorName + "'; expected one of: " + String.join(", ", registry.names())));
        boolean enabled = p.bool("enabled", true);
        boolean dryRun = p.bool("dry-run", false);
        PolicyNode paramsNode = p.raw("params");
        if (paramsNode == null) paramsNode = PolicyNode.emptyMap(p.node().file(), p.node().line(), p.node().path() + ".params");

        Map<String, List<String>> responses = new LinkedHashMap<>();
        Params rp = p.child("responses");
        Map<String, RuleInfo> rules = new LinkedHashMap<>();
        // parameters are checked now (disabled policies too), by the detector that reads them; its rules may come from them
        Detector created = create(type, paramsNode);
        type.rules(created).forEach(r -> rules.putIfAbsent(r.id(), r));
        Map<String, List<String>> groups = type.ruleGroups(created);
        for (String rule : rp.keys()) {
            List<String> list = rp.strings(rule, List.of());
            if (!"*".equals(rule) && !rules.containsKey(rule) && groups.containsKey(rule)) {
                for (String r : list) {
                    boolean ok = NOTIFY.equals(r) || groups.get(rule).stream().anyMatch(id -> rules.get(id) != null && rules.get(id).responses().contains(r));
                    if (!ok) throw rp.error(rule, "response '" + r + "' is not available for the rules tagged " + rule);
                }
                for (String id : groups.get(rule)) {
                    List<String> merged = new ArrayList<>(responses.getOrDefault(id, List.of()));
                    for (String r : list) if (!merged.contains(r) && (NOTIFY.equals(r) || rules.get(id).responses().contains(r))) merged.add(r);
                    responses.put(id, merged);
                }
                continue;
            }
            if (!"*".equals(rule) && !rules.containsKey(rule)) {
                throw rp.error(rule, "detector " + detectorName + " has no rule '" + rule + "'; its rules are: " + String.join(", ", rules.keySet()) + " (or * for all)");
            }
            for (String r : list) {
                boolean ok = NOTIFY.equals(r) || ("*".equals(rule)
                        ? rules.values().stream().anyMatch(x -> x.responses().contains(r))
                        : rules.get(rule).responses().contains(r));
                if (!ok) {
                    List<String> allowed = new ArrayList<>(List.of(NOTIFY));
                    if (!"*".equals(rule)) allowed.addAll(rules.get(rule).responses());
                    throw rp.error(rule, "response '" + r + "' is not available here; expected one of: " + String.join(", ", allowed));
                }
            }
            List<String> merged = new ArrayList<>(responses.getOrDefault(rule, List.of()));
            for (String r : list) if (!merged.contains(r)) merged.add(r);
            responses.put(rule, merged);
        }
        List<String> notify = p.strings("notify", List.of());
        for (String t : notify) {
            if (!targets.containsKey(t)) throw p.error("notify", "no target named '" + t + "' in targets (declared: " + String.join(", ", targets.keySet()) + ")");
        }
        Exemptions ex = Exemptions.read(p.child("exemptions"));
        return new PolicyDef(name, detectorName, enabled, dryRun, paramsNode, responses, notify, ex, p.node().where());
    }

    /** Creates the detector for a policy, checking its parameters. */
    public Detector instantiate(PolicyDef def) {
        DetectorType type = registry.find(def.detector()).orElseThrow(() -> new PolicyException("unknown detector " + def.detector()));
        return create(type, def.params());
    }

    private static Detector create(DetectorType type, PolicyNode paramsNode) {
        Params params = Params.of(paramsNode);
        Detector d = type.create(params);
        params.finish();
        return d;
    }
}
