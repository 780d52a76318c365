package dev.vigil.output;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;

/**
 * A finding's resource string read as an AWS resource: its Security Hub type and ARN (instance, security group,
 * subnet, network ACL, IAM ARN), or {@code Other} with the string as it is (a host name from a log, an account-wide
 * finding). Ids are recognised by their validated shapes only, never by words in them.
 *
 * @param type the ASFF resource type ({@code AwsEc2Instance}, ...) or {@code Other}
 * @param uid the ARN when one can be formed, else the resource string
 * @param name the short id ({@code i-...}) or the resource string
 */
public record ResourceRef(String type, String uid, String name, String partition) {
    private static final java.util.regex.Pattern HEX_ID = java.util.regex.Pattern.compile("(i|sg|subnet|acl|eni|vpc)-[0-9a-f]{8,17}");

    public static ResourceRef of(String resource, AccountId account, Region region) {
        String acct = account == null ? "" : account.toString();
        String reg = region == null ? "" : region.toString();
        if (resource == null || resource.isEmpty()) {
            return account == null ? new ResourceRef("Other", "vigil:unknown-resource", "unknown", "aws")
                    : new ResourceRef("AwsAccount", "AWS::::Account:" + acct, acct, "aws");
        }
        if (resource.startsWith("arn:")) {
            String[] p = resource.split(":", 6);
            String partition = p.length > 1 && !p[1].isEmpty() ? p[1] : "aws";
            String type = "Other";
            if (p.length == 6 && p[2].equals("iam")) {
                if (p[5].startsWith("user/")) type = "AwsIamUser";
                else if (p[5].startsWith("role/")) type = "AwsIamRole";
                else if (p[5].startsWith("policy/")) type = "AwsIamPolicy";
            }
            return new ResourceRef(type, resource, resource.substring(resource.lastIndexOf('/') + 1), partition);
        }
        if (HEX_ID.matcher(resource).matches()) {
            String kind = resource.substring(0, resource.indexOf('-'));
            String[] t = switch (kind) {
                case "i" -> new String[] {"AwsEc2Instance", "instance"};
                case "sg" -> new String[] {"AwsEc2SecurityGroup", "security-group"};
                case "subnet" -> new String[] {"AwsEc2Subnet", "subnet"};
                case "acl" -> new String[] {"AwsEc2NetworkAcl", "network-acl"};
                case "eni" -> new String[] {"AwsEc2NetworkInterface", "network-interface"};
                default -> new String[] {"AwsEc2Vpc", "vpc"};
            };
            String uid = account == null || region == null ? resource : "arn:aws:ec2:" + reg + ":" + acct + ":" + t[1] + "/" + resource;
            return new ResourceRef(t[0], uid, resource, "aws");
        }
        return new ResourceRef("Other", resource, resource, "aws");
    }
}
