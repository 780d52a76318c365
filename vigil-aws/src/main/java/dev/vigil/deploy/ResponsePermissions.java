package dev.vigil.deploy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The IAM actions each response needs, written out by hand (not derived at run time) so that a review of the
 * deployment sees every grant in one place. A response's set covers: the EC2 calls its plans send (every step of a
 * sequence), the look-ups the executor makes before or while acting (an association, an ACL's entries), the calls its
 * undo sends, and {@code ec2:CreateTags} where a Create call carries a TagSpecification (EC2 authorizes those tags
 * as a CreateTags call). Tests replay {@code examples/} and check every action of every plan and undo is covered.
 */
public final class ResponsePermissions {
    /** Look-ups the live runtime makes for any EC2 response (which groups an instance's interfaces have, etc.). */
    public static final List<String> LOOKUPS = List.of("ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSecurityGroups", "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets");

    private static final Map<String, List<String>> EC2 = Map.of(
            // ModifyNetworkInterfaceAttribute per interface (undo: the same call with the previous groups);
            // ModifyInstanceAttribute when the interfaces are unknown; the quarantine group created when missing
            "quarantine-instance", List.of("ec2:ModifyNetworkInterfaceAttribute", "ec2:ModifyInstanceAttribute",
                    "ec2:CreateSecurityGroup", "ec2:RevokeSecurityGroupEgress", "ec2:CreateTags"),
            // CreateNetworkAcl (tagged) when vigil's deny-all ACL is missing, then ReplaceNetworkAclAssociation (undo: same)
            "quarantine-subnet", List.of("ec2:CreateNetworkAcl", "ec2:CreateTags", "ec2:ReplaceNetworkAclAssociation"),
            // undo: AuthorizeSecurityGroupIngress/Egress of exactly the revoked rule
            "revoke-ingress", List.of("ec2:RevokeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress"),
            "revoke-egress", List.of("ec2:RevokeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupEgress"),
            "revoke-world-open", List.of("ec2:RevokeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress"),
            // a deny entry; undo (and unblock-source) deletes it; NetworkAclEntryAlreadyExists is checked by describing the ACL
            "block-source", List.of("ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAclEntry"),
            "unblock-source", List.of("ec2:DeleteNetworkAclEntry", "ec2:CreateNetworkAclEntry"),
            "stop-instance", List.of("ec2:StopInstances", "ec2:StartInstances"));

    /** The Sigma detector's responses: IAM and CloudTrail calls, with the look-ups the executor makes first and their undo. */
    private static final Map<String, List<String>> IAM_TRAIL = Map.of(
            // ListAccessKeys first (already Inactive?); undo: UpdateAccessKey Active
            "deactivate-access-key", List.of("iam:ListAccessKeys", "iam:UpdateAccessKey"),
            // GetRolePolicy first (already there?); undo: DeleteRolePolicy
            "revoke-role-sessions", List.of("iam:GetRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy"),
            // GetTrailStatus first (already logging?); undo: StopLogging
            "restart-trail", List.of("cloudtrail:GetTrailStatus", "cloudtrail:StartLogging", "cloudtrail:StopLogging"),
            // an inline deny on the calling user or role; undo deletes it
            "block-ip", List.of("iam:GetUserPolicy", "iam:PutUserPolicy", "iam:DeleteUserPolicy", "iam:GetRolePolicy", "iam:PutRolePolicy",
                    "iam:DeleteRolePolicy"));

    private ResponsePermissions() {}

    /** The IAM and CloudTrail actions of one response (the Sigma responses); empty for the others. */
    public static List<String> iamTrailActions(String response) {
        return IAM_TRAIL.getOrDefault(response, List.of());
    }

    /** Every response the registry knows (notify is not an EC2 response: see {@link Permissions}). */
    public static Set<String> responses() {
        TreeSet<String> all = new TreeSet<>(EC2.keySet());
        all.addAll(IAM_TRAIL.keySet());
        return all;
    }

    public static boolean known(String response) {
        return EC2.containsKey(response) || IAM_TRAIL.containsKey(response);
    }

    /** The EC2 actions of one response, look-ups excluded; empty for an unknown response. */
    public static List<String> ec2Actions(String response) {
        return EC2.getOrDefault(response, List.of());
    }
}
