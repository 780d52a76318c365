package dev.vigil.live;

import java.net.URI;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What {@code vigil run} checks before it says "running": the credentials (STS GetCallerIdentity, once: the identity
 * becomes vigil's own principal), the store, the queue ({@code SqsSource.check}). A failure is one line naming what is wrong and how to fix it
 * ({@link Failed}), never the SDK's multi-line dump of the credential provider chain.
 */
public final class StartupChecks {
    private StartupChecks() {}

    /** A start-up check that failed: its message is the one line to print; the command exits 2. */
    public static final class Failed extends RuntimeException {
        public Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Why GetCallerIdentity failed, and what to do, in one line. */
    public static String credentials(Throwable e, String profile, URI endpoint) {
        String code = e instanceof AwsServiceException s && s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
        if (code == null && e instanceof AwsServiceException s) { // an answer that is not STS's: a wrong endpoint
            return "STS GetCallerIdentity" + (endpoint != null ? " at " + endpoint : "") + " answered HTTP " + s.statusCode()
                    + " with no AWS error: check --endpoint-url and --region";
        }
        String msg = e.getMessage() == null ? "" : e.getMessage();
        String check = "; check with 'aws sts get-caller-identity" + (profile != null ? " --profile " + profile : "") + "'";
        if (code != null) {
            String what = switch (code) {
                case "InvalidClientTokenId", "UnrecognizedClientException" -> "the access key id is not known to AWS";
                case "SignatureDoesNotMatch" -> "the secret access key does not match the access key id";
                case "ExpiredToken", "ExpiredTokenException", "RequestExpired" -> "the session token has expired (sign in again: aws sso login,"
                        + " or assume the role again)";
                case "AccessDenied", "AccessDeniedException" -> "the principal may not call sts:GetCallerIdentity (an SCP or permission boundary?)";
                default -> "STS answered " + code;
            };
            return "AWS credentials rejected (STS GetCallerIdentity: " + code + "): " + what + source(profile) + check;
        }
        if (msg.contains("Unable to load credentials") || msg.contains("Unable to load an AWS credentials")) {
            return "no AWS credentials found (environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws, container or"
                    + " instance role): configure some ('aws configure', 'aws sso login') or give --profile NAME";
        }
        if (profile != null && msg.toLowerCase(java.util.Locale.ROOT).contains("profile")) {
            return "--profile " + profile + ": no such profile, or no credentials in it (~/.aws/config, ~/.aws/credentials)"
                    + "; check with 'aws configure list --profile " + profile + "'";
        }
        return "cannot reach STS" + (endpoint != null ? " at " + endpoint : "") + " to check the credentials (" + rootCause(e)
                + "): check the network, --region" + (endpoint != null ? " and --endpoint-url" : "") + check;
    }

    /**
     * What in a {@code vigil run} needs AWS, and so credentials and the STS check: the queue, a store on DynamoDB, an
     * enabled response other than {@code notify} (EC2, IAM, CloudTrail calls; dry-run ones too: EC2 checks them), an SNS
     * or Security Hub target, {@code --all-regions}. Empty: the run makes no AWS call (files tailed, notify-only
     * policies, Slack, webhook, email or stdout targets), asks STS nothing and looks nothing up.
     */
    public static java.util.List<String> awsNeeds(dev.vigil.core.policy.PolicySet policies, String queueUrl, java.nio.file.Path store,
                                                 boolean allRegions) {
        java.util.List<String> needs = new java.util.ArrayList<>();
        if (queueUrl != null) needs.add("the queue");
        if (store != null && store.toString().startsWith("dynamodb:/")) needs.add("the DynamoDB store");
        if (!dev.vigil.core.policy.EnforcementBanner.none(policies)) needs.add("enabled AWS responses");
        for (String type : java.util.List.of("sns", "securityhub")) {
            if (policies.targets().values().stream().anyMatch(t -> t.type().equals(type))) needs.add("the " + type + " target");
        }
        if (allRegions) needs.add("--all-regions");
        return java.util.List.copyOf(needs);
    }

    /** The one line said at start by a run that makes no AWS call. */
    public static String withoutAws(boolean lookUpAsked) {
        return "runs without AWS: tailing files with notify-only responses and no AWS target, so no credentials are needed and"
                + " STS is not asked" + (lookUpAsked ? "; the account is not looked up (--inventory FILE says what runs)" : "");
    }

    /** DescribeRegions failed for --all-regions: what to do, in one line. */
    public static String regions(Throwable e, String home) {
        String code = e instanceof AwsServiceException s && s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
        return "--all-regions: EC2 DescribeRegions in " + home + " failed (" + (code != null ? code : rootCause(e)) + ")"
                + (code != null && code.contains("Unauthorized") || code != null && code.contains("AccessDenied")
                        ? ": the principal needs ec2:DescribeRegions" : "")
                + "; or name the regions with --region R (repeatable)";
    }

    /** The store could not be opened for writing: what the store said, and the fix. */
    public static String store(Throwable e) {
        return oneLine(e.getMessage()) + " (the store must be writable: give --store FILE in a writable directory, or set VIGIL_STORE;"
                + " dynamodb://TABLE needs the table of 'vigil deploy template')";
    }

    private static String source(String profile) {
        return profile != null ? " (profile " + profile + ")" : "";
    }

    /** The innermost cause's class and first line, bounded: never the SDK's provider-chain dump. */
    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + oneLine(t.getMessage()));
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
