package dev.vigil.aws;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
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
public final class Ec2Executor implements UndoableExecutor, AutoCloseable {
    private static final Map<String, Ec2Call> CALLS = Map.ofEntries(
            Map.entry("RevokeSecurityGroupIngress", SecurityGroupCalls::revokeIngress),
            Map.entry("RevokeSecurityGroupEgress", SecurityGroupCalls::revokeEgress),
            Map.entry("AuthorizeSecurityGroupIngress", SecurityGroupCalls::authorizeIngress),
            Map.entry("AuthorizeSecurityGroupEgress", SecurityGroupCalls::authorizeEgress),
            Map.entry("CreateSecurityGroup", SecurityGroupCalls::createGroup),
            Map.entry("CreateTags", InstanceCalls::createTags),
            Map.entry("StartInstances", InstanceCalls::start),
            Map.entry("CreateNetworkAcl", NetworkAclCalls::createAcl),
            Map.entry("ReplaceNetworkAclAssociation", NetworkAclCalls::replaceAssociation),
            Map.entry("CreateNetworkAclEntry", NetworkAclCalls::createEntry),
            Map.entry("DeleteNetworkAclEntry", NetworkAclCalls::deleteEntry),
            Map.entry("DescribeNetworkAcls", NetworkAclCalls::describe),
            Map.entry("ModifyNetworkInterfaceAttribute", InstanceCalls::modifyInterfaceGroups),
            Map.entry("ModifyInstanceAttribute", InstanceCalls::modifyInstanceGroups),
            Map.entry("StopInstances", InstanceCalls::stop));
    /** Actions that change nothing that needs undoing (or whose undo cannot be known): no "no undo learnt" note. */
    private static final java.util.Set<String> NO_UNDO = java.util.Set.of("CreateTags", "DescribeNetworkAcls");

    private final Ec2Client ec2;

    private Ec2Executor(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** @param endpointOverride an AWS-compatible endpoint ({@code --endpoint-url}), or null for the region's own */
    public static Ec2Executor create(Region region, URI endpointOverride, AwsCredentialsProvider credentials) {
        return create(region, endpointOverride, credentials, RetryBudget.DEFAULT);
    }

    public static Ec2Executor create(Region region, URI endpointOverride, AwsCredentialsProvider credentials, RetryBudget retry) {
        return create(region, endpointOverride, credentials, retry, java.util.List.of());
    }

    public static Ec2Executor create(Region region, URI endpointOverride, AwsCredentialsProvider credentials, RetryBudget retry,
            java.util.List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors) {
        var builder = Ec2Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(RetryBudget.httpClient())
                .overrideConfiguration(retry.clientOverrides().executionInterceptors(interceptors).build());
        if (endpointOverride != null) builder.endpointOverride(endpointOverride);
        return new Ec2Executor(builder.build());
    }

    /** The EC2 actions this executor can call. */
    public static java.util.Set<String> supportedActions() {
        return CALLS.keySet();
    }

    /**
     * Carries out the plan. The result's undo: the plan's own when it is complete (no placeholders; the scenario
     * knew the previous state), else what was learnt while acting (see {@link Undos}); for a sequence, the undos of
     * its changing steps in reverse order, {@code {"Steps": [...]}} (one step's undo alone when only one changed).
     * Steps that build vigil's quarantine group or ACL are not undone. Empty when nothing changed or in a dry run
     * (where the plan's undo is kept as it was planned).
     */
    @Override
    public ActionResult execute(ActionPlan plan, Finding finding, boolean dryRun) {
        boolean learn = !dryRun && !Undos.complete(plan.undo());
        Outcome o = run(plan.params(), plan.target(), dryRun, learn, previousAclHint(plan.undo()));
        ActionResult r = ActionResult.of(plan, o.status(), o.detail());
        if (dryRun) return r;
        if (learn) return r.withUndo(o.undo());
        if (o.mutated() && Undos.restoresTheChange(plan.params(), plan.undo())) { // the isolation group is never what undo restores
            return ActionResult.of(plan, o.status(), o.detail() + " (no undo recorded: the groups to restore are the ones just set)");
        }
        return r.withUndo(o.mutated() ? plan.undo() : Map.of());
    }

    /**
     * Reverses a recorded action: runs its {@code undo} (one call or Steps) and answers a result of type
     * {@code undo} on the same target, naming what was restored; {@code skipped} "nothing to undo" when the
     * record has no undo. EC2's "already there" answers make a repeated undo {@code already-applied}.
     */
    @Override
    public ActionResult undo(ActionResult recorded, boolean dryRun) {
        String what = recorded.type() + " on " + recorded.target();
        ActionPlan plan = new ActionPlan(UNDO, recorded.target(), recorded.undo(), "undo " + what,
                recorded.idempotencyKey() == null ? null : UNDO + ":" + recorded.idempotencyKey(), true);
        if (recorded.undo().isEmpty()) return ActionResult.of(plan, ActionStatus.SKIPPED, "nothing to undo for " + what);
        Outcome o = run(recorded.undo(), recorded.target(), dryRun, false, null);
        return ActionResult.of(plan, o.status(), "undo " + what + ": " + o.detail());
    }

    /** Interrupted means unknown: whether the plan's change is in place, by a look-up per action type ({@link ChangeLookups}). */
    @Override
    public dev.vigil.core.response.ChangeCheck check(ActionPlan plan, Finding finding) {
        var c = ChangeLookups.check(ec2, plan);
        // in place: the undo is the plan's own when complete (the previous state known before the first attempt)
        if (c instanceof dev.vigil.core.response.ChangeCheck.InPlace p && Undos.complete(plan.undo())
                && !Undos.restoresTheChange(plan.params(), plan.undo())) {
            return new dev.vigil.core.response.ChangeCheck.InPlace(p.seen(), plan.undo());
        }
        return c;
    }

    /** The type of the results {@link #undo} returns. */
    public static final String UNDO = "undo";

    /** What a run of steps came to: the status, the detail, the undo learnt, whether a non-setup step changed anything. */
    private record Outcome(ActionStatus status, String detail, Map<String, Object> undo, boolean mutated) {}

    private Outcome run(Map<String, Object> params, String target, boolean dryRun, boolean learn, String previousAcl) {
        List<Map<String, Object>> steps = steps(params);
        if (steps == null) return new Outcome(ActionStatus.FAILED, "invalid plan: params need an Action or a list of Steps", Map.of(), false);
        List<String> details = new ArrayList<>();
        String association = null;
        if (needsAssociation(steps, target)) { // looked up before anything changes, so a miss leaves no orphan ACL
            NetworkAclAssociation a = lookUpAssociation(target, details);
            if (a == null) return new Outcome(ActionStatus.FAILED, String.join("; ", details), Map.of(), false);
            association = a.networkAclAssociationId();
            previousAcl = a.networkAclId();
        }
        String created = null;
        boolean changed = false;
        boolean checked = false;
        boolean mutated = false;
        List<Map<String, Object>> undos = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Object> step = steps.get(i);
            String action = String.valueOf(step.get("Action"));
            String label = steps.size() == 1 ? action : "step " + (i + 1) + "/" + steps.size() + " " + action;
            if (created == null && dryRun && needsCreated(step)) {
                details.add(label + ": not checked (needs the id an earlier step creates)");
                continue;
            }
            Map<String, Object> resolved = resolve(step, created, association);
            boolean setup = Undos.isSetup(action, step);
            Map<String, Object> before = null;
            String unlearnt = null;
            if (learn && !setup && CALLS.containsKey(action) && Undos.complete(resolved)) { // a placeholder stops the call anyway
                if ("ReplaceNetworkAclAssociation".equals(action) && previousAcl != null) {
                    before = Undos.map("Action", action, "NetworkAclId", previousAcl);
                } else {
                    try {
                        before = Undos.before(ec2, action, resolved);
                    } catch (AwsServiceException e) {
                        unlearnt = Ec2Errors.classify(Undos.readAction(action), e).detail();
                    } catch (RuntimeException e) { // SDK or bad value: acting matters more than knowing how to undo
                        unlearnt = Ec2Errors.oneLine(e.getMessage());
                    }
                }
            }
            if (before != null && Undos.restoresTheChange(resolved, before)) { // read after an earlier attempt applied it
                unlearnt = "the groups there already are the ones set, so the groups to restore are not known";
                before = null;
            }
            StepResult r = run(action, resolved, dryRun);
            String said = steps.size() == 1 ? r.detail() : label + ": " + r.detail();
            if (r.createdId() != null) created = r.createdId();
            if (r.status() == ActionStatus.APPLIED && !setup) {
                mutated = true;
                Map<String, Object> u = Undos.merge(before, r.undo());
                if (learn && Undos.complete(u)) undos.add(u);
                else if (learn && !NO_UNDO.contains(action) && !action.startsWith("Describe")) {
                    said += " (no undo learnt" + (unlearnt == null ? "" : ": " + unlearnt) + ")";
                }
            }
            details.add(said);
            if (r.status() == ActionStatus.FAILED) return new Outcome(ActionStatus.FAILED, String.join("; ", details), reversed(undos), mutated);
            changed |= r.status() == ActionStatus.APPLIED;
            checked |= r.status() == ActionStatus.PLANNED;
        }
        ActionStatus status = dryRun && checked ? ActionStatus.PLANNED : changed ? ActionStatus.APPLIED : ActionStatus.ALREADY_APPLIED;
        return new Outcome(status, String.join("; ", details), reversed(undos), mutated);
    }

    /** The last change is undone first. */
    private static Map<String, Object> reversed(List<Map<String, Object>> undos) {
        if (undos.isEmpty()) return Map.of();
        if (undos.size() == 1) return undos.get(0);
        List<Map<String, Object>> r = new ArrayList<>(undos);
        java.util.Collections.reverse(r);
        return Map.of("Steps", r);
    }

    /** A plan's undo that names the ACL a subnet is on (from the inventory) saves looking it up. */
    private static String previousAclHint(Map<String, Object> undo) {
        return "ReplaceNetworkAclAssociation".equals(undo.get("Action")) && undo.get("NetworkAclId") instanceof String s
                && !Placeholders.isPlaceholder(s) ? s : null;
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
        // also inside lists: QuarantineInstance swaps in {"SecurityGroupId": ["(created)"]}
        step.forEach((k, v) -> out.put(k, v instanceof List<?> l ? l.stream().map(x -> created(x, created)).toList() : created(v, created)));
        if (association != null && isAssociationPlaceholder(out.get("AssociationId"))) out.put("AssociationId", association);
        return out;
    }

    private static boolean needsCreated(Map<String, Object> step) {
        return step.values().stream().anyMatch(v -> Placeholders.CREATED.equals(v) || v instanceof List<?> l && l.contains(Placeholders.CREATED));
    }

    private static Object created(Object v, String created) {
        return Placeholders.CREATED.equals(v) && created != null ? created : v;
    }

    private static boolean isAssociationPlaceholder(Object v) {
        return v instanceof String s && s.startsWith(Placeholders.ASSOCIATION_PREFIX);
    }

    private static boolean needsAssociation(List<Map<String, Object>> steps, String target) {
        return target.startsWith("subnet-") && steps.stream().anyMatch(s -> isAssociationPlaceholder(s.get("AssociationId")));
    }

    /**
     * {@code (association of subnet-..., looked up at execution)}: the subnet's current association, by
     * DescribeNetworkAcls; the ACL it moves from goes into the detail and the undo. Null (with the reason in details) if none.
     */
    private NetworkAclAssociation lookUpAssociation(String subnet, List<String> details) {
        try {
            Optional<NetworkAclAssociation> a = NetworkAclCalls.associationOf(ec2, subnet);
            if (a.isEmpty()) {
                details.add("no network ACL association found for " + subnet + ": nothing changed");
                return null;
            }
            details.add(subnet + " was on " + a.get().networkAclId() + " (association " + a.get().networkAclAssociationId() + ")");
            return a.get();
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
