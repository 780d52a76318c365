package dev.vigil.aws;

import java.util.ArrayList;
import java.util.List;
import dev.vigil.core.finding.ActionStatus;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupEgressResponse;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * RevokeSecurityGroupIngress / RevokeSecurityGroupEgress (by IpPermissions or by SecurityGroupRuleId),
 * AuthorizeSecurityGroupIngress / AuthorizeSecurityGroupEgress (the undo of a revoke) and CreateSecurityGroup
 * (find-or-create). Params in EC2's names: {@code GroupId},
 * {@code IpPermissions: [{IpProtocol, FromPort, ToPort, IpRanges: [{CidrIp, Description}], Ipv6Ranges: [{CidrIpv6,
 * Description}], PrefixListIds: [{PrefixListId, Description}], UserIdGroupPairs (or Groups): [{GroupId, GroupName,
 * UserId, VpcId, VpcPeeringConnectionId, Description}]}]}, {@code SecurityGroupRuleId: [...]}.
 */
final class SecurityGroupCalls {
    private SecurityGroupCalls() {}

    static StepResult revokeIngress(Ec2Client ec2, PlanParams p, boolean dryRun) {
        return revoke(ec2, p, dryRun, false);
    }

    static StepResult revokeEgress(Ec2Client ec2, PlanParams p, boolean dryRun) {
        return revoke(ec2, p, dryRun, true);
    }

    /** {@code GroupId} (or, ingress only, {@code GroupName} for a default-VPC group), IpPermissions or SecurityGroupRuleId. */
    private static StepResult revoke(Ec2Client ec2, PlanParams p, boolean dryRun, boolean egress) {
        String group = egress ? p.string("GroupId") : p.optString("GroupId");
        String name = egress ? null : p.optString("GroupName");
        if (!egress && (group == null) == (name == null)) throw new PlanParams.Invalid("give GroupId or GroupName (one of them)");
        List<IpPermission> perms = permissions(p);
        List<String> ruleIds = p.strings("SecurityGroupRuleId");
        requireOne(perms, ruleIds);
        p.done();
        Boolean ok;
        List<IpPermission> unknown;
        if (egress) {
            var r = ec2.revokeSecurityGroupEgress(b -> b.groupId(group).ipPermissions(perms.isEmpty() ? null : perms)
                    .securityGroupRuleIds(ruleIds.isEmpty() ? null : ruleIds).dryRun(dryRun ? true : null));
            ok = r.returnValue();
            unknown = r.unknownIpPermissions();
        } else {
            var r = ec2.revokeSecurityGroupIngress(b -> b.groupId(group).groupName(name).ipPermissions(perms.isEmpty() ? null : perms)
                    .securityGroupRuleIds(ruleIds.isEmpty() ? null : ruleIds).dryRun(dryRun ? true : null));
            ok = r.returnValue();
            unknown = r.unknownIpPermissions();
        }
        String label = group != null ? group : name;
        String direction = egress ? "egress" : "ingress";
        int asked = perms.size() + ruleIds.size();
        if (Boolean.FALSE.equals(ok)) return StepResult.failed("EC2 answered false to revoking " + direction + " on " + label);
        // Newer EC2 answers true and lists rules it did not find instead of InvalidPermission.NotFound.
        if (!unknown.isEmpty() && unknown.size() >= asked) return StepResult.already("no such " + direction + " rule(s) on " + label + ": already revoked");
        // undo puts back only what was there: a permission EC2 did not find is not re-authorized
        List<IpPermission> removed = perms.stream().filter(x -> !unknown.contains(x)).toList();
        return StepResult.applied("revoked " + direction + " on " + label + (unknown.isEmpty() ? "" : " (" + unknown.size() + " of the rules were already gone)"),
                Undos.authorize(egress, group, name, removed));
    }

    static StepResult authorizeIngress(Ec2Client ec2, PlanParams p, boolean dryRun) {
        return authorize(ec2, p, dryRun, false);
    }

    static StepResult authorizeEgress(Ec2Client ec2, PlanParams p, boolean dryRun) {
        return authorize(ec2, p, dryRun, true);
    }

    /** The undo of a revoke. Its own undo revokes the rule ids EC2 created. */
    private static StepResult authorize(Ec2Client ec2, PlanParams p, boolean dryRun, boolean egress) {
        String action = egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress";
        String group = egress ? p.string("GroupId") : p.optString("GroupId");
        String name = egress ? null : p.optString("GroupName");
        if (!egress && (group == null) == (name == null)) throw new PlanParams.Invalid("give GroupId or GroupName (one of them)");
        List<IpPermission> perms = permissions(p);
        if (perms.isEmpty()) throw new PlanParams.Invalid(action + ": IpPermissions is required");
        p.done();
        Boolean ok;
        List<SecurityGroupRule> rules;
        if (egress) {
            AuthorizeSecurityGroupEgressResponse r = ec2.authorizeSecurityGroupEgress(b -> b.groupId(group).ipPermissions(perms).dryRun(dryRun ? true : null));
            ok = r.returnValue();
            rules = r.securityGroupRules();
        } else {
            AuthorizeSecurityGroupIngressResponse r = ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).groupName(name).ipPermissions(perms)
                    .dryRun(dryRun ? true : null));
            ok = r.returnValue();
            rules = r.securityGroupRules();
        }
        String label = group != null ? group : name;
        if (Boolean.FALSE.equals(ok)) return StepResult.failed("EC2 answered false to " + action + " on " + label);
        List<String> ids = rules.stream().map(SecurityGroupRule::securityGroupRuleId).toList();
        String groupId = group != null ? group : rules.stream().map(SecurityGroupRule::groupId).findFirst().orElse(null);
        Map<String, Object> undo = ids.isEmpty() || groupId == null ? null
                : Undos.map("Action", egress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress", "GroupId", groupId, "SecurityGroupRuleId", ids);
        return StepResult.applied("authorized " + (egress ? "egress" : "ingress") + " on " + label
                + (ids.isEmpty() ? "" : ": new rule(s) " + String.join(", ", ids)), undo);
    }

    /**
     * Find-or-create: {@code GroupName}, {@code GroupDescription}, {@code VpcId}, {@code TagSpecification}. When the
     * name is taken in the VPC ({@code InvalidGroup.Duplicate}) the existing group is looked up and used, provided
     * it lets nothing in (a quarantine group someone opened up is not used).
     */
    static StepResult createGroup(Ec2Client ec2, PlanParams p, boolean dryRun) {
        String name = p.string("GroupName");
        String description = p.string(p.alias("GroupDescription", "Description"));
        String vpc = p.optString("VpcId");
        List<TagSpecification> specs = NetworkAclCalls.tagSpecifications(p);
        p.done();
        try {
            String id = ec2.createSecurityGroup(b -> b.groupName(name).description(description).vpcId(vpc)
                    .tagSpecifications(specs.isEmpty() ? null : specs).dryRun(dryRun ? true : null)).groupId();
            if (id == null) return StepResult.failed("CreateSecurityGroup answered without a groupId");
            return StepResult.created(id, "created security group " + id + " (" + name + (vpc == null ? "" : " in " + vpc) + ")");
        } catch (AwsServiceException e) {
            if (!"InvalidGroup.Duplicate".equals(Ec2Errors.code(e)) || dryRun) throw e;
        }
        List<Filter> filters = new ArrayList<>(List.of(Filter.builder().name("group-name").values(name).build()));
        if (vpc != null) filters.add(Filter.builder().name("vpc-id").values(vpc).build());
        List<SecurityGroup> found = ec2.describeSecurityGroups(b -> b.filters(filters)).securityGroups();
        if (found.isEmpty()) return StepResult.failed("InvalidGroup.Duplicate for " + name + ", but DescribeSecurityGroups finds no such group" + (vpc == null ? "" : " in " + vpc));
        SecurityGroup g = found.get(0);
        if (!g.ipPermissions().isEmpty()) {
            return StepResult.failed("security group " + g.groupId() + " (" + name + ") exists but allows ingress (" + g.ipPermissions().size()
                    + " rule(s)): not used as a quarantine group");
        }
        return new StepResult(ActionStatus.ALREADY_APPLIED, "security group " + name + " already exists: " + g.groupId(), g.groupId());
    }

    private static void requireOne(List<IpPermission> perms, List<String> ruleIds) {
        if (perms.isEmpty() == ruleIds.isEmpty()) throw new PlanParams.Invalid("give IpPermissions or SecurityGroupRuleId (one of them)");
    }

    static List<IpPermission> permissions(PlanParams p) {
        List<IpPermission> out = new ArrayList<>();
        for (PlanParams perm : p.maps("IpPermissions")) {
            IpPermission.Builder b = IpPermission.builder().ipProtocol(perm.string("IpProtocol"))
                    .fromPort(perm.optInt("FromPort")).toPort(perm.optInt("ToPort"));
            List<IpRange> v4 = new ArrayList<>();
            for (PlanParams r : perm.maps("IpRanges")) {
                v4.add(IpRange.builder().cidrIp(r.string("CidrIp")).description(r.optString("Description")).build());
                r.done();
            }
            List<Ipv6Range> v6 = new ArrayList<>();
            for (PlanParams r : perm.maps("Ipv6Ranges")) {
                v6.add(Ipv6Range.builder().cidrIpv6(r.string("CidrIpv6")).description(r.optString("Description")).build());
                r.done();
            }
            List<PrefixListId> lists = new ArrayList<>();
            for (PlanParams r : perm.maps("PrefixListIds")) {
                lists.add(PrefixListId.builder().prefixListId(r.string("PrefixListId")).description(r.optString("Description")).build());
                r.done();
            }
            List<UserIdGroupPair> pairs = new ArrayList<>();
            for (PlanParams r : perm.maps(perm.alias("UserIdGroupPairs", "Groups"))) {
                pairs.add(UserIdGroupPair.builder().groupId(r.optString("GroupId")).groupName(r.optString("GroupName"))
                        .userId(r.optString("UserId")).vpcId(r.optString("VpcId"))
                        .vpcPeeringConnectionId(r.optString("VpcPeeringConnectionId")).description(r.optString("Description"))
                        .peeringStatus(r.optString("PeeringStatus")).build());
                r.done();
            }
            perm.done();
            out.add(b.ipRanges(v4.isEmpty() ? null : v4).ipv6Ranges(v6.isEmpty() ? null : v6)
                    .prefixListIds(lists.isEmpty() ? null : lists).userIdGroupPairs(pairs.isEmpty() ? null : pairs).build());
        }
        return out;
    }
}
