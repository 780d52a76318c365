package dev.vigil.scenario.bastion;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.scenario.bastion.TrailCalls.TagRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What EC2 CloudTrail calls teach the fleet: tags at launch (RunInstances), tag changes (CreateTags, DeleteTags) and
 * terminations. Each call's outcome says which instances became or stopped being bastions, and whose count changed.
 */
final class TagChanges {
    /** @param countFlips instance -> true when it now counts as a bastion, false when it no longer does */
    record Outcome(List<InstanceId> newBastions, List<InstanceId> noLongerBastions, Map<InstanceId, Boolean> countFlips, String cause) {
        static final Outcome NONE = new Outcome(List.of(), List.of(), Map.of(), "");
    }

    private final BastionSettings s;
    private final Fleet fleet;

    TagChanges(BastionSettings settings, Fleet fleet) {
        this.s = settings;
        this.fleet = fleet;
    }

    Outcome launched(CloudTrailCall c, Inventory inv) {
        Change ch = new Change();
        for (TrailCalls.Launched x : TrailCalls.launched(c.requestParameters(), c.responseElements())) {
            boolean bastion = s.isBastion(x.id(), x.tags());
            if (!bastion && !fleet.learnt(x.id()).isPresent()) continue; // other instances are not remembered
            ch.before(x.id(), inv);
            Fleet.Learnt l = fleet.learn(x.id());
            l.tags.clear();
            l.tags.putAll(x.tags());
            l.tagsComplete = true; // a new instance has exactly the tags it was launched with
            l.state = "pending";
            l.launch = x.launchTime();
            l.launchSource = Launch.RUN_INSTANCES;
            if (c.account() != null) l.account = c.account();
            if (c.region() != null) l.region = c.region();
            ch.after(x.id(), inv);
        }
        return ch.outcome("RunInstances by " + who(c));
    }

    Outcome tagged(CloudTrailCall c, Inventory inv, boolean delete) {
        List<TagRef> refs = TrailCalls.tags(c.requestParameters());
        boolean all = delete && TrailCalls.deletesAll(c.requestParameters());
        if (!all && refs.stream().noneMatch(r -> r.key().equals(s.tagKey()) || r.key().equals("Name"))) return Outcome.NONE; // no look-up
        Change ch = new Change();
        for (InstanceId id : TrailCalls.taggedInstances(c.requestParameters())) {
            boolean wasBastion = fleet.bastion(id, inv);
            // the bastion tag always matters; the Name tag only on bastions (memory stays with bastions)
            List<TagRef> mine = refs.stream().filter(r -> r.key().equals(s.tagKey()) || (wasBastion && r.key().equals("Name"))).toList();
            if (mine.isEmpty() && !(all && wasBastion)) continue;
            Map<String, String> current = fleet.tags(id, inv);
            ch.before(id, inv);
            Fleet.Learnt l = fleet.learn(id);
            if (all) {
                l.tags.clear();
                l.tagsComplete = true;
            }
            for (TagRef r : mine) {
                if (!delete) l.tags.put(r.key(), r.value() == null ? "" : r.value());
                // DeleteTags with a value removes the tag only when the value matches; without one, whatever the value
                else if (r.value() == null || r.value().equals(current.get(r.key()))) l.tags.put(r.key(), null);
            }
            if (c.account() != null && l.account == null) l.account = c.account();
            if (c.region() != null && l.region == null) l.region = c.region();
            ch.after(id, inv);
        }
        return ch.outcome((delete ? "DeleteTags" : "CreateTags") + " by " + who(c));
    }

    Outcome terminated(CloudTrailCall c, Inventory inv) {
        Change ch = new Change();
        for (Map.Entry<InstanceId, String> e : TrailCalls.terminated(c.responseElements()).entrySet()) {
            InstanceId id = e.getKey();
            if (!fleet.bastion(id, inv)) continue;
            ch.before(id, inv);
            Fleet.Learnt l = fleet.learn(id);
            if (!"terminated".equals(l.state)) l.state = Fleet.gone(e.getValue()) ? e.getValue() : "shutting-down";
            ch.after(id, inv);
        }
        return ch.outcome("TerminateInstances by " + who(c));
    }

    private static String who(CloudTrailCall c) {
        return c.principal() == null ? "unknown principal" : c.principal().display();
    }

    /** Bastion and count membership of each instance before and after a call. */
    private final class Change {
        private final Map<InstanceId, boolean[]> before = new LinkedHashMap<>();
        private final List<InstanceId> added = new ArrayList<>();
        private final List<InstanceId> dropped = new ArrayList<>();
        private final Map<InstanceId, Boolean> flips = new LinkedHashMap<>();

        void before(InstanceId id, Inventory inv) {
            before.put(id, new boolean[] {fleet.bastion(id, inv), fleet.counted(id, inv)});
        }

        void after(InstanceId id, Inventory inv) {
            boolean[] b = before.get(id);
            boolean bastion = fleet.bastion(id, inv);
            boolean counted = fleet.counted(id, inv);
            if (bastion && !b[0]) added.add(id);
            if (!bastion && b[0]) dropped.add(id);
            if (counted != b[1]) flips.put(id, counted);
        }

        Outcome outcome(String cause) {
            return before.isEmpty() ? Outcome.NONE : new Outcome(List.copyOf(added), List.copyOf(dropped), Map.copyOf(flips), cause);
        }
    }
}
