package dev.vigil.core.finding;

import java.util.Map;
import java.util.Objects;

/**
 * A response as data: what would be done, to which resource, with the exact AWS API parameters (in the API's own
 * names), before any executor carries it out.
 *
 * @param type the response name, e.g. {@code revoke-ingress}, {@code quarantine-subnet}, {@code notify}
 * @param target the resource id acted on (or the notification target's name)
 * @param params the API parameters, in order; values are String, Number, Boolean, List or Map
 * @param detail one line saying what it does
 * @param idempotencyKey equal keys mean the same change: the second is {@code already-applied}; null for none
 * @param disruptive true when it changes the account (counts against the blast-radius limit); false for notify
 * @param undo how to reverse it: {@code {"Action": "<EC2 API action>", <its parameters>...}} (previous groups, the
 *     previous ACL association), or empty when nothing needs undoing or it is not known until execution
 */
public record ActionPlan(
        String type, String target, Map<String, Object> params, String detail, String idempotencyKey, boolean disruptive,
        Map<String, Object> undo) {

    public ActionPlan {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        params = Params.freeze(params);
        detail = detail == null ? "" : detail;
        undo = Params.freeze(undo);
    }

    public ActionPlan(String type, String target, Map<String, Object> params, String detail, String idempotencyKey, boolean disruptive) {
        this(type, target, params, detail, idempotencyKey, disruptive, Map.of());
    }

    /** The API action the params are for, e.g. {@code RevokeSecurityGroupIngress}, when the rule set one. */
    public String action() {
        Object a = params.get("Action");
        return a == null ? null : a.toString();
    }

    /** Deep-immutable copy of a parameter map, keeping order. */
    static final class Params {
        private Params() {}

        static Map<String, Object> freeze(Map<String, Object> params) {
            if (params == null) return Map.of();
            var copy = new java.util.LinkedHashMap<String, Object>();
            params.forEach((k, v) -> copy.put(k, freezeValue(v)));
            return java.util.Collections.unmodifiableMap(copy);
        }

        @SuppressWarnings("unchecked")
        private static Object freezeValue(Object v) {
            if (v instanceof Map<?, ?> m) return freeze((Map<String, Object>) m);
            if (v instanceof java.util.List<?> l) return l.stream().map(Params::freezeValue).toList();
            return v;
        }
    }
}
