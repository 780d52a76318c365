package dev.vigil.aws;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * Carries out the Sigma responses' IAM and CloudTrail plans ({@code {"Action": ..., parameters in the API's names}}):
 * UpdateAccessKey, Put/DeleteRolePolicy, Put/DeleteUserPolicy, StartLogging/StopLogging. Each call is checked
 * first, so a change already in place is {@code already-applied} with no undo (undoing it would undo someone
 * else's change): a key already Inactive, the same inline policy already there, a trail already logging. IAM and
 * CloudTrail have no DryRun: a dry run checks the plan's shape and calls nothing. Never throws for an AWS error.
 */
public final class IamTrailExecutor implements UndoableExecutor, AutoCloseable {
    public static final Set<String> ACTIONS = Set.of("UpdateAccessKey", "PutRolePolicy", "DeleteRolePolicy", "PutUserPolicy",
            "DeleteUserPolicy", "StartLogging", "StopLogging");

    private final IamClient iam;
    private final CloudTrailClient trail;

    IamTrailExecutor(IamClient iam, CloudTrailClient trail) {
        this.iam = iam;
        this.trail = trail;
    }

    /** IAM is global (its endpoint's region is aws-global); CloudTrail is regional. */
    public static IamTrailExecutor create(Region region, URI endpoint, AwsCredentialsProvider credentials) {
        SdkHttpClient http = RetryBudget.httpClient();
        var overrides = RetryBudget.DEFAULT.clientOverrides().build(); // like EC2's: retries with backoff, 60 s a call at most
        var i = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(credentials).httpClient(http).overrideConfiguration(overrides);
        var t = CloudTrailClient.builder().region(region).credentialsProvider(credentials).httpClient(http).overrideConfiguration(overrides);
        if (endpoint != null) {
            i.endpointOverride(endpoint);
            t.endpointOverride(endpoint);
        }
        return new IamTrailExecutor(i.build(), t.build());
    }

    /** Whether a plan's action is one this executor carries out. */
    public static boolean handles(Map<String, Object> params) {
        Object a = params.get("Action");
        return a != null && ACTIONS.contains(a.toString());
    }

    @Override
    public ActionResult execute(ActionPlan plan, Finding finding, boolean dryRun) {
        if (!handles(plan.params())) return ActionResult.of(plan, ActionStatus.FAILED, "invalid plan: unsupported action " + plan.action());
        if (dryRun) return ActionResult.of(plan, ActionStatus.PLANNED, "dry-run: " + plan.detail() + " (IAM and CloudTrail have no DryRun: not called)");
        Result r = run(plan.params());
        ActionResult out = ActionResult.of(plan, r.status, r.detail);
        return r.status == ActionStatus.APPLIED ? out.withUndo(plan.undo()) : out.withUndo(Map.of());
    }

    @Override
    public ActionResult undo(ActionResult recorded, boolean dryRun) {
        String what = recorded.type() + " on " + recorded.target();
        ActionPlan plan = new ActionPlan(Ec2Executor.UNDO, recorded.target(), recorded.undo(), "undo " + what, null, true);
        if (recorded.undo().isEmpty()) return ActionResult.of(plan, ActionStatus.SKIPPED, "nothing to undo for " + what);
        if (!handles(recorded.undo())) return ActionResult.of(plan, ActionStatus.FAILED, "invalid undo: unsupported action " + recorded.undo().get("Action"));
        if (dryRun) return ActionResult.of(plan, ActionStatus.PLANNED, "dry-run: undo " + what + " (not called)");
        Result r = run(recorded.undo());
        return ActionResult.of(plan, r.status, "undo " + what + ": " + r.detail);
    }

    private record Result(ActionStatus status, String detail) {}

    private Result run(Map<String, Object> p) {
        String action = String.valueOf(p.get("Action"));
        try {
            return switch (action) {
                case "UpdateAccessKey" -> updateKey(s(p, "UserName"), s(p, "AccessKeyId"), StatusType.fromValue(s(p, "Status")));
                case "PutRolePolicy" -> putRolePolicy(s(p, "RoleName"), s(p, "PolicyName"), s(p, "PolicyDocument"));
                case "PutUserPolicy" -> putUserPolicy(s(p, "UserName"), s(p, "PolicyName"), s(p, "PolicyDocument"));
                case "DeleteRolePolicy" -> deleted(() -> iam.deleteRolePolicy(b -> b.roleName(s(p, "RoleName")).policyName(s(p, "PolicyName"))),
                        "inline policy " + s(p, "PolicyName") + " of role " + s(p, "RoleName"));
                case "DeleteUserPolicy" -> deleted(() -> iam.deleteUserPolicy(b -> b.userName(s(p, "UserName")).policyName(s(p, "PolicyName"))),
                        "inline policy " + s(p, "PolicyName") + " of user " + s(p, "UserName"));
                case "StartLogging" -> logging(s(p, "Name"), true);
                case "StopLogging" -> logging(s(p, "Name"), false);
                default -> new Result(ActionStatus.FAILED, "unsupported action " + action);
            };
        } catch (IllegalArgumentException e) {
            return new Result(ActionStatus.FAILED, "invalid plan: " + e.getMessage());
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
            return new Result(ActionStatus.FAILED, action + " failed: " + code + ": " + Ec2Errors.oneLine(e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorMessage()));
        } catch (SdkException e) {
            return new Result(ActionStatus.FAILED, action + " not answered: " + Ec2Errors.oneLine(e.getMessage()));
        }
    }

    private Result updateKey(String user, String key, StatusType status) {
        if (status == null || status == StatusType.UNKNOWN_TO_SDK_VERSION) throw new IllegalArgumentException("Status must be Active or Inactive");
        AccessKeyMetadata now = iam.listAccessKeysPaginator(b -> b.userName(user)).accessKeyMetadata().stream()
                .filter(k -> key.equals(k.accessKeyId())).findFirst().orElse(null);
        if (now == null) return new Result(ActionStatus.FAILED, "access key " + key + " of IAM user " + user + " not found");
        if (now.status() == status) return new Result(ActionStatus.ALREADY_APPLIED, "access key " + key + " of " + user + " is already " + status);
        iam.updateAccessKey(b -> b.userName(user).accessKeyId(key).status(status));
        return new Result(ActionStatus.APPLIED, "access key " + key + " of IAM user " + user + " set " + status);
    }

    private Result putRolePolicy(String role, String name, String doc) {
        String there = null;
        try {
            there = java.net.URLDecoder.decode(iam.getRolePolicy(b -> b.roleName(role).policyName(name)).policyDocument(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (NoSuchEntityException e) {
            // not there yet
        }
        if (doc.equals(there)) return new Result(ActionStatus.ALREADY_APPLIED, "role " + role + " already has inline policy " + name);
        iam.putRolePolicy(b -> b.roleName(role).policyName(name).policyDocument(doc));
        return new Result(ActionStatus.APPLIED, "inline policy " + name + " put on role " + role);
    }

    private Result putUserPolicy(String user, String name, String doc) {
        String there = null;
        try {
            there = java.net.URLDecoder.decode(iam.getUserPolicy(b -> b.userName(user).policyName(name)).policyDocument(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (NoSuchEntityException e) {
            // not there yet
        }
        if (doc.equals(there)) return new Result(ActionStatus.ALREADY_APPLIED, "user " + user + " already has inline policy " + name);
        iam.putUserPolicy(b -> b.userName(user).policyName(name).policyDocument(doc));
        return new Result(ActionStatus.APPLIED, "inline policy " + name + " put on user " + user);
    }

    private Result deleted(Runnable call, String what) {
        try {
            call.run();
            return new Result(ActionStatus.APPLIED, "deleted " + what);
        } catch (NoSuchEntityException e) {
            return new Result(ActionStatus.ALREADY_APPLIED, what + " is already gone");
        }
    }

    private Result logging(String name, boolean start) {
        boolean on = Boolean.TRUE.equals(trail.getTrailStatus(b -> b.name(name)).isLogging());
        if (on == start) return new Result(ActionStatus.ALREADY_APPLIED, "trail " + name + " is already " + (on ? "logging" : "stopped"));
        if (start) trail.startLogging(b -> b.name(name));
        else trail.stopLogging(b -> b.name(name));
        return new Result(ActionStatus.APPLIED, (start ? "started" : "stopped") + " logging on trail " + name);
    }

    private static String s(Map<String, Object> p, String k) {
        Object v = p.get(k);
        if (!(v instanceof String s) || s.isEmpty() || s.length() > 10_240) throw new IllegalArgumentException(k + " is required");
        return s;
    }

    @Override
    public void close() {
        iam.close();
        trail.close();
    }
}
