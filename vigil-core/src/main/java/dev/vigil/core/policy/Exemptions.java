package dev.vigil.core.policy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Resources never acted on: by id, or by tag (a tag value of {@code *} matches any value; values compare
 * case-insensitively, as people write True and true alike).
 */
public record Exemptions(Set<String> resources, Map<String, String> tags) {
    public static final Exemptions NONE = new Exemptions(Set.of(), Map.of());

    public Exemptions {
        resources = Set.copyOf(resources);
        tags = Map.copyOf(tags);
    }

    public static Exemptions read(Params p) {
        return new Exemptions(new HashSet<>(p.strings("resources", java.util.List.of())), p.stringMap("tags", Map.of()));
    }

    public Exemptions plus(Exemptions other) {
        Set<String> r = new HashSet<>(resources);
        r.addAll(other.resources);
        Map<String, String> t = new LinkedHashMap<>(tags);
        t.putAll(other.tags);
        return new Exemptions(r, t);
    }

    /** The reason a resource is exempt, or null when it is not. */
    public String reason(String resourceId, Map<String, String> resourceTags) {
        if (resourceId != null && resources.contains(resourceId)) return "exempt: " + resourceId + " is listed in exemptions";
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String v = resourceTags.get(e.getKey());
            if (v != null && ("*".equals(e.getValue()) || e.getValue().equalsIgnoreCase(v))) {
                return "exempt: " + resourceId + " has tag " + e.getKey() + "=" + v;
            }
        }
        return null;
    }
}
