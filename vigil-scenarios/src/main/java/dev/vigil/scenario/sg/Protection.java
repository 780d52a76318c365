package dev.vigil.scenario.sg;

import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.inventory.SecurityGroupInfo;
import dev.vigil.core.policy.Params;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which groups are protected: by id, by name (within a VPC, {@code vpc-0abc/admin}, or in any VPC), or by tag. Names
 * and tags come from the inventory and from CreateSecurityGroup / CreateTags calls seen earlier.
 */
final class Protection {
    private static final int MAX_LEARNT = 100_000;

    private final Set<String> ids;
    private final List<String> names;
    private final Map<String, String> tags;
    private final Map<String, Learnt> learnt = new HashMap<>();

    private record Learnt(String name, String vpc, Map<String, String> tags) {}

    Protection(Set<String> ids, List<String> names, Map<String, String> tags) {
        this.ids = Set.copyOf(ids);
        this.names = List.copyOf(names);
        this.tags = Map.copyOf(tags);
    }

    static Protection read(Params p) {
        List<String> ids = p.strings("ids", List.of());
        for (String id : ids) {
            if (!id.matches("sg-[0-9a-fA-F]{8,17}")) throw p.error("ids", "expected security group ids such as sg-0123456789abcdef0, found '" + id + "'");
        }
        return new Protection(Set.copyOf(ids), p.strings("names", List.of()), p.stringMap("tags", Map.of()));
    }

    boolean none() {
        return ids.isEmpty() && names.isEmpty() && tags.isEmpty();
    }

    void learnGroup(String id, String name, String vpc, Map<String, String> groupTags) {
        if (id == null) return;
        if (learnt.size() >= MAX_LEARNT) learnt.clear();
        learnt.put(id, new Learnt(name, vpc, new HashMap<>(groupTags)));
    }

    void learnTags(String id, Map<String, String> add, boolean delete) {
        Learnt l = learnt.get(id);
        if (l == null) {
            if (learnt.size() >= MAX_LEARNT) learnt.clear();
            l = new Learnt(null, null, new HashMap<>());
            learnt.put(id, l);
        }
        if (delete) add.keySet().forEach(l.tags()::remove);
        else l.tags().putAll(add);
    }

    void forget(String id) {
        learnt.remove(id);
    }

    /** Why the group is protected ("listed", "name admin in vpc-1", "tag k=v"), or null when it is not. */
    String reason(String groupId, String groupName, Inventory inventory) {
        if (groupId != null && ids.contains(groupId)) return "listed by id";
        Optional<SecurityGroupInfo> info = Optional.empty();
        if (groupId != null) {
            try {
                info = inventory.securityGroup(SecurityGroupId.of(groupId));
            } catch (IllegalArgumentException e) {
                info = Optional.empty();
            }
        }
        Learnt l = groupId == null ? null : learnt.get(groupId);
        String name = groupName != null ? groupName : info.map(SecurityGroupInfo::name).orElse(l == null ? null : l.name());
        String vpc = info.map(i -> i.vpc() == null ? null : i.vpc().value()).orElse(l == null ? null : l.vpc());
        if (name != null) {
            for (String n : names) {
                int slash = n.indexOf('/');
                if (slash < 0 ? n.equals(name) : n.substring(slash + 1).equals(name) && n.substring(0, slash).equals(vpc)) {
                    return "name " + name + (vpc == null ? "" : " in " + vpc);
                }
            }
        }
        Map<String, String> t = new HashMap<>(info.map(SecurityGroupInfo::tags).orElse(Map.of()));
        if (l != null) t.putAll(l.tags());
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String v = t.get(e.getKey());
            if (v != null && ("*".equals(e.getValue()) || e.getValue().equalsIgnoreCase(v))) return "tag " + e.getKey() + "=" + v;
        }
        return null;
    }
}
