package dev.vigil.core.event;

/**
 * Who made a CloudTrail call: the {@code userIdentity} block, flattened. Any field may be null.
 *
 * @param type IAMUser, AssumedRole, Root, AWSService, ...
 * @param sessionIssuerArn for an assumed role, the role's ARN (not the session's)
 * @param invokedBy the AWS service that made the call on the principal's behalf, if any
 */
public record Principal(
        String type, String arn, String accountId, String userName, String sessionIssuerArn, String invokedBy) {

    public static final Principal UNKNOWN = new Principal(null, null, null, null, null, null);

    /** The session name of an assumed-role ARN ({@code arn:aws:sts::1:assumed-role/Role/SESSION}), else null. */
    public String sessionName() {
        if (arn == null || !arn.contains(":assumed-role/")) return null;
        int slash = arn.lastIndexOf('/');
        int first = arn.indexOf('/');
        return slash > first ? arn.substring(slash + 1) : null;
    }

    /** A readable name for notifications: the ARN if known, else the user name, else the invoking service. */
    public String display() {
        if (arn != null) return arn;
        if (userName != null) return userName;
        if (invokedBy != null) return invokedBy;
        return type != null ? type : "unknown principal";
    }
}
