package dev.vigil.scenario.audit;

import dev.vigil.core.policy.Params;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicyNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One required tag key, optionally with the values it may take: a list, or a regular expression the whole value
 * must match. Neither means any value (even empty) will do.
 */
public record RequiredTag(String key, Set<String> values, Pattern pattern) {
    public RequiredTag {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("a required tag needs a key");
        values = values == null ? Set.of() : Set.copyOf(new LinkedHashSet<>(values));
    }

    public static RequiredTag key(String key) {
        return new RequiredTag(key, Set.of(), null);
    }

    /** True when {@code value} is acceptable for this key. */
    public boolean accepts(String value) {
        if (value == null) return false;
        if (!values.isEmpty()) return values.contains(value);
        return pattern == null || pattern.matcher(value).matches();
    }

    /** What the value should be, for findings: "one of [prod, dev]" or "matching ^cc-\d{4}$". */
    public String expectation() {
        if (!values.isEmpty()) return "one of " + values.stream().sorted().toList();
        return pattern == null ? "any value" : "matching " + pattern.pattern();
    }

    /**
     * Reads {@code required-tags}: a list whose items are a key ({@code - Owner}) or a mapping
     * ({@code - key: Environment, values: [prod, dev]} or {@code - key: CostCenter, pattern: "cc-[0-9]{4}"}).
     */
    public static List<RequiredTag> readAll(Params p, String name, List<RequiredTag> def) {
        PolicyNode n = p.raw(name);
        if (n == null) return def;
        if (!n.isList()) throw new PolicyException(n, "expected a list of tag keys or {key, values | pattern} mappings, found " + n.shape());
        List<RequiredTag> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (PolicyNode item : n.list()) {
            RequiredTag t = item.isScalar() ? scalar(item) : mapping(item);
            if (!seen.add(t.key())) throw new PolicyException(item, "tag key '" + t.key() + "' is listed twice");
            out.add(t);
        }
        return List.copyOf(out);
    }

    private static RequiredTag scalar(PolicyNode item) {
        String k = item.scalar();
        if (k == null || k.isBlank()) throw new PolicyException(item, "expected a tag key, found an empty value");
        return key(k);
    }

    private static RequiredTag mapping(PolicyNode item) {
        Params t = Params.of(item);
        String key = t.requiredString("key");
        List<String> values = t.strings("values", List.of());
        Pattern pattern = t.regex("pattern", null);
        t.finish(); // unknown keys in the item are errors too
        if (!values.isEmpty() && pattern != null) throw t.error("pattern", "give either values or pattern for tag '" + key + "', not both");
        return new RequiredTag(key, new LinkedHashSet<>(values), pattern);
    }
}
