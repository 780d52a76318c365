package dev.vigil.scenario.audit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What vigil knows of one instance's tags (only the keys it cares about). {@code complete} means the whole tag set
 * is known (seen at launch, or from the inventory), so a key not in {@code tags} is absent; otherwise only the keys
 * in {@code absent} are known to be missing (deleted), and any other key may or may not be there.
 */
public record TagState(Map<String, String> tags, Set<String> absent, boolean complete) {
    private static final String TAG = "tag:";
    private static final String ABSENT = "absent:";
    private static final String COMPLETE = "complete";

    public TagState {
        tags = Map.copyOf(tags);
        absent = complete ? Set.of() : Set.copyOf(absent);
    }

    public static TagState known(Map<String, String> tags) {
        return new TagState(tags, Set.of(), true);
    }

    public static TagState unknown() {
        return new TagState(Map.of(), Set.of(), false);
    }

    /** True when the key is known to be missing. */
    public boolean missing(String key) {
        return !tags.containsKey(key) && (complete || absent.contains(key));
    }

    /** CreateTags: each key set (or overwritten) to its value. */
    public TagState create(Map<String, String> added) {
        if (added.isEmpty()) return this;
        Map<String, String> t = new HashMap<>(tags);
        t.putAll(added);
        Set<String> a = new TreeSet<>(absent);
        a.removeAll(added.keySet());
        return new TagState(t, a, complete);
    }

    /**
     * DeleteTags: a tag given without value goes whatever its value; with a value, only when the value matches
     * (the EC2 API's rule). When the current value is unknown, a conditional delete leaves the key unknown.
     */
    public TagState delete(List<TagRef> removed) {
        Map<String, String> t = new HashMap<>(tags);
        Set<String> a = new TreeSet<>(absent);
        for (TagRef r : removed) {
            if (r.value() == null || r.value().equals(t.get(r.key()))) {
                t.remove(r.key());
                a.add(r.key());
            }
        }
        return new TagState(t, a, complete);
    }

    /** DeleteTags without tags: every user tag goes, so the state becomes complete and empty. */
    public static TagState cleared() {
        return known(Map.of());
    }

    /** The state as timer data (which survives restarts), beside the caller's own entries. */
    public Map<String, String> toData(Map<String, String> meta) {
        Map<String, String> d = new LinkedHashMap<>(meta);
        if (complete) d.put(COMPLETE, "true");
        tags.forEach((k, v) -> d.put(TAG + k, v));
        absent.forEach(k -> d.put(ABSENT + k, ""));
        return d;
    }

    public static TagState fromData(Map<String, String> data) {
        Map<String, String> t = new HashMap<>();
        Set<String> a = new TreeSet<>();
        data.forEach((k, v) -> {
            if (k.startsWith(TAG)) t.put(k.substring(TAG.length()), v);
            else if (k.startsWith(ABSENT)) a.add(k.substring(ABSENT.length()));
        });
        return new TagState(t, a, "true".equals(data.get(COMPLETE)));
    }

    /** A tag named in a CloudTrail request: {@code value} is null when the request gave none. */
    public record TagRef(String key, String value) {}
}
