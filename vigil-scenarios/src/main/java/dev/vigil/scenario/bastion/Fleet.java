package dev.vigil.scenario.bastion;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Region;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.Inventory;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What is known of instances: the inventory (DescribeInstances live, the {@code describe-instances.json} of a replay)
 * overlaid with what events taught since (tags from RunInstances, CreateTags and DeleteTags; states from state-change
 * notifications and TerminateInstances; launch times). Learnt facts win over the inventory. Bounded: the least
 * recently touched instances are forgotten first, after which the inventory answers for them again.
 */
final class Fleet {
    /** States after which an instance no longer counts as a bastion. */
    static boolean gone(String state) {
        return "terminated".equals(state) || "shutting-down".equals(state);
    }

    /** Learnt facts about one instance; null fields are not known from events. */
    static final class Learnt {
        /** Tag values set by events; a null value is a tag deleted by an event. */
        final Map<String, String> tags = new HashMap<>();
        /** DeleteTags without tags removed every tag, or RunInstances gave the whole set: ignore the inventory's. */
        boolean tagsComplete;
        String state;
        /** The last state a notification gave (CloudTrail's TerminateInstances sets {@code state} only). */
        String notified;
        Instant launch;
        String launchSource;
        AccountId account;
        Region region;
    }

    private final BastionSettings settings;
    private final Map<InstanceId, Learnt> learnt;

    Fleet(BastionSettings settings) {
        this.settings = settings;
        int max = settings.maxTracked();
        this.learnt = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<InstanceId, Learnt> eldest) {
                return size() > max;
            }
        };
    }

    Learnt learn(InstanceId id) {
        return learnt.computeIfAbsent(id, k -> new Learnt());
    }

    Optional<Learnt> learnt(InstanceId id) {
        return Optional.ofNullable(learnt.get(id));
    }

    int tracked() {
        return learnt.size();
    }

    static Optional<InstanceInfo> looked(InstanceId id, Inventory inventory) {
        try {
            return inventory.instance(id);
        } catch (RuntimeException e) {
            return Optional.empty(); // a failed look-up (live) is "not known", never an error of the rule
        }
    }

    Map<String, String> tags(InstanceId id, Inventory inventory) {
        Learnt l = learnt.get(id);
        Map<String, String> out = new HashMap<>();
        if (l == null || !l.tagsComplete) looked(id, inventory).ifPresent(i -> out.putAll(i.tags()));
        if (l != null) {
            l.tags.forEach((k, v) -> {
                if (v == null) out.remove(k);
                else out.put(k, v);
            });
        }
        return out;
    }

    boolean bastion(InstanceId id, Inventory inventory) {
        return settings.isBastion(id, tags(id, inventory));
    }

    /** The learnt state, else the inventory's; null when neither knows. */
    String state(InstanceId id, Inventory inventory) {
        Learnt l = learnt.get(id);
        if (l != null && l.state != null) return l.state;
        return looked(id, inventory).map(InstanceInfo::state).orElse(null);
    }

    /** Known (inventory or events), a bastion, and not terminated or shutting down. */
    boolean counted(InstanceId id, Inventory inventory) {
        boolean known = learnt.containsKey(id) || looked(id, inventory).isPresent();
        return known && bastion(id, inventory) && !gone(state(id, inventory));
    }

    /** Every counted bastion, in id order; a full pass over the inventory (daily, and at the first event). */
    TreeSet<InstanceId> bastions(Inventory inventory) {
        TreeSet<InstanceId> ids = new TreeSet<>(learnt.keySet());
        inventory.instances().forEach(i -> ids.add(i.id()));
        ids.removeIf(id -> !counted(id, inventory));
        return ids;
    }

    String name(InstanceId id, Inventory inventory) {
        return tags(id, inventory).get("Name");
    }

    AccountId account(InstanceId id, Inventory inventory) {
        Learnt l = learnt.get(id);
        if (l != null && l.account != null) return l.account;
        return looked(id, inventory).map(InstanceInfo::account).orElse(null);
    }

    Region region(InstanceId id, Inventory inventory) {
        Learnt l = learnt.get(id);
        if (l != null && l.region != null) return l.region;
        return looked(id, inventory).map(InstanceInfo::region).orElse(null);
    }

    /**
     * The launch time of the current run when it is running: learnt from RunInstances or a running notification, else
     * the inventory's when the inventory says it runs. Null when not running or not known.
     */
    Launch currentLaunch(InstanceId id, Inventory inventory) {
        Learnt l = learnt.get(id);
        if (l != null && l.state != null) {
            return "running".equals(l.state) && l.launch != null ? new Launch(l.launch, l.launchSource) : null;
        }
        return looked(id, inventory).filter(InstanceInfo::running).filter(i -> i.launchTime() != null)
                .map(i -> new Launch(i.launchTime(), Launch.INVENTORY)).orElse(null);
    }
}
