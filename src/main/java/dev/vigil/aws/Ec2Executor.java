package dev.vigil.aws;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.response.Executor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;

/**
 * Carries out EC2 response plans with the AWS SDK. A plan's params are one call, {@code {"Action": "<EC2 action>",
 * ...EC2 parameters}}, or a sequence {@code {"Steps": [{"Action": ...}, ...]}} in which {@code "(created)"} stands for
 * the id an earlier Create step returned. Outcomes: {@code applied} (new ids in the detail), {@code already-applied}
 * when EC2 says the change is in place, {@code planned} when a dry run would succeed, {@code failed} with the error
 * code (and for UnauthorizedOperation the IAM action that is missing). Throttling and 5xx are retried by the SDK's
 * standard strategy within a {@link RetryBudget}. Never throws for a bad plan or an AWS error.
 */
public final class Ec2Executor implements Executor, AutoCloseable {
    private static final Map<String, Ec2Call> CALLS = Map.ofEntries(
            Map.entry("RevokeSecurityGroupIngress", SecurityGroupCalls::revokeIngress),
            Map.entry("RevokeSecurityGroupEgress", SecurityGroupCalls::revokeEgress),
            Map.entry("AuthorizeSecurityGroupIngress", SecurityGroupCalls::authorizeIngress),
            Map.entry("CreateNetworkAcl", NetworkAclCalls::createAcl),
            Map.entry("ReplaceNetworkAclAssociation", NetworkAclCalls::replaceAssociation),
            Map.entry("CreateNetworkAclEntry", NetworkAclCalls::createEntry),
            Map.entry("DeleteNetworkAclEntry", NetworkAclCalls::deleteEntry),
            Map.entry("DescribeNetworkAcls", NetworkAclCalls::describe),
            Map.entry("ModifyNetworkInterfaceAttribute", InstanceCalls::modifyInterfaceGroups),
            Map.entry("ModifyInstanceAttribute", InstanceCalls::modifyInstanceGroups),
            Map.entry("StopInstances", InstanceCalls::stop));

    private final Ec2Client ec2;

    private Ec2Executor(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** @param endpointOverride an AWS-compatible endpoint ({@code --endpoint-url}), or null for the region's own */
    public static Ec2Executor create(Region region, URI endpointOverride, AwsCredentialsProvider credentials) {
        return create(region, endpointOverride, credentials, RetryBudget.DEFAULT);
    }

    public static Ec2Executor create(Region region, URI endpointOverride, AwsCredentialsProvider credentials, RetryBudget retry) {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(retry.baseDelay(), retry.maxDelay()); // full jitter
        var strategy = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(retry.maxAttempts()).backoffStrategy(backoff).throttlingBackoffStrategy(backoff).build();
        var builder = Ec2Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(20)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(strategy)
                        .apiCallAttemptTimeout(Duration.ofSeconds(20)).apiCallTimeout(Duration.ofSeconds(60)).build());
        if (endpointOverride != null) builder.endpointOverride(endpointOverride);
        return new Ec2Executor(builder.build());
    }

    /** The EC2 actions this executor can call. */
    public static java.util.Set<String> supportedActions() {
        return CALLS.keySet();
    }

    @Override
    public ActionResult execute(ActionPlan plan, Finding finding, boolean dryRun) {
        List<Map<String, Object>> steps = steps(plan.params());
        if (steps == null) return ActionResult.of(plan, ActionStatus.FAILED, "invalid plan: params need an Action or a list of Steps");
        List<String> details = new ArrayList<>();
        String association = null;
        if (needsAssociation(steps, plan.target())) { // looked up before anything changes, so a miss leaves no orphan ACL
            association = lookUpAssociation(plan.target(), details);
            if (association == null) return ActionResult.of(plan, ActionStatus.FAILED, String.join("; ", details));
        }
        String created = null;
        boolean changed = false;
        boolean checked = false;
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Object> step = steps.get(i);
            String action = String.valueOf(step.get("Action"));
            String label = steps.size() == 1 ? action : "step " + (i + 1) + "/" + steps.size() + " " + action;
            if (created == null && step.containsValue(Placeholders.CREATED) && dryRun) {
                details.add(label + ": not checked (needs the id an earlier step creates)");
                continue;
            }
            StepResult r = run(action, resolve(step, created, association), dryRun);
            details.add(steps.size() == 1 ? r.detail() : label + ": " + r.detail());
            if (r.status() == ActionStatus.FAILED) return ActionResult.of(plan, ActionStatus.FAILED, String.join("; ", details));
            if (r.createdId() != null) created = r.createdId();
            changed |= r.status() == ActionStatus.APPLIED;
            checked |= r.status() == ActionStatus.PLANNED;
        }
        ActionStatus status = dryRun && checked ? ActionStatus.PLANNED : changed ? ActionStatus.APPLIED : ActionStatus.ALREADY_APPLIED;
        return ActionResult.of(plan, status, String.join("; ", details));
    }

    private StepResult run(String action, Map<String, Object> step, boolean dryRun) {
        Ec2Call call = CALLS.get(action);
        if (call == null) return StepResult.failed("unsupported action " + action + " (supported: " + String.join(", ", new java.util.TreeSet<>(CALLS.keySet())) + ")");
        try {
            Map<String, Object> params = new LinkedHashMap<>(step);
            params.remove("Action");
            StepResult r = call.run(ec2, new PlanParams(params, action), dryRun);
            return dryRun && r.status() == ActionStatus.APPLIED ? StepResult.failed(action + " changed the account although DryRun was set: " + r.detail()) : r;
        } catch (PlanParams.Invalid e) {
            return StepResult.failed("invalid plan: " + e.getMessage());
        } catch (AwsServiceException e) {
            StepResult r = Ec2Errors.classify(action, e);
            if ("NetworkAclEntryAlreadyExists".equals(Ec2Errors.code(e)) && "CreateNetworkAclEntry".equals(action)) return sameEntry(step, r);
            return r;
        } catch (SdkException e) {
            return Ec2Errors.unanswered(e);
        } catch (RuntimeException e) {
            return StepResult.failed("invalid plan: " + Ec2Errors.oneLine(e.toString()));
        }
    }

    /** The rule number is taken: already applied only if the entry there is the one asked for (checked, not assumed). */
    private StepResult sameEntry(Map<String, Object> step, StepResult already) {
        Map<String, Object> params = new LinkedHashMap<>(step);
        params.remove("Action");
        AclEntry want = AclEntry.read(new PlanParams(params, "CreateNetworkAclEntry"));
        try {
            Optional<NetworkAclEntry> there = NetworkAclCalls.entryAt(ec2, want.acl(), want.rule(), want.egress());
            if (there.isEmpty()) return StepResult.failed("NetworkAclEntryAlreadyExists, but " + want.acl() + " shows no entry at rule " + want.rule());
            if (want.sameAs(there.get())) return StepResult.already(want.describe() + " is already there");
            return StepResult.failed("NetworkAclEntryAlreadyExists: rule " + want.rule() + " of " + want.acl() + " holds a different entry ("
                    + AclEntry.describe(there.get()) + ")");
        } catch (SdkException e) {
            return new StepResult(already.status(), already.detail() + " (not verified: " + Ec2Errors.oneLine(e.getMessage()) + ")", null);
        }
    }

    /** Fills in what the plan could not know: {@code (created)} from the earlier step, a subnet's association. */
    private static Map<String, Object> resolve(Map<String, Object> step, String created, String association) {
        Map<String, Object> out = new LinkedHashMap<>();
        step.forEach((k, v) -> out.put(k, Placeholders.CREATED.equals(v) && created != null ? created : v));
        if (association != null && isAssociationPlaceholder(out.get("AssociationId"))) out.put("AssociationId", association);
        return out;
    }

    private static boolean isAssociationPlaceholder(Object v) {
        return v instanceof String s && s.startsWith(Placeholders.ASSOCIATION_PREFIX);
    }

    private static boolean needsAssociation(List<Map<String, Object>> steps, String target) {
        return target.startsWith("subnet-") && steps.stream().anyMatch(s -> isAssociationPlaceholder(s.get("AssociationId")));
    }

    /**
     * {@code (association of subnet-..., looked up at execution)}: the subnet's current association, by
     * DescribeNetworkAcls; the ACL it moves from goes into the detail, for undo. Null (with the reason in details) if none.
     */
    private String lookUpAssociation(String subnet, List<String> details) {
        try {
            Optional<NetworkAclAssociation> a = NetworkAclCalls.associationOf(ec2, subnet);
            if (a.isEmpty()) {
                details.add("no network ACL association found for " + subnet + ": nothing changed");
                return null;
            }
            details.add(subnet + " was on " + a.get().networkAclId() + " (association " + a.get().networkAclAssociationId() + ")");
            return a.get().networkAclAssociationId();
        } catch (AwsServiceException e) {
            details.add("looking up the association of " + subnet + " failed: " + Ec2Errors.classify("DescribeNetworkAcls", e).detail());
            return null;
        } catch (SdkException e) {
            details.add("looking up the association of " + subnet + " failed: " + Ec2Errors.unanswered(e).detail());
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> params) {
        Object steps = params.get("Steps");
        if (steps == null) return params.get("Action") == null ? null : List.of(params);
        if (!(steps instanceof List<?> l) || l.isEmpty() || params.size() != 1) return null;
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> m) || m.get("Action") == null) return null;
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    @Override
    public void close() {
        ec2.close();
    }
}
