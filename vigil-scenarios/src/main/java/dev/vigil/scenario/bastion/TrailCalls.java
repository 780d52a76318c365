package dev.vigil.scenario.bastion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.event.InstanceId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the EC2 CloudTrail calls the watch learns from. Every path tolerates missing nodes, nulls and odd shapes:
 * odd input yields nothing, never an exception.
 */
final class TrailCalls {
    private TrailCalls() {}

    /** One instance started by RunInstances: its launch time (null when not given) and the tags requested for it. */
    record Launched(InstanceId id, Instant launchTime, Map<String, String> tags) {}

    /** A tag named in CreateTags or DeleteTags; {@code value} null when the call gave none. */
    record TagRef(String key, String value) {}

    static List<Launched> launched(JsonNode request, JsonNode response) {
        Map<String, String> requested = new LinkedHashMap<>();
        for (JsonNode spec : items(request, "tagSpecificationSet")) {
            if ("instance".equals(text(spec, "resourceType"))) {
                for (TagRef t : tagRefs(spec, "tags")) requested.put(t.key(), t.value() == null ? "" : t.value());
            }
        }
        List<Launched> out = new ArrayList<>();
        for (JsonNode item : items(response, "instancesSet")) {
            InstanceId id = instanceId(text(item, "instanceId"));
            if (id == null) continue;
            Map<String, String> tags = new LinkedHashMap<>(requested);
            for (TagRef t : tagRefs(item, "tagSet")) tags.putIfAbsent(t.key(), t.value() == null ? "" : t.value());
            out.add(new Launched(id, time(item.path("launchTime")), tags));
        }
        return out;
    }

    /** The instances of CreateTags/DeleteTags ({@code resourcesSet}); other resource types are left out. */
    static List<InstanceId> taggedInstances(JsonNode request) {
        List<InstanceId> out = new ArrayList<>();
        for (JsonNode r : items(request, "resourcesSet")) {
            InstanceId id = instanceId(text(r, "resourceId"));
            if (id != null && !out.contains(id)) out.add(id);
        }
        return out;
    }

    static List<TagRef> tags(JsonNode request) {
        return tagRefs(request, "tagSet");
    }

    /** True when DeleteTags named no tags at all, which deletes every user tag of the resources. */
    static boolean deletesAll(JsonNode request) {
        return tags(request).isEmpty();
    }

    /** TerminateInstances: the instances and the state the response gives (shutting-down, usually). */
    static Map<InstanceId, String> terminated(JsonNode response) {
        Map<InstanceId, String> out = new LinkedHashMap<>();
        for (JsonNode item : items(response, "instancesSet")) {
            InstanceId id = instanceId(text(item, "instanceId"));
            if (id == null) continue;
            String state = text(item.path("currentState"), "name");
            out.put(id, state == null ? "shutting-down" : state);
        }
        return out;
    }

    static InstanceId instanceId(String v) {
        if (v == null || !v.startsWith("i-")) return null;
        try {
            return InstanceId.of(v);
        } catch (RuntimeException e) {
            return null; // anonymised or malformed: not an instance we can follow
        }
    }

    /** CloudTrail writes launchTime as epoch milliseconds; EventBridge copies and tools sometimes as ISO-8601 text. */
    static Instant time(JsonNode n) {
        if (n == null) return null;
        if (n.isNumber()) return Instant.ofEpochMilli(n.asLong());
        if (!n.isTextual()) return null;
        String s = n.asText().trim();
        try {
            if (s.matches("\\d{10,14}")) return Instant.ofEpochMilli(Long.parseLong(s));
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    private static List<TagRef> tagRefs(JsonNode parent, String field) {
        List<TagRef> out = new ArrayList<>();
        for (JsonNode t : items(parent, field)) {
            String k = text(t, "key");
            if (k != null) out.add(new TagRef(k, text(t, "value")));
        }
        return out;
    }

    /** The elements of {@code parent.field.items}, or of {@code parent.field} when it is itself a list. */
    private static List<JsonNode> items(JsonNode parent, String field) {
        if (parent == null) return List.of();
        JsonNode n = parent.path(field);
        if (n.isObject()) n = n.path("items");
        if (!n.isArray()) return List.of();
        List<JsonNode> out = new ArrayList<>(n.size());
        n.forEach(out::add);
        return out;
    }

    private static String text(JsonNode parent, String field) {
        if (parent == null) return null;
        JsonNode n = parent.path(field);
        return n.isValueNode() && !n.isNull() ? n.asText() : null;
    }
}
