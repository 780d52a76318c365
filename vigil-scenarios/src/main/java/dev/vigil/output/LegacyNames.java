package dev.vigil.output;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON contract's names before they were all snake_case (docs/schema/vigil-output.schema.json), read for one
 * release where vigil reads its own records back (the store's findings and actions), then removed. Only the new names
 * are written.
 */
public final class LegacyNames {
    /** Old key of an action's {@code params} -> new key. */
    private static final Map<String, String> PARAMS = Map.of("target-type", "target_type");

    private LegacyNames() {}

    /** An action's stored params with the old keys under their new names (the new key wins when both are there). */
    public static Map<String, Object> params(Map<String, Object> params) {
        if (params == null || params.isEmpty()) return params;
        boolean old = false;
        for (String k : PARAMS.keySet()) old |= params.containsKey(k);
        if (!old) return params;
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            String name = PARAMS.getOrDefault(k, k);
            if (!name.equals(k) && params.containsKey(name)) return;
            out.put(name, v);
        });
        return out;
    }
}
