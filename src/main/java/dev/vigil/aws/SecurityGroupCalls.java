package dev.vigil.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * RevokeSecurityGroupIngress / RevokeSecurityGroupEgress (by IpPermissions or by SecurityGroupRuleId) and
 * AuthorizeSecurityGroupIngress (the undo of a revoke). Params in EC2's names: {@code GroupId},
 * {@code IpPermissions: [{IpProtocol, FromPort, ToPort, IpRanges: [{CidrIp, Description}], Ipv6Ranges: [{CidrIpv6,
 * Description}], PrefixListIds: [{PrefixListId, Description}], UserIdGroupPairs (or Groups): [{GroupId, GroupName,
 * UserId, VpcId, VpcPeeringConnectionId, Description}]}]}, {@code SecurityGroupRuleId: [...]}.
 */
final class SecurityGroupCalls {
    private SecurityGroupCalls() {}

    static StepResult revokeIngress(Ec2Client ec2, PlanParams p, boolean dryRun) {
        String group = p.string("GroupId");
        List<IpPermission> perms = permissions(p);
        List<String> ruleIds = p.strings("SecurityGroupRuleId");
        requireOne(perms, ruleIds);
        p.done();
        var r = ec2.revokeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(perms.isEmpty() ? null : perms)
                .securityGroupRuleIds(ruleIds.isEmpty() ? null : ruleIds).dryRun(dryRun ? true : null));
        return revoked("ingress", group, perms.size() + ruleIds.size(), r.returnValue(), r.unknownIpPermissions().size());
    }

    static StepResult revokeEgress(Ec2Client ec2, PlanParams p, boolean dryRun) {
        String group = p.string("GroupId");
        List<IpPermission> perms = permissions(p);
        List<String> ruleIds = p.strings("SecurityGroupRuleId");
        requireOne(perms, ruleIds);
        p.done();
        var r = ec2.revokeSecurityGroupEgress(b -> b.groupId(group).ipPermissions(perms.isEmpty() ? null : perms)
                .securityGroupRuleIds(ruleIds.isEmpty() ? null : ruleIds).dryRun(dryRun ? true : null));
        return revoked("egress", group, perms.size() + ruleIds.size(), r.returnValue(), r.unknownIpPermissions().size());
    }

    static StepResult authorizeIngress(Ec2Client ec2, PlanParams p, boolean dryRun) {
        String group = p.string("GroupId");
        List<IpPermission> perms = permissions(p);
        if (perms.isEmpty()) throw new PlanParams.Invalid("AuthorizeSecurityGroupIngress: IpPermissions is required");
        p.done();
        AuthorizeSecurityGroupIngressResponse r = ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(perms)
                .dryRun(dryRun ? true : null));
        if (Boolean.FALSE.equals(r.returnValue())) return StepResult.failed("EC2 answered false to AuthorizeSecurityGroupIngress on " + group);
        List<String> ids = r.securityGroupRules().stream().map(SecurityGroupRule::securityGroupRuleId).toList();
        return StepResult.applied("authorized ingress on " + group + (ids.isEmpty() ? "" : ": new rule(s) " + String.join(", ", ids)));
    }

    private static StepResult revoked(String direction, String group, int asked, Boolean ok, int unknown) {
        if (Boolean.FALSE.equals(ok)) return StepResult.failed("EC2 answered false to revoking " + direction + " on " + group);
        // Newer EC2 answers true and lists rules it did not find instead of InvalidPermission.NotFound.
        if (unknown > 0 && unknown >= asked) return StepResult.already("no such " + direction + " rule(s) on " + group + ": already revoked");
        return StepResult.applied("revoked " + direction + " on " + group + (unknown > 0 ? " (" + unknown + " of the rules were already gone)" : ""));
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
