package dev.vigil.decode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which parts of a kept top-level CloudTrail field to read into its tree, from the dotted paths the detectors name
 * ({@code userIdentity.sessionContext.sessionIssuer.type}): an object keeps the keys on some path (each element of
 * an array is taken like its array), and a key that is the rest of a path joined with dots (a key with dots in it,
 * which a Sigma field path also matches); what ends a path is kept whole, the rest is skipped unparsed. A plain
 * top-level name ({@code userIdentity}) keeps the whole field.
 */
final class Projection {
    static final Projection WHOLE = new Projection(null);

    private Map<String, Projection> children; // null: the whole value
    private final Set<String> joined = new HashSet<>();

    private Projection(Map<String, Projection> children) {
        this.children = children;
    }

    private Projection() {
        this(new HashMap<>());
    }

    boolean whole() {
        return children == null;
    }

    /** What to read under {@code key} of an object this projection reads; null: skip it. */
    Projection child(String key) {
        Projection c = children.get(key);
        if (c != null) return c;
        return joined.contains(key) ? WHOLE : null;
    }

    /** Top-level name to what to read of it, from {@code fields} (top-level names and dotted paths). */
    static Map<String, Projection> of(Set<String> fields) {
        Map<String, Projection> out = new HashMap<>();
        for (String f : fields) {
            String[] segs = f.split("\\.", -1);
            if (segs.length == 1) {
                out.put(f, WHOLE);
                continue;
            }
            Projection top = out.computeIfAbsent(segs[0], k -> new Projection());
            if (top != WHOLE) top.add(segs, 1);
        }
        return out;
    }

    /** Adds the paths the decoder itself reads of a top-level field it keeps ({@code userIdentity}: the principal's). */
    static void require(Map<String, Projection> projections, String top, String... paths) {
        Projection p = projections.get(top);
        if (p == null || p.whole()) return;
        for (String path : paths) p.add(path.split("\\.", -1), 0);
    }

    private void add(String[] segs, int i) {
        if (children == null) return;
        if (i == segs.length) {
            children = null; // the path ends here: all of it
            joined.clear();
            return;
        }
        if (segs.length - i >= 2) joined.add(String.join(".", java.util.Arrays.copyOfRange(segs, i, segs.length)));
        children.computeIfAbsent(segs[i], k -> new Projection()).add(segs, i + 1);
    }
}
