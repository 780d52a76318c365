package dev.vigil.aws;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict reader over one map of an {@code ActionPlan}'s params (or a nested map in them). Every key must be read:
 * {@link #done()} rejects the rest, so a parameter this executor does not know is never silently dropped (dropping
 * one could turn a narrow revoke into a different call). Values from policies may be numbers or strings.
 */
final class PlanParams {
    private final Map<String, Object> map;
    private final String where;
    private final Set<String> read = new LinkedHashSet<>();

    PlanParams(Map<String, Object> map, String where) {
        this.map = map == null ? Map.of() : map;
        this.where = where;
    }

    /** A plan that cannot be sent: a missing or unknown parameter, a wrong type, an unresolved placeholder. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String string(String key) {
        String s = optString(key);
        if (s == null) throw new Invalid(where + ": " + key + " is required");
        return s;
    }

    String optString(String key) {
        Object v = take(key);
        if (v == null) return null;
        if (v instanceof Map || v instanceof List) throw new Invalid(where + ": " + key + " must be a single value");
        String s = v.toString();
        if (Placeholders.isPlaceholder(s)) throw new Invalid(where + ": " + key + " is still the placeholder '" + s + "'");
        return s;
    }

    Integer optInt(String key) {
        Object v = take(key);
        if (v == null) return null;
        if (v instanceof Number n && n.doubleValue() == n.intValue()) return n.intValue();
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new Invalid(where + ": " + key + " must be an integer, found '" + v + "'");
        }
    }

    Boolean optBool(String key) {
        Object v = take(key);
        if (v == null) return null;
        if (v instanceof Boolean b) return b;
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) return true;
        if (s.equalsIgnoreCase("false")) return false;
        throw new Invalid(where + ": " + key + " must be true or false, found '" + v + "'");
    }

    /** A list of strings; a single value counts as a list of one. */
    List<String> strings(String key) {
        Object v = take(key);
        if (v == null) return List.of();
        List<?> items = v instanceof List<?> l ? l : List.of(v);
        List<String> out = new ArrayList<>();
        for (Object o : items) {
            if (o == null || o instanceof Map || o instanceof List) throw new Invalid(where + ": " + key + " must list plain values");
            String s = o.toString();
            if (Placeholders.isPlaceholder(s)) throw new Invalid(where + ": " + key + " holds the placeholder '" + s + "'");
            out.add(s);
        }
        return out;
    }

    /** A list of maps, each read strictly; a single map counts as a list of one. */
    @SuppressWarnings("unchecked")
    List<PlanParams> maps(String key) {
        Object v = take(key);
        if (v == null) return List.of();
        List<?> items = v instanceof List<?> l ? l : List.of(v);
        List<PlanParams> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> m)) throw new Invalid(where + ": " + key + "[" + i + "] must be a map");
            out.add(new PlanParams((Map<String, Object>) m, where + "." + key + "[" + (i + 1) + "]"));
        }
        return out;
    }

    /** One nested map, or null. */
    PlanParams optMap(String key) {
        List<PlanParams> l = has(key) ? maps(key) : List.of();
        if (l.size() > 1) throw new Invalid(where + ": " + key + " must be one map");
        return l.isEmpty() ? null : l.get(0);
    }

    /** The first of two accepted names (EC2's query name and the SDK's name for one list). */
    String alias(String a, String b) {
        if (has(a) && has(b)) throw new Invalid(where + ": give " + a + " or " + b + ", not both");
        return has(b) ? b : a;
    }

    /** Rejects keys nobody read. */
    void done() {
        List<String> unknown = map.keySet().stream().filter(k -> !read.contains(k)).toList();
        if (!unknown.isEmpty()) throw new Invalid(where + ": unknown parameter(s) " + String.join(", ", unknown));
    }

    private Object take(String key) {
        read.add(key);
        return map.get(key);
    }
}
