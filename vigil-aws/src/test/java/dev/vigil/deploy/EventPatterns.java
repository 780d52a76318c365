package dev.vigil.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A small EventBridge event pattern matcher for the operators vigil's templates use: exact values, {@code prefix},
 * {@code exists} and {@code anything-but} (a value or a list). Semantics as documented by EventBridge: every key of
 * the pattern must match; a leaf is a list of alternatives; an array in the event matches when any element does.
 */
final class EventPatterns {
    private EventPatterns() {}

    static boolean matches(JsonNode pattern, JsonNode event) {
        Iterator<Map.Entry<String, JsonNode>> it = pattern.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = event == null ? null : event.get(e.getKey());
            JsonNode p = e.getValue();
            if (p.isObject()) {
                if (value == null || !value.isObject() || !matches(p, value)) return false;
            } else if (p.isArray()) {
                if (!leaf(p, value)) return false;
            } else {
                throw new IllegalArgumentException("pattern leaf must be a list: " + e.getKey());
            }
        }
        return true;
    }

    private static boolean leaf(JsonNode alternatives, JsonNode value) {
        for (JsonNode alt : alternatives) {
            if (alt.isObject() && alt.has("exists")) {
                if (alt.get("exists").asBoolean() == (value != null && !value.isNull())) return true;
                continue;
            }
            if (value == null) continue;
            if (value.isArray()) {
                for (JsonNode v : value) if (one(alt, v)) return true;
            } else if (one(alt, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean one(JsonNode alt, JsonNode v) {
        if (alt.isObject()) {
            if (alt.has("prefix")) return v.isTextual() && v.asText().startsWith(alt.get("prefix").asText());
            if (alt.has("anything-but")) {
                JsonNode not = alt.get("anything-but");
                if (not.isArray()) {
                    for (JsonNode n : not) if (n.equals(v)) return false;
                    return true;
                }
                return !not.equals(v);
            }
            throw new IllegalArgumentException("unsupported operator " + alt);
        }
        if (alt.isNumber() && v.isNumber()) return alt.decimalValue().compareTo(v.decimalValue()) == 0;
        return alt.equals(v);
    }
}
