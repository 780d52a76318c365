package dev.vigil.scenario.shared;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.VpcId;
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
 * When no {@code isolation-group} is configured, vigil's own group in the instance's VPC is used (a group tagged
 * {@code vigil:quarantine=true} in the inventory), or created: CreateSecurityGroup with no ingress rule, then
 * RevokeSecurityGroupEgress of the allow-all egress rule every new group has, so the group lets nothing in or out.
 * A security group swap does not cut connections already tracked; {@code quarantine-subnet} (a network ACL) does.
 *
 * @param isolationGroup the isolation group's id ({@code isolation-group} in the policy), or null
 */
public record QuarantineInstance(String isolationGroup) {
    public static final String TYPE = "quarantine-instance";

    /** Reads {@code isolation-group} from a policy's params. */
    public static QuarantineInstance read(Params p) {
        String g = p.string("isolation-group", null);
        if (g != null && !g.matches("sg-[0-9a-f]{8,17}")) throw p.error("isolation-group", "expected a security group id such as sg-0123456789abcdef0, found '" + g + "'");
        return new QuarantineInstance(g);
    }

    /** Tag that marks vigil's own quarantine group (and network ACL). */
    public static final String TAG_KEY = "vigil:quarantine";
    public static final String GROUP_NAME = "vigil-quarantine";
    public static final String CREATED = "(created)";

    public List<ActionPlan> plan(InstanceId instance, Inventory inventory, String why) {
        Optional<InstanceInfo> info = inventory.instance(instance);
        List<NetworkInterfaceInfo> enis = info.map(InstanceInfo::interfaces).orElse(List.of());
        VpcId vpc = info.map(InstanceInfo::vpc).orElse(null);
        if (vpc == null) vpc = enis.stream().map(NetworkInterfaceInfo::vpc).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        String group = isolationGroup != null ? isolationGroup : existingGroup(inventory, vpc);
        List<Map<String, Object>> create = group == null ? createSteps(vpc) : List.of();
        String target = group != null ? group : CREATED;
        String key = TYPE + ":" + instance;
        List<ActionPlan> out = new ArrayList<>();
        if (enis.isEmpty()) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("Action", "ModifyInstanceAttribute");
            call.put("InstanceId", instance.value());
            call.put("GroupId", List.of(target));
            out.add(new ActionPlan(TYPE, instance.value(), steps(create, call),
                    "replace the security groups of " + instance + " with quarantine group " + label(group, vpc) + " (" + why
                            + "); open connections stay open until they close (security groups track them)", key, true, Map.of()));
            return out;
        }
        boolean first = true;
        for (NetworkInterfaceInfo eni : enis) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("Action", "ModifyNetworkInterfaceAttribute");
            call.put("NetworkInterfaceId", eni.id().value());
            call.put("SecurityGroupId", List.of(target));
            Map<String, Object> undo = new LinkedHashMap<>();
            undo.put("Action", "ModifyNetworkInterfaceAttribute");
            undo.put("NetworkInterfaceId", eni.id().value());
            undo.put("SecurityGroupId", eni.groups().stream().map(Object::toString).toList());
            // the group is created once, by the first interface's plan; the others find it by name (see docs)
            out.add(new ActionPlan(TYPE, instance.value(), steps(first ? create : List.of(), call),
                    "isolate " + instance + " interface " + eni.id() + ": groups " + eni.groups() + " -> [" + label(group, vpc) + "] (" + why
                            + "); open connections stay open until they close (security groups track them)",
                    key + ":" + eni.id(), true, undo));
            first = false;
        }
        return out;
    }

    private static String label(String group, VpcId vpc) {
        return group != null ? group : GROUP_NAME + " (to be created in " + (vpc == null ? "the instance's VPC" : vpc) + ")";
    }

    /** vigil's quarantine group in the VPC, if the inventory knows one (tagged as vigil's). */
    private static String existingGroup(Inventory inventory, VpcId vpc) {
        if (vpc == null) return null;
        return inventory.securityGroups().stream()
                .filter(g -> vpc.equals(g.vpc()) && "true".equalsIgnoreCase(g.tags().get(TAG_KEY)))
                .map(g -> g.id().value()).sorted().findFirst().orElse(null);
    }

    /** CreateSecurityGroup (no ingress rules), then revoke the allow-all egress rule every new group gets. */
    private static List<Map<String, Object>> createSteps(VpcId vpc) {
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("Action", "CreateSecurityGroup");
        create.put("GroupName", GROUP_NAME);
        create.put("GroupDescription", "vigil quarantine: no ingress, no egress");
        if (vpc != null) create.put("VpcId", vpc.value());
        create.put("TagSpecification", List.of(Map.of("ResourceType", "security-group",
                "Tags", List.of(Map.of("Key", TAG_KEY, "Value", "true"), Map.of("Key", "Name", "Value", GROUP_NAME)))));
        Map<String, Object> egress = new LinkedHashMap<>();
        egress.put("Action", "RevokeSecurityGroupEgress");
        egress.put("GroupId", CREATED);
        egress.put("IpPermissions", List.of(Map.of("IpProtocol", "-1", "IpRanges", List.of(Map.of("CidrIp", "0.0.0.0/0")))));
        return List.of(create, egress);
    }

    private static Map<String, Object> steps(List<Map<String, Object>> before, Map<String, Object> call) {
        if (before.isEmpty()) return call;
        List<Map<String, Object>> all = new ArrayList<>(before);
        all.add(call);
        return Map.of("Steps", all);
    }
}
