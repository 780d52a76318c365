package dev.vigil.aws;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** What an EC2 error code means for a response. */
public final class Ec2Errors {
    /** The change is already in place (or already gone): EC2 says so instead of doing it twice. */
    static final Set<String> ALREADY = Set.of(
            "InvalidPermission.NotFound", "InvalidPermission.Duplicate", "InvalidGroup.Duplicate",
            "InvalidSecurityGroupRuleId.NotFound", "InvalidNetworkAclEntry.Duplicate", "NetworkAclEntryAlreadyExists",
            "InvalidNetworkAclEntry.NotFound");
    static final Set<String> UNAUTHORIZED = Set.of("UnauthorizedOperation", "Client.UnauthorizedOperation");
    static final String DRY_RUN_OK = "DryRunOperation";
    private static final int MAX_MESSAGE = 300;

    private Ec2Errors() {}

    public static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
    }

    static StepResult classify(String action, AwsServiceException e) {
        String code = code(e);
        String message = oneLine(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
        if (DRY_RUN_OK.equals(code)) return StepResult.planned("dry-run: would succeed");
        if (UNAUTHORIZED.contains(code)) {
            return StepResult.failed(code + ": vigil's role lacks IAM permission ec2:" + action + (message.isEmpty() ? "" : " (" + message + ")"));
        }
        if (ALREADY.contains(code)) return StepResult.already(code + (message.isEmpty() ? "" : ": " + message));
        String tries = e.numAttempts() != null && e.numAttempts() > 1 ? ", gave up after " + e.numAttempts() + " attempts" : "";
        return StepResult.failed(code + (message.isEmpty() ? "" : ": " + message) + " (HTTP " + e.statusCode() + tries + ")");
    }

    /** No answer (connection refused, timeout) or an answer the SDK could not read. */
    static StepResult unanswered(SdkException e) {
        String tries = e.numAttempts() != null && e.numAttempts() > 1 ? " (after " + e.numAttempts() + " attempts)" : "";
        return StepResult.failed("no usable answer from EC2: " + oneLine(e.getMessage()) + tries);
    }

    /** Messages can span lines (and IAM's carry a long encoded blob): one line, bounded. */
    public static String oneLine(String s) {
        if (s == null) return "";
        String flat = s.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE) + "...";
    }
}
