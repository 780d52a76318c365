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
    private final List<SigmaRule.Detection> anyName = new ArrayList<>(); // not indexed by exact name, in load order
    private final List<NameFilter> filters = new ArrayList<>(); // beside anyName: the names it can match, null for any
    private final Map<SigmaRule, List<SigmaRule.Correlation>> consumers = new IdentityHashMap<>();
    private final Map<SigmaRule.Correlation, List<SigmaRule>> related = new IdentityHashMap<>();
    private final Set<String> eventNames = new LinkedHashSet<>();
    private final Set<String> fields = new LinkedHashSet<>();
    private final Set<String> paths = new LinkedHashSet<>();
    private boolean caseless;
    private final Set<String> detailNames = new LinkedHashSet<>();
    private boolean detailAll;
    static final String REQUEST = "requestParameters";
    static final String RESPONSE = "responseElements";

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
                    if (alias == null) paths.add(g);
                    else paths.addAll(alias.values());
                }
                if (c.field() != null) fields.add(FieldPath.of(c.field()).top());
                if (c.field() != null) paths.add(c.field());
            } else if (r instanceof SigmaRule.Detection d) {
                detections.add(d);
                Set<String> names = d.condition().required(EVENT_NAME);
                if (names == null) {
                    anyName.add(d);
                    filters.add(null);
                } else if (names.stream().anyMatch(n -> n.endsWith("*"))) {
                    // some branch names its calls by a prefix (Lambda's AddPermission20150331v2 ...): tested
                    // against the records whose name equals or starts with one of the values
                    anyName.add(d);
                    filters.add(NameFilter.of(names, names(d)));
                } else {
                    for (String n : names) byName.computeIfAbsent(n, k -> new ArrayList<>()).add(d);
                }
                collectFields(d.condition(), fields);
                collectPaths(d.condition(), paths);
            }
        }
        checkCycles();
        for (List<SigmaRule.Detection> l : byName.values()) for (SigmaRule.Detection d : l) eventNames.addAll(names(d));
        // the decoder selects records by exact name; a name not spelt as CloudTrail spells API actions (Capitalized)
        // could match another spelling case-insensitively, so then every record is read
        for (String n : eventNames) if (n.isEmpty() || !Character.isUpperCase(n.charAt(0))) caseless = true;
        for (SigmaRule r : rules) if (readsDetail(r)) needsDetail(r, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        fields.add("userIdentity"); // the finding's resource
        fields.add("sourceIPAddress");
    }

    /** Whether a rule reads the request or response of a call itself (a correlation: in its group-by or field). */
    private static boolean readsDetail(SigmaRule r) {
        Set<String> read = new HashSet<>();
        if (r instanceof SigmaRule.Detection d) {
            collectFields(d.condition(), read);
        } else if (r instanceof SigmaRule.Correlation c) {
            for (String g : c.groupBy()) {
                Map<String, String> alias = c.aliases().get(g);
                if (alias == null) read.add(FieldPath.of(g).top());
                else alias.values().forEach(f -> read.add(FieldPath.of(f).top()));
            }
            if (c.field() != null) read.add(FieldPath.of(c.field()).top());
        }
        return read.contains(REQUEST) || read.contains(RESPONSE);
    }

    /** The calls whose details {@code r} reads: the names of a detection, or of every rule a correlation counts. */
    private void needsDetail(SigmaRule r, Set<SigmaRule> seen) {
        if (!seen.add(r)) return;
        if (r instanceof SigmaRule.Detection d) {
            int i = anyName.indexOf(d);
            if (i < 0) detailNames.addAll(names(d));
            else if (filters.get(i) == null) detailAll = true;
            else detailNames.addAll(filters.get(i).written());
        } else if (r instanceof SigmaRule.Correlation c) {
            for (SigmaRule t : related.getOrDefault(c, List.of())) needsDetail(t, seen);
        }
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

    private static void collectPaths(Condition c, Set<String> out) {
        switch (c) {
            case Condition.Ref r -> r.selection().paths(out);
            case Condition.And a -> a.parts().forEach(p -> collectPaths(p, out));
            case Condition.Or o -> o.parts().forEach(p -> collectPaths(p, out));
            case Condition.Not n -> collectPaths(n.inner(), out);
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

    /**
     * Detections that may match a record of this event name (the index's answer; each is still tested in full), in
     * index order: those of the exact name, then the others in load order. The answer comes from a small cache of the
     * last names asked (records repeat a few names): it depends on the name alone, so a name found in the cache
     * (compared in full) gets the answer worked out for it.
     * A slot holds one name; names that share a slot (a hostile input can choose them) only miss and are worked out;
     * a name longer than {@link #CACHED_NAME} is not kept. Safe from any thread: a slot is replaced whole, and its
     * entry is immutable (final fields). The caller must not change the array.
     */
    SigmaRule.Detection[] candidates(String eventName) {
        if (eventName == null || eventName.length() > CACHED_NAME) return resolve(eventName);
        int slot = eventName.hashCode() & (CACHE - 1);
        Cached c = cache[slot];
        if (c != null && c.name.equals(eventName)) return c.rules;
        SigmaRule.Detection[] out = resolve(eventName);
        cache[slot] = new Cached(eventName, out);
        return out;
    }

    private static final int CACHE = 256;
    static final int CACHED_NAME = 128;
    private final Cached[] cache = new Cached[CACHE];

    private record Cached(String name, SigmaRule.Detection[] rules) {}

    /** The index's answer worked out, without the cache (the cache's test compares against it). */
    SigmaRule.Detection[] resolve(String eventName) {
        List<SigmaRule.Detection> into = new ArrayList<>();
        String lower = null;
        if (eventName != null) {
            lower = eventName.toLowerCase(java.util.Locale.ROOT);
            List<SigmaRule.Detection> l = byName.get(lower);
            if (l != null) into.addAll(l);
        }
        for (int i = 0; i < anyName.size(); i++) {
            NameFilter f = filters.get(i);
            // every branch of a filtered rule requires an eventName: a record without one cannot match it
            if (f == null || (eventName != null && f.test(eventName, lower))) into.add(anyName.get(i));
        }
        return into.toArray(new SigmaRule.Detection[0]);
    }

    /**
     * The event names a detection can match when some branch gives them as prefixes: exact (lower-cased) names, and
     * prefixes matched as the rule's own {@code startswith} does (case-insensitive, code point by code point).
     * {@code written}: the names and {@code Prefix*} as the rule writes them (for the decoder).
     */
    record NameFilter(Set<String> exact, List<Glob> prefixes, Set<String> written) {
        static NameFilter of(Set<String> required, Set<String> plainNames) {
            Set<String> exact = new HashSet<>();
            List<Glob> prefixes = new ArrayList<>();
            Set<String> written = new LinkedHashSet<>(plainNames);
            for (String n : required) {
                if (n.endsWith("*")) {
                    int[] cp = (n.substring(0, n.length() - 1)).codePoints().toArray();
                    int[] p = java.util.Arrays.copyOf(cp, cp.length + 1);
                    p[cp.length] = Glob.ANY;
                    prefixes.add(Glob.of(p, false));
                    written.add(n);
                } else {
                    exact.add(n);
                }
            }
            return new NameFilter(Set.copyOf(exact), List.copyOf(prefixes), Set.copyOf(written));
        }

        boolean test(String name, String lower) {
            if (exact.contains(lower)) return true;
            for (Glob g : prefixes) if (g.matches(name)) return true;
            return false;
        }
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

    /**
     * Event names whose {@code requestParameters}/{@code responseElements} some rule reads, exactly as the rules write
     * them ({@code Prefix*}: every name starting so); {@code ["*"]} when a rule that reads them does not constrain the name (or names are not spelt as
     * CloudTrail spells them). Correlations count: a group-by or field in the details makes the details of every
     * call its rules match read.
     */
    public Set<String> detailNames() {
        boolean unusual = false; // as for eventNames(): a name not spelt as CloudTrail spells API actions (Capitalized)
        for (String n : detailNames) if (n.isEmpty() || !Character.isUpperCase(n.charAt(0))) unusual = true;
        return detailAll || unusual ? Set.of("*") : Set.copyOf(detailNames);
    }

    /** True when some rule does not constrain eventName (every record must be read). */
    public boolean readsEveryName() {
        return !anyName.isEmpty() || caseless;
    }

    /** The field paths the rules read, as they name them (dotted; a top-level name alone for a whole field). */
    public Set<String> paths() {
        return Set.copyOf(paths);
    }

    /** Top-level fields of the record that the rules read. */
    public Set<String> fields() {
        return Set.copyOf(fields);
    }

    public int indexedCount() {
        return detections.size() - anyName.size();
    }
}
