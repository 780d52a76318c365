package dev.vigil.scenario.shared;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.inventory.NetworkInterfaceInfo;
import dev.vigil.core.policy.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code quarantine-instance} response shared by the SSH and GuardDuty scenarios: every network interface of
 * the instance gets the isolation security group as its only group (ModifyNetworkInterfaceAttribute), and the
 * previous groups are recorded for undo. When the inventory does not know the instance's interfaces, the plan uses
 * ModifyInstanceAttribute with {@code GroupId.N}, which EC2 accepts for an instance with one interface.
 *
 * @param isolationGroup the isolation group's id ({@code isolation-group} in the policy)
 */
public record QuarantineInstance(String isolationGroup) {
    public static final String TYPE = "quarantine-instance";
    public static final String DEFAULT_GROUP = "sg-0000000000000000";

    /** Reads {@code isolation-group} from a policy's params. */
    public static QuarantineInstance read(Params p) {
        String g = p.string("isolation-group", null);
        if (g != null && !g.matches("sg-[0-9a-f]{8,17}")) throw p.error("isolation-group", "expected a security group id such as sg-0123456789abcdef0, found '" + g + "'");
        return new QuarantineInstance(g);
    }

    public List<ActionPlan> plan(InstanceId instance, Inventory inventory, String why) {
        String group = isolationGroup == null ? "(isolation-group not set)" : isolationGroup;
        Optional<InstanceInfo> info = inventory.instance(instance);
        List<ActionPlan> out = new ArrayList<>();
        List<NetworkInterfaceInfo> enis = info.map(InstanceInfo::interfaces).orElse(List.of());
        String key = TYPE + ":" + instance;
        if (enis.isEmpty()) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("Action", "ModifyInstanceAttribute");
            params.put("InstanceId", instance.value());
            params.put("GroupId", List.of(group));
            out.add(new ActionPlan(TYPE, instance.value(), params,
                    "replace the security groups of " + instance + " with isolation group " + group + " (" + why + ")", key, true,
                    Map.of()));
            return out;
        }
        for (NetworkInterfaceInfo eni : enis) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("Action", "ModifyNetworkInterfaceAttribute");
            params.put("NetworkInterfaceId", eni.id().value());
            params.put("SecurityGroupId", List.of(group));
            Map<String, Object> undo = new LinkedHashMap<>();
            undo.put("Action", "ModifyNetworkInterfaceAttribute");
            undo.put("NetworkInterfaceId", eni.id().value());
            undo.put("SecurityGroupId", eni.groups().stream().map(Object::toString).toList());
            out.add(new ActionPlan(TYPE, instance.value(), params,
                    "isolate " + instance + " interface " + eni.id() + ": groups " + eni.groups() + " -> [" + group + "] (" + why + ")",
                    key + ":" + eni.id(), true, undo));
        }
        return out;
    }
}
