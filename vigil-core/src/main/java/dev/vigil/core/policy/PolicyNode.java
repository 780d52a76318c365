package dev.vigil.core.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value read from a policy file with where it was found, so that every error can name file, line and key path.
 * {@code value} is a String (scalar), null, a {@code List<PolicyNode>} or a {@code Map<String, PolicyNode>}.
 */
public record PolicyNode(String file, int line, String path, Object value) {

    public PolicyNode {
        if (value instanceof Map<?, ?> m) value = Collections.unmodifiableMap(new LinkedHashMap<>(m));
        if (value instanceof List<?> l) value = List.copyOf(l);
    }

    public static PolicyNode emptyMap(String file, int line, String path) {
        return new PolicyNode(file, line, path, Map.of());
    }

    public boolean isMap() {
        return value instanceof Map<?, ?>;
    }

    public boolean isList() {
        return value instanceof List<?>;
    }

    public boolean isScalar() {
        return value instanceof String;
    }

    @SuppressWarnings("unchecked")
    public Map<String, PolicyNode> map() {
        return value instanceof Map<?, ?> m ? (Map<String, PolicyNode>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public List<PolicyNode> list() {
        return value instanceof List<?> l ? (List<PolicyNode>) l : List.of();
    }

    public String scalar() {
        return value instanceof String s ? s : null;
    }

    /** "file:line" for messages. */
    public String where() {
        return file + ":" + line;
    }

    public String shape() {
        if (value == null) return "nothing";
        if (isMap()) return "a mapping";
        if (isList()) return "a list";
        return "'" + value + "'";
    }
}
