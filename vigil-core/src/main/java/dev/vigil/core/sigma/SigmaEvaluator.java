package dev.vigil.core.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a {@link SigmaRules} set over records in event time. Detections are tested through the index;
 * correlations keep per-group windows in event time ({@code now} is the record's time, as the engine's clock gives
 * it), bounded in groups and entries, expiring when the timespan has passed. A rule that throws on a record is
 * reported in {@link Result#failures()}, and the other rules are still evaluated.
 */
public final class SigmaEvaluator {
    public static final int MAX_GROUPS = 10_000;
    static final int MAX_ENTRIES = 10_000;
    static final int MAX_IDS = 10;

    private final SigmaRules rules;
    private final Map<SigmaRule.Correlation, Map<List<String>, Group>> state = new IdentityHashMap<>();
    private long evictions;
    private long hitsSinceSweep;

    public SigmaEvaluator(SigmaRules rules) {
        this.rules = rules;
    }

    /** A rule (detection or correlation) that matched. {@code group} is the correlation's group-by values. */
    public record Hit(SigmaRule rule, Instant time, SigmaRecord record, List<String> eventIds, Map<String, String> group, long count) {}

    public record Failure(SigmaRule rule, RuntimeException error) {}

    public record Result(List<Hit> hits, List<Failure> failures) {
        static final Result NONE = new Result(List.of(), List.of());
    }

    /**
     * The detections that match a record, and those that threw on it, in index order: the stateless part of
     * {@link #evaluate}, safe to call from any thread (the compiled rules are immutable), so it can be done ahead.
     */
    public record Matched(List<SigmaRule.Detection> rules, List<Failure> failures) {
        static final Matched NONE = new Matched(List.of(), List.of());
    }

    public Matched match(SigmaRecord record, String eventName) {
        SigmaRule.Detection[] candidates = rules.candidates(eventName);
        List<SigmaRule.Detection> matched = null;
        List<Failure> failures = null;
        for (SigmaRule.Detection d : candidates) {
            boolean m;
            try {
                m = d.matches(record);
            } catch (RuntimeException e) {
                if (failures == null) failures = new ArrayList<>();
                failures.add(new Failure(d, e));
                continue;
            }
            if (!m) continue;
            if (matched == null) matched = new ArrayList<>(2);
            matched.add(d);
        }
        if (matched == null && failures == null) return Matched.NONE;
        return new Matched(matched == null ? List.of() : matched, failures == null ? List.of() : failures);
    }

    public Result evaluate(SigmaRecord record, String eventName, String eventId, Instant now) {
        return evaluate(match(record, eventName), record, eventId, now);
    }

    /** {@link #evaluate} from the record's {@link #match}: the correlations, in event time, on the caller's thread. */
    public Result evaluate(Matched m, SigmaRecord record, String eventId, Instant now) {
        if (m == Matched.NONE) return Result.NONE;
        List<Hit> hits = null;
        for (SigmaRule.Detection d : m.rules()) {
            if (hits == null) hits = new ArrayList<>(4);
            Hit h = new Hit(d, now, record, eventId == null ? List.of() : List.of(eventId), Map.of(), 1);
            feed(h, hits, 0);
        }
        if (hits == null && m.failures().isEmpty()) return Result.NONE;
        if (hits == null) return new Result(new ArrayList<>(), m.failures());
        int emitting = 0;
        for (Hit h : hits) if (h.rule().emits()) emitting++;
        if (emitting == hits.size()) return new Result(hits, m.failures()); // the common case: no silent rule among them, no copy
        List<Hit> reported = new ArrayList<>(emitting);
        for (Hit h : hits) if (h.rule().emits()) reported.add(h);
        return new Result(reported, m.failures());
    }

    /** Groups dropped because a correlation had more than {@link #MAX_GROUPS} open. */
    public long evictions() {
        return evictions;
    }

    public int openGroups() {
        int n = 0;
        for (Map<List<String>, Group> m : state.values()) n += m.size();
        return n;
    }

    private void feed(Hit h, List<Hit> out, int depth) {
        out.add(h);
        if (depth > 16) return;
        for (SigmaRule.Correlation c : rules.consumersOf(h.rule())) {
            Hit fired = correlate(c, h);
            if (fired != null) feed(fired, out, depth + 1);
        }
        if (++hitsSinceSweep >= 4096) {
            hitsSinceSweep = 0;
            sweep(h.time());
        }
    }

    private Hit correlate(SigmaRule.Correlation c, Hit h) {
        List<SigmaRule> related = rules.relatedOf(c);
        String relName = h.rule().meta().name();
        List<String> key = new ArrayList<>(c.groupBy().size());
        Map<String, String> group = new LinkedHashMap<>();
        for (String g : c.groupBy()) {
            Map<String, String> alias = c.aliases().get(g);
            String field = alias == null ? g : alias.getOrDefault(relName, g);
            String v = h.group().containsKey(g) ? h.group().get(g) : first(FieldPath.of(field), h.record());
            key.add(v);
            group.put(g, v);
        }
        Map<List<String>, Group> groups = state.computeIfAbsent(c, k -> new LinkedHashMap<>(16, 0.75f, true));
        Group g = groups.get(key);
        Instant start = h.time().minus(c.timespan());
        if (g == null) {
            if (groups.size() >= MAX_GROUPS) {
                Iterator<List<String>> it = groups.keySet().iterator();
                it.next();
                it.remove();
                evictions++;
            }
            g = new Group(related.size());
            groups.put(key, g);
        }
        g.last = h.time();
        g.addIds(h.eventIds());
        long count;
        switch (c.type()) {
            case "event_count" -> {
                g.times.removeIf(t -> t.isBefore(start));
                g.times.addLast(h.time());
                while (g.times.size() > MAX_ENTRIES) g.times.removeFirst();
                count = g.times.size();
            }
            case "value_count" -> {
                g.values.values().removeIf(t -> t.isBefore(start));
                // every value the field holds (an array field, such as a list of parameter names, adds each)
                for (JsonNode n : FieldPath.of(c.field()).values(h.record())) {
                    String v = ValueTest.text(n);
                    if (v == null) continue;
                    if (v.length() > 1024) v = v.substring(0, 1024);
                    g.values.remove(v);
                    g.values.put(v, h.time());
                    while (g.values.size() > MAX_ENTRIES) g.values.remove(g.values.keySet().iterator().next());
                }
                count = g.values.size();
            }
            case "temporal" -> {
                for (int i = 0; i < related.size(); i++) if (related.get(i) == h.rule()) g.seen[i] = h.time();
                count = 0;
                for (Instant t : g.seen) if (t != null && !t.isBefore(start)) count++;
            }
            default -> { // temporal_ordered: the chain's start time per step reached
                for (int i = related.size() - 1; i >= 0; i--) {
                    if (related.get(i) != h.rule()) continue;
                    if (i == 0) g.seen[0] = h.time();
                    else if (g.seen[i - 1] != null && !g.seen[i - 1].isBefore(start)) g.seen[i] = g.seen[i - 1];
                }
                count = 0;
                for (int i = 0; i < g.seen.length; i++) {
                    if (g.seen[i] != null && !g.seen[i].isBefore(start)) count = i + 1;
                    else break;
                }
                if (count < related.size()) count = Math.min(count, related.size() - 1);
            }
        }
        if (count < c.min() || count > c.max()) return null;
        List<String> ids = List.copyOf(g.ids);
        groups.remove(key); // fired: the next window starts afresh
        return new Hit(c, h.time(), h.record(), ids, group, count);
    }

    private void sweep(Instant now) {
        for (Map.Entry<SigmaRule.Correlation, Map<List<String>, Group>> e : state.entrySet()) {
            Duration span = e.getKey().timespan();
            e.getValue().values().removeIf(g -> g.last.plus(span).isBefore(now));
        }
    }

    static String first(FieldPath p, SigmaRecord r) {
        for (JsonNode n : p.values(r)) {
            String t = ValueTest.text(n);
            if (t != null) return t.length() > 1024 ? t.substring(0, 1024) : t;
        }
        return null;
    }

    private static final class Group {
        final ArrayDeque<Instant> times = new ArrayDeque<>();
        final LinkedHashMap<String, Instant> values = new LinkedHashMap<>();
        final Instant[] seen;
        final ArrayDeque<String> ids = new ArrayDeque<>();
        Instant last;

        Group(int related) {
            seen = new Instant[related];
        }

        void addIds(List<String> more) {
            for (String id : more) {
                if (id == null || ids.contains(id)) continue;
                ids.addLast(id);
                if (ids.size() > MAX_IDS) ids.removeFirst();
            }
        }
    }
}
