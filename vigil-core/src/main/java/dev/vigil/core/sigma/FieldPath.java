package dev.vigil.core.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A dotted field name ({@code userIdentity.sessionContext.sessionIssuer.type}) resolved into a record's tree: each
 * segment descends into an object; an array on the way is searched element by element, so a path matches when any
 * element's value matches. A key that itself contains dots ({@code "a.b"}) is tried before descending.
 */
public record FieldPath(String name, List<String> segments) {
    static final int MAX_VALUES = 1024;

    public FieldPath {
        segments = List.copyOf(segments);
    }

    public static FieldPath of(String name) {
        return new FieldPath(name, List.of(name.split("\\.", -1)));
    }

    public String top() {
        return segments.get(0);
    }

    /** Whether the field is present at all (JSON null counts as present). */
    public boolean exists(SigmaRecord r) {
        JsonNode one = single(r);
        if (one != MANY) return one != null;
        List<JsonNode> out = new ArrayList<>(2);
        collect(r, out, true);
        return !out.isEmpty();
    }

    /** The leaf values the path reaches (arrays flattened); empty when absent. JSON nulls are included. */
    public List<JsonNode> values(SigmaRecord r) {
        List<JsonNode> out = new ArrayList<>(2);
        collect(r, out, false);
        return out;
    }

    /**
     * {@link #values}, without a list to fill when no array is on the way (the common case: one leaf or none): the
     * same leaves in the same order.
     */
    List<JsonNode> leaves(SigmaRecord r) {
        JsonNode one = single(r);
        if (one == MANY) return values(r);
        return one == null ? List.of() : List.of(one);
    }

    /** Stands for "an array is on the way or at the end": {@link #values} walks those. Never a record's node. */
    private static final JsonNode MANY = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();

    /**
     * The one leaf {@link #values} would give when the path meets no array (null when it gives none), or {@link #MANY}
     * when it meets one. The walk is {@link #collect}'s and {@link #descend}'s, step for step, without the recursion.
     */
    private JsonNode single(SigmaRecord r) {
        int size = segments.size();
        if (size > 32) return MANY; // descend's depth bound: leave such paths to it
        JsonNode n = r.field(segments.get(0));
        int i = 1;
        if (n == null && size > 1) {
            n = r.field(name);
            i = size;
        }
        if (n == null || n.isMissingNode()) return null;
        while (true) {
            if (n.isArray()) return MANY;
            if (i == size) return n;
            if (!n.isObject()) return null;
            JsonNode child = n.get(segments.get(i));
            if (child != null) {
                n = child;
                i++;
            } else if (i + 1 < size) {
                JsonNode joined = n.get(String.join(".", segments.subList(i, size)));
                if (joined == null) return null;
                n = joined;
                i = size;
            } else {
                return null;
            }
        }
    }

    private void collect(SigmaRecord r, List<JsonNode> out, boolean first) {
        JsonNode top = r.field(segments.get(0));
        int from = 1;
        if (top == null && segments.size() > 1) {
            // a top-level key with dots in it
            top = r.field(name);
            from = segments.size();
        }
        if (top == null || top.isMissingNode()) return;
        descend(top, from, out, 0);
    }

    private void descend(JsonNode n, int i, List<JsonNode> out, int depth) {
        if (out.size() >= MAX_VALUES || depth > 32) return;
        if (n.isArray()) {
            if (i == segments.size()) {
                // a leaf array: each element is a value (an empty array has none)
                for (JsonNode e : n) {
                    if (e.isArray()) descend(e, i, out, depth + 1);
                    else out.add(e);
                }
                return;
            }
            for (JsonNode e : n) descend(e, i, out, depth + 1);
            return;
        }
        if (i == segments.size()) {
            out.add(n);
            return;
        }
        if (!n.isObject()) return;
        JsonNode child = n.get(segments.get(i));
        if (child != null) descend(child, i + 1, out, depth + 1);
        else if (i + 1 < segments.size()) {
            // the remaining segments joined: a key with dots inside a nested object
            String rest = String.join(".", segments.subList(i, segments.size()));
            JsonNode joined = n.get(rest);
            if (joined != null) descend(joined, segments.size(), out, depth + 1);
        }
    }
}
