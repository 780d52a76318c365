package dev.vigil.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * Learnt undo: how to reverse a call, in the executor's own plan form ({@code {"Action": ..., params}}), so an undo is
 * executed by the same code as the action. Two sources: what must be read before the change (the groups an
 * interface had, the rules a rule-id revoke removes, the ACL a subnet was on, the entry a delete removes), and what
 * the answer says (the new association id, which instances were running).
 */
final class Undos {
    private Undos() {}

    /** An ordered map from key-value pairs; null values are left out. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** True when no value anywhere is a placeholder such as {@code (created)}: the map can be executed as it is. */
    static boolean complete(Map<String, Object> undo) {
        return undo != null && !undo.isEmpty() && undo.values().stream().allMatch(Undos::completeValue);
    }

    @SuppressWarnings("unchecked")
    private static boolean completeValue(Object v) {
        if (v instanceof String s) return !Placeholders.isPlaceholder(s);
        if (v instanceof Map<?, ?> m) return ((Map<String, Object>) m).values().stream().allMatch(Undos::completeValue);
        if (v instanceof List<?> l) return l.stream().allMatch(Undos::completeValue);
        return true;
    }

    /**
     * A step that builds vigil's own quarantine resource (creates it, or shapes the one just created): not undone,
     * since other quarantined resources may use it and it allows nothing. Read on the step as planned.
     */
    static boolean isSetup(String action, Map<String, Object> step) {
        if (action.startsWith("Create") && !action.equals("CreateNetworkAclEntry")) return true;
        if (Placeholders.CREATED.equals(step.get("GroupId"))) return true;
        return action.endsWith("NetworkAclEntry") && Placeholders.CREATED.equals(step.get("NetworkAclId"));
    }

    /**
     * Reads what the step is about to change, before it changes; null when the answer to the call says enough.
     * Throws the SDK's exceptions (the executor notes them and goes on: acting matters more than undo).
     */
    static Map<String, Object> before(Ec2Client ec2, String action, Map<String, Object> step) {
        return switch (action) {
            case "ModifyNetworkInterfaceAttribute" -> {
                String eni = String.valueOf(step.get("NetworkInterfaceId"));
                List<String> groups = ec2.describeNetworkInterfaces(b -> b.networkInterfaceIds(eni)).networkInterfaces().stream()
                        .filter(n -> eni.equals(n.networkInterfaceId())).flatMap(n -> n.groups().stream()).map(GroupIdentifier::groupId).toList();
                yield groups.isEmpty() ? null : map("Action", action, "NetworkInterfaceId", eni, "SecurityGroupId", groups);
            }
            case "ModifyInstanceAttribute" -> {
                String id = String.valueOf(step.get("InstanceId"));
                List<String> groups = ec2.describeInstances(b -> b.instanceIds(id)).reservations().stream()
                        .flatMap(r -> r.instances().stream()).filter(i -> id.equals(i.instanceId()))
                        .flatMap(i -> i.securityGroups().stream()).map(GroupIdentifier::groupId).distinct().toList();
                yield groups.isEmpty() ? null : map("Action", action, "InstanceId", id, "GroupId", groups);
            }
            case "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress" -> {
                if (step.get("SecurityGroupRuleId") == null) yield null; // by IpPermissions: the revoke's own params say it
                List<String> ids = step.get("SecurityGroupRuleId") instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                        : List.of(String.valueOf(step.get("SecurityGroupRuleId")));
                List<SecurityGroupRule> rules = ec2.describeSecurityGroupRules(b -> b.securityGroupRuleIds(ids)).securityGroupRules();
                if (rules.isEmpty()) yield null;
                String group = step.get("GroupId") != null ? String.valueOf(step.get("GroupId")) : rules.get(0).groupId();
                yield authorize(action.endsWith("Egress"), group, null, rules.stream().map(Undos::permission).toList());
            }
            case "DeleteNetworkAclEntry" -> {
                String acl = String.valueOf(step.get("NetworkAclId"));
                int rule = Integer.parseInt(String.valueOf(step.get("RuleNumber")).trim());
                boolean egress = Boolean.parseBoolean(String.valueOf(step.get("Egress")).trim());
                yield NetworkAclCalls.entryAt(ec2, acl, rule, egress).map(e -> createEntry(acl, e)).orElse(null);
            }
            case "ReplaceNetworkAclAssociation" -> {
                String assoc = String.valueOf(step.get("AssociationId"));
                String previous = ec2.describeNetworkAcls(b -> b.filters(Filter.builder().name("association.association-id").values(assoc).build()))
                        .networkAcls().stream().filter(a -> a.associations().stream().anyMatch(x -> assoc.equals(x.networkAclAssociationId())))
                        .map(a -> a.networkAclId()).findFirst().orElse(null);
                yield previous == null ? null : map("Action", action, "NetworkAclId", previous);
            }
            default -> null;
        };
    }

    /**
     * True when {@code undo} would set the very groups {@code change} sets, on the same interface or instance: the
     * "groups to restore" are then the isolation group itself (read after an earlier attempt had already applied the
     * change), and must never be recorded as the undo. Anything else (other actions, Steps) is false.
     */
    static boolean restoresTheChange(Map<String, Object> change, Map<String, Object> undo) {
        if (change == null || undo == null) return false;
        Object action = change.get("Action");
        if (!java.util.Objects.equals(action, undo.get("Action"))) return false;
        String id = "ModifyNetworkInterfaceAttribute".equals(action) ? "NetworkInterfaceId" : "ModifyInstanceAttribute".equals(action) ? "InstanceId" : null;
        if (id == null || !java.util.Objects.equals(change.get(id), undo.get(id))) return false;
        String groups = id.equals("InstanceId") ? "GroupId" : "SecurityGroupId";
        return groupSet(change.get(groups)).equals(groupSet(undo.get(groups))) && !groupSet(undo.get(groups)).isEmpty();
    }

    private static java.util.Set<String> groupSet(Object v) {
        if (v instanceof List<?> l) return l.stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet());
        return v == null ? java.util.Set.of() : java.util.Set.of(String.valueOf(v));
    }

    /** The call {@link #before} makes for an action (named in errors, e.g. a missing IAM permission). */
    static String readAction(String action) {
        return switch (action) {
            case "ModifyNetworkInterfaceAttribute" -> "DescribeNetworkInterfaces";
            case "ModifyInstanceAttribute" -> "DescribeInstances";
            case "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress" -> "DescribeSecurityGroupRules";
            default -> "DescribeNetworkAcls";
        };
    }

    /** What was read before and what the answer said, together; the answer wins where both name a key. */
    static Map<String, Object> merge(Map<String, Object> before, Map<String, Object> answer) {
        if (before == null) return answer;
        if (answer == null) return before;
        Map<String, Object> m = new LinkedHashMap<>(answer);
        before.forEach(m::putIfAbsent);
        return m;
    }

    /** Authorize{Ingress,Egress}, the undo of a revoke: the group and the permissions in plan form. */
    static Map<String, Object> authorize(boolean egress, String groupId, String groupName, List<IpPermission> perms) {
        if (perms.isEmpty()) return null;
        return map("Action", egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress", "GroupId", groupId,
                "GroupName", groupId == null ? groupName : null, "IpPermissions", perms.stream().map(Undos::permission).toList());
    }

    /** An IpPermission in plan form (EC2's names, empty lists left out). */
    static Map<String, Object> permission(IpPermission p) {
        return map("IpProtocol", p.ipProtocol(), "FromPort", p.fromPort(), "ToPort", p.toPort(),
                "IpRanges", orNull(p.ipRanges().stream().map(r -> map("CidrIp", r.cidrIp(), "Description", r.description())).toList()),
                "Ipv6Ranges", orNull(p.ipv6Ranges().stream().map(r -> map("CidrIpv6", r.cidrIpv6(), "Description", r.description())).toList()),
                "PrefixListIds", orNull(p.prefixListIds().stream().map(r -> map("PrefixListId", r.prefixListId(), "Description", r.description())).toList()),
                "UserIdGroupPairs", orNull(p.userIdGroupPairs().stream().map(g -> map("GroupId", g.groupId(), "GroupName", g.groupId() == null ? g.groupName() : null,
                        "UserId", g.userId(), "VpcId", g.vpcId(), "VpcPeeringConnectionId", g.vpcPeeringConnectionId(), "Description", g.description())).toList()));
    }

    /** One rule of DescribeSecurityGroupRules as the permission that re-creates it. */
    static IpPermission permission(SecurityGroupRule r) {
        IpPermission.Builder b = IpPermission.builder().ipProtocol(r.ipProtocol()).fromPort(r.fromPort()).toPort(r.toPort());
        if (r.cidrIpv4() != null) b.ipRanges(IpRange.builder().cidrIp(r.cidrIpv4()).description(r.description()).build());
        if (r.cidrIpv6() != null) b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(r.cidrIpv6()).description(r.description()).build());
        if (r.prefixListId() != null) b.prefixListIds(PrefixListId.builder().prefixListId(r.prefixListId()).description(r.description()).build());
        var ref = r.referencedGroupInfo();
        if (ref != null) {
            b.userIdGroupPairs(UserIdGroupPair.builder().groupId(ref.groupId()).userId(ref.userId()).vpcId(ref.vpcId())
                    .vpcPeeringConnectionId(ref.vpcPeeringConnectionId()).description(r.description()).build());
        }
        return b.build();
    }

    /** CreateNetworkAclEntry that puts back an entry as DescribeNetworkAcls showed it. */
    static Map<String, Object> createEntry(String acl, NetworkAclEntry e) {
        return map("Action", "CreateNetworkAclEntry", "NetworkAclId", acl, "RuleNumber", e.ruleNumber(), "Protocol", e.protocol(),
                "RuleAction", e.ruleActionAsString(), "Egress", e.egress(), "CidrBlock", e.cidrBlock(), "Ipv6CidrBlock", e.ipv6CidrBlock(),
                "PortRange", e.portRange() == null ? null : map("From", e.portRange().from(), "To", e.portRange().to()),
                "IcmpTypeCode", e.icmpTypeCode() == null ? null : map("Code", e.icmpTypeCode().code(), "Type", e.icmpTypeCode().type()));
    }

    private static <T> List<T> orNull(List<T> l) {
        return l.isEmpty() ? null : new ArrayList<>(l);
    }
}
