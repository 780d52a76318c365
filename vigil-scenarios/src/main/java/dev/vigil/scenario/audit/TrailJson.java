package dev.vigil.scenario.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.event.InstanceId;
import dev.vigil.scenario.audit.TagState.TagRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of EC2 and IAM CloudTrail records this scenario uses. Every path tolerates missing nodes, nulls and
 * odd shapes (a list where CloudTrail usually writes {@code {"items": [...]}}): odd input yields nothing, never throws.
 */
final class TrailJson {
    private TrailJson() {}

    /** The elements of {@code parent.field.items}, or of {@code parent.field} when it is itself a list. */
    static List<JsonNode> items(JsonNode parent, String field) {
        if (parent == null) return List.of();
        JsonNode n = parent.path(field);
        if (n.isObject()) n = n.path("items");
        if (!n.isArray()) return List.of();
        List<JsonNode> out = new ArrayList<>(n.size());
        n.forEach(out::add);
        return out;
    }

    static String text(JsonNode parent, String field) {
        if (parent == null) return null;
        JsonNode n = parent.path(field);
        return n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    /** Instance ids in a list of items carrying {@code field}; malformed ids are skipped. */
    static List<InstanceId> instanceIds(List<JsonNode> items, String field) {
        List<InstanceId> out = new ArrayList<>();
        for (JsonNode item : items) {
            String v = text(item, field);
            if (v == null || !v.startsWith("i-")) continue;
            try {
                InstanceId id = InstanceId.of(v);
                if (!out.contains(id)) out.add(id);
            } catch (RuntimeException e) {
                // not an instance id after all: the record names some other resource
            }
        }
        return out;
    }

    /** {@code [{key, value}]} (or its {@code {"items": [...]}} form) as tag references; a missing value stays null. */
    static List<TagRef> tagRefs(JsonNode parent, String field) {
        List<TagRef> out = new ArrayList<>();
        for (JsonNode t : items(parent, field)) {
            String k = text(t, "key");
            if (k != null) out.add(new TagRef(k, text(t, "value")));
        }
        return out;
    }

    /** Tags as set by CreateTags or at launch: a missing value is the empty string, as EC2 stores it. */
    static Map<String, String> tags(List<TagRef> refs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TagRef r : refs) out.put(r.key(), r.value() == null ? "" : r.value());
        return out;
    }

    /** RunInstances: tags requested for resource type {@code instance}, plus any the response lists per instance. */
    static Map<String, String> launchTags(JsonNode request) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode spec : items(request, "tagSpecificationSet")) {
            if ("instance".equals(text(spec, "resourceType"))) out.putAll(tags(tagRefs(spec, "tags")));
        }
        return out;
    }
}
