package dev.vigil.core.sigma;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded set of rules, compiled once: detections indexed by the {@code eventName} values every branch of their
 * condition requires (so a record is tested only against rules that can match it), correlations wired to the rules
 * they count, and what the decoder must read (event names, top-level fields).
 */
public final class SigmaRules {
    static final String EVENT_NAME = "eventName";

    private final List<SigmaRule> rules;
    private final List<SigmaRule.Detection> detections = new ArrayList<>();
    private final Map<String, List<SigmaRule.Detection>> byName = new HashMap<>(); // lower-case eventName
    private final List<SigmaRule.Detection> anyName = new ArrayList<>();
    private final Map<SigmaRule, List<SigmaRule.Correlation>> consumers = new IdentityHashMap<>();
    private final Map<SigmaRule.Correlation, List<SigmaRule>> related = new IdentityHashMap<>();
    private final Set<String> eventNames = new LinkedHashSet<>();
    private final Set<String> fields = new LinkedHashSet<>();
    private boolean caseless;

    private SigmaRules(List<SigmaRule> input) {
        Map<String, SigmaRule> byRef = new HashMap<>();
        for (SigmaRule r : input) {
            if (r.meta().id() != null) byRef.putIfAbsent(r.meta().id(), r);
            if (r.meta().name() != null) byRef.putIfAbsent(r.meta().name(), r);
        }
        // which rules correlations use: those are silent unless a correlation asks to generate them
        Map<SigmaRule, Boolean> used = new IdentityHashMap<>();
        for (SigmaRule r : input) {
            if (r instanceof SigmaRule.Correlation c) {
                for (String ref : c.related()) {
                    SigmaRule target = byRef.get(ref);
                    if (target == null) throw new SigmaException(c.meta().file(), c.meta().line(), "correlation.rules '" + ref + "'", "names no loaded rule (by id or name)");
                    used.merge(target, c.generate(), Boolean::logicalOr);
                }
            }
        }
        Map<SigmaRule, SigmaRule> replaced = new IdentityHashMap<>();
        List<SigmaRule> out = new ArrayList<>();
        for (SigmaRule r : input) {
            SigmaRule x = used.containsKey(r) && r.emits() && !used.get(r) ? r.withEmits(false) : r;
            replaced.put(r, x);
            out.add(x);
        }
        this.rules = List.copyOf(out);
        Map<String, SigmaRule> refs = new HashMap<>();
        byRef.forEach((k, v) -> refs.put(k, replaced.get(v)));
        for (SigmaRule r : rules) {
            if (r instanceof SigmaRule.Correlation c) {
                List<SigmaRule> targets = new ArrayList<>();
                for (String ref : c.related()) {
                    SigmaRule t = refs.get(ref);
                    targets.add(t);
                    consumers.computeIfAbsent(t, k -> new ArrayList<>()).add(c);
                }
                related.put(c, targets);
                for (String g : c.groupBy()) {
                    Map<String, String> alias = c.aliases().get(g);
                    if (alias == null) fields.add(FieldPath.of(g).top());
                    else alias.values().forEach(f -> fields.add(FieldPath.of(f).top()));
                }
                if (c.field() != null) fields.add(FieldPath.of(c.field()).top());
            } else if (r instanceof SigmaRule.Detection d) {
                detections.add(d);
                Set<String> names = d.condition().required(EVENT_NAME);
                if (names == null) {
                    anyName.add(d);
                } else {
                    for (String n : names) byName.computeIfAbsent(n, k -> new ArrayList<>()).add(d);
                }
                collectFields(d.condition(), fields);
            }
        }
        checkCycles();
        for (List<SigmaRule.Detection> l : byName.values()) for (SigmaRule.Detection d : l) eventNames.addAll(names(d));
        // the decoder selects records by exact name; a name not spelt as CloudTrail spells API actions (Capitalized)
        // could match another spelling case-insensitively, so then every record is read
        for (String n : eventNames) if (n.isEmpty() || !Character.isUpperCase(n.charAt(0))) caseless = true;
        fields.add("userIdentity"); // the finding's resource
        fields.add("sourceIPAddress");
    }

    private static Set<String> names(SigmaRule.Detection d) {
        // exact CloudTrail spellings are not known from lower-cased values: collect the values as written
        Set<String> out = new HashSet<>();
        collectNames(d.condition(), out);
        return out;
    }

    private static void collectNames(Condition c, Set<String> out) {
        switch (c) {
            case Condition.Ref r -> {
                for (List<FieldCondition> and : r.selection().alternatives) {
                    for (FieldCondition f : and) {
                        if (f.path.name().equals(EVENT_NAME)) {
                            for (ValueTest t : f.tests) if (t instanceof ValueTest.Str s && s.glob().plain()) out.add(s.glob().text());
                        }
                    }
                }
            }
            case Condition.And a -> a.parts().forEach(p -> collectNames(p, out));
            case Condition.Or o -> o.parts().forEach(p -> collectNames(p, out));
            case Condition.Not n -> { } // names a rule excludes are not names it can match
        }
    }

    private static void collectFields(Condition c, Set<String> out) {
        switch (c) {
            case Condition.Ref r -> r.selection().fields(out);
            case Condition.And a -> a.parts().forEach(p -> collectFields(p, out));
            case Condition.Or o -> o.parts().forEach(p -> collectFields(p, out));
            case Condition.Not n -> collectFields(n.inner(), out);
        }
    }

    private void checkCycles() {
        for (SigmaRule.Correlation c : related.keySet()) {
            Set<SigmaRule> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            if (reaches(c, c, seen)) throw new SigmaException(c.meta().file(), c.meta().line(), "correlation.rules", "correlations refer to each other in a cycle");
        }
    }

    private boolean reaches(SigmaRule.Correlation from, SigmaRule target, Set<SigmaRule> seen) {
        for (SigmaRule r : related.getOrDefault(from, List.of())) {
            if (r == target) return true;
            if (r instanceof SigmaRule.Correlation c && seen.add(c) && reaches(c, target, seen)) return true;
        }
        return false;
    }

    public static SigmaRules of(List<SigmaRule> rules) {
        return new SigmaRules(rules);
    }

    public List<SigmaRule> rules() {
        return rules;
    }

    /** Detections that may match a record of this event name (the index's answer; each is still tested in full). */
    List<SigmaRule.Detection> candidates(String eventName, List<SigmaRule.Detection> into) {
        if (eventName != null) {
            List<SigmaRule.Detection> l = byName.get(eventName.toLowerCase(java.util.Locale.ROOT));
            if (l != null) into.addAll(l);
        }
        into.addAll(anyName);
        return into;
    }

    List<SigmaRule.Correlation> consumersOf(SigmaRule r) {
        return consumers.getOrDefault(r, List.of());
    }

    List<SigmaRule> relatedOf(SigmaRule.Correlation c) {
        return related.get(c);
    }

    /** Event names some rule can match, exactly as the rules write them; empty when some rule matches any name. */
    public Set<String> eventNames() {
        return readsEveryName() ? Set.of() : Set.copyOf(eventNames);
    }

    /** True when some rule does not constrain eventName (every record must be read). */
    public boolean readsEveryName() {
        return !anyName.isEmpty() || caseless;
    }

    /** Top-level fields of the record that the rules read. */
    public Set<String> fields() {
        return Set.copyOf(fields);
    }

    public int indexedCount() {
        return detections.size() - anyName.size();
    }
}
