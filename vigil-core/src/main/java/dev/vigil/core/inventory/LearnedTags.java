package dev.vigil.core.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SecurityGroupId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inventory's tags with what the event stream has changed since: CreateTags, DeleteTags, CreateSecurityGroup's
 * and RunInstances' tag specifications, learnt in input order before any response to a later event. This is the one
 * view of a resource's tags that exemption checks read ({@link #tagsOf}), so a group tagged {@code vigil-exempt=true}
 * by a call earlier in the input is exempt as if the inventory had said so, and one whose tag was deleted is not.
 *
 * <p>A DeleteTags lifts an exemption whoever makes it: it changes the account's real state, which is what an
 * exemption describes, and it is itself a CloudTrail call that the audit rules see. Only successful calls count.
 * Memory is bounded: at most {@value #MAX_RESOURCES} resources (the least recently changed forgotten first), tag keys
 * and values past EC2's own limits (128 and 256 characters, 50 tags) are not kept.
 */
public final class LearnedTags implements Inventory {
    /** The CloudTrail calls whose request and response details this view reads. */
    public static final Set<String> CALLS = Set.of("CreateTags", "DeleteTags", "CreateSecurityGroup", "RunInstances");
    static final int MAX_RESOURCES = 100_000;
    private static final int MAX_TAGS = 50;
    private static final int MAX_IDS = 1_000;

    private final Inventory base;
    private final LinkedHashMap<String, Change> changes = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Change> eldest) {
            return size() > MAX_RESOURCES;
        }
    };

    /** What the stream says of one resource: tags set, tags removed, or the whole set when {@code complete}. */
    private static final class Change {
        final Map<String, String> set = new HashMap<>();
        final Set<String> removed = new HashSet<>();
        boolean complete;
    }

    public LearnedTags(Inventory base) {
        this.base = base;
    }

    /** Learns from one event; anything that is not a successful tagging call is ignored. */
    public void learn(SecurityEvent event) {
        // the test reads only the event: no lock for the events that teach nothing (most of them: log lines)
        if (!(event instanceof CloudTrailCall c) || c.failed() || !"ec2.amazonaws.com".equals(c.eventSource())) return;
        synchronized (this) {
            learnCall(c);
        }
    }

    private void learnCall(CloudTrailCall c) {
        JsonNode req = c.requestParameters();
        if (req == null || !req.isObject()) return;
        switch (c.eventName()) {
            case "CreateTags" -> {
                Map<String, String> tags = tags(items(req.path("tagSet")));
                for (String id : resourceIds(req)) {
                    Change ch = change(id);
                    ch.removed.removeAll(tags.keySet());
                    ch.set.putAll(tags);
                }
            }
            case "DeleteTags" -> {
                List<JsonNode> refs = items(req.path("tagSet"));
                for (String id : resourceIds(req)) {
                    if (refs.isEmpty()) { // no tags named: every user tag goes
                        Change ch = change(id);
                        ch.set.clear();
                        ch.removed.clear();
                        ch.complete = true;
                        continue;
                    }
                    Map<String, String> current = tagsOf(id);
                    Change ch = change(id);
                    for (JsonNode r : refs) {
                        String key = text(r.path("key"));
                        if (key == null) continue;
                        String value = text(r.path("value"));
                        // with a value, EC2 deletes the tag only when the value matches
                        if (value == null || value.equals(current.get(key))) {
                            ch.set.remove(key);
                            ch.removed.add(key);
                        }
                    }
                }
            }
            case "CreateSecurityGroup" -> {
                String id = text(c.responseElements() == null ? null : c.responseElements().path("groupId"));
                if (id != null && id.startsWith("sg-")) created(id, specs(req, "security-group"));
            }
            case "RunInstances" -> {
                Map<String, String> tags = specs(req, "instance");
                JsonNode resp = c.responseElements();
                if (resp == null) return;
                int n = 0;
                for (JsonNode i : items(resp.path("instancesSet"))) {
                    String id = text(i.path("instanceId"));
                    if (id != null && id.startsWith("i-") && n++ < MAX_IDS) created(id, tags);
                }
            }
            default -> { }
        }
    }

    /** A new resource has exactly the tags it was created with. */
    private void created(String id, Map<String, String> tags) {
        Change ch = change(id);
        ch.set.clear();
        ch.removed.clear();
        ch.set.putAll(tags);
        ch.complete = true;
    }

    private Change change(String id) {
        return changes.computeIfAbsent(id, k -> new Change());
    }

    @Override
    public synchronized Map<String, String> tagsOf(String resourceId) {
        Map<String, String> known = base.tagsOf(resourceId);
        Change ch = resourceId == null ? null : changes.get(resourceId);
        if (ch == null) return known;
        Map<String, String> t = ch.complete ? new HashMap<>() : new HashMap<>(known);
        ch.removed.forEach(t::remove);
        t.putAll(ch.set);
        return Map.copyOf(t);
    }

    private static List<String> resourceIds(JsonNode req) {
        List<String> ids = new ArrayList<>();
        for (JsonNode r : items(req.path("resourcesSet"))) {
            String id = text(r.path("resourceId"));
            if (id != null && !id.isEmpty() && id.length() <= 64 && ids.size() < MAX_IDS) ids.add(id);
        }
        return ids;
    }

    /** The tags of the request's tag specifications for {@code type} (or with no type). */
    private static Map<String, String> specs(JsonNode req, String type) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode spec : items(req.path("tagSpecificationSet"))) {
            String t = text(spec.path("resourceType"));
            if (t != null && !t.equals(type)) continue;
            out.putAll(tags(items(spec.path("tags"))));
            if (spec.has("tag")) out.putAll(tags(items(spec.path("tag"))));
        }
        return out;
    }

    private static Map<String, String> tags(List<JsonNode> items) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode t : items) {
            String k = text(t.path("key"));
            if (k == null || k.isEmpty() || k.length() > 128 || out.size() >= MAX_TAGS) continue;
            String v = text(t.path("value"));
            if (v != null && v.length() > 256) continue;
            out.put(k, v == null ? "" : v);
        }
        return out;
    }

    /** CloudTrail's {@code {"items": [...]}}, a bare array, or a single object. */
    private static List<JsonNode> items(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n == null) return out;
        JsonNode arr = n.isObject() && n.has("items") ? n.get("items") : n;
        if (arr.isArray()) {
            for (JsonNode x : arr) if (x != null && x.isObject() && out.size() < MAX_IDS) out.add(x);
        } else if (arr.isObject() && !n.has("items") && arr.size() > 0) {
            out.add(arr);
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || !n.isValueNode() || n.isNull() ? null : n.asText();
    }

    // ---- the rest of the inventory, unchanged

    @Override
    public Optional<InstanceInfo> instance(InstanceId id) {
        return base.instance(id);
    }

    @Override
    public Collection<InstanceInfo> instances() {
        return base.instances();
    }

    @Override
    public Optional<SecurityGroupInfo> securityGroup(SecurityGroupId id) {
        return base.securityGroup(id);
    }

    @Override
    public Collection<SecurityGroupInfo> securityGroups() {
        return base.securityGroups();
    }

    @Override
    public Collection<NetworkAclInfo> networkAcls() {
        return base.networkAcls();
    }
}
