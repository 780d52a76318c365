package dev.vigil.aws;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.response.Executor;

/**
 * The live runtime's executor: {@code notify} plans go to the notification executor; every other plan is carried
 * out in the finding's account and region (the runtime's own account and home region when the finding names none),
 * by that account's EC2 executor. An account that is neither the runtime's own nor has a role to assume is not
 * acted in: {@code failed} "no role configured for account N" (acting there with the runtime's own credentials
 * would hit the wrong account, or be denied).
 */
public final class AccountRoutingExecutor implements Executor {
    /** Executors per account and region, and which accounts have a role to assume ({@link AwsClients} in production). */
    public interface Clients {
        UndoableExecutor ec2(String account, String region);

        boolean assumesRoleIn(String account);

        /** The IAM and CloudTrail executor (the Sigma responses) for an account and region. */
        default UndoableExecutor iamTrail(String account, String region) {
            throw new UnsupportedOperationException("no IAM/CloudTrail client configured");
        }
    }

    private final Executor notify;
    private final Clients clients;
    private final String ownAccount;
    private final String homeRegion;

    /**
     * @param ownAccount the account the runtime's own credentials are in (e.g. {@link AwsClients#callerAccount()}); null if unknown,
     *     then only accounts with a role are acted in
     * @param homeRegion the region for a finding that names none
     */
    public AccountRoutingExecutor(Executor notify, Clients clients, String ownAccount, String homeRegion) {
        this.notify = notify;
        this.clients = clients;
        this.ownAccount = ownAccount;
        this.homeRegion = homeRegion;
    }

    @Override
    public ActionResult execute(ActionPlan plan, Finding finding, boolean dryRun) {
        if (PolicyCompiler.NOTIFY.equals(plan.type())) return notify.execute(plan, finding, dryRun);
        String account = finding == null || finding.account() == null ? null : finding.account().value();
        String region = finding == null || finding.region() == null ? null : finding.region().value();
        String refused = refusal(account);
        if (refused != null) return ActionResult.of(plan, ActionStatus.FAILED, refused);
        try {
            return clients(plan.params(), account, region).execute(plan, finding, dryRun);
        } catch (RuntimeException e) { // a client that cannot be built (a malformed region): the plan fails, the runtime goes on
            return ActionResult.of(plan, ActionStatus.FAILED, "no EC2 client for account " + account + " in " + region + ": " + Ec2Errors.oneLine(e.getMessage()));
        }
    }

    /** The look-up of an interrupted action, in the account and region it was taken in. */
    @Override
    public dev.vigil.core.response.ChangeCheck check(ActionPlan plan, Finding finding) {
        if (PolicyCompiler.NOTIFY.equals(plan.type())) return notify.check(plan, finding);
        String account = finding == null || finding.account() == null ? null : finding.account().value();
        String region = finding == null || finding.region() == null ? null : finding.region().value();
        String refused = refusal(account);
        if (refused != null) return new dev.vigil.core.response.ChangeCheck.Unknown(refused);
        try {
            return clients(plan.params(), account, region).check(plan, finding);
        } catch (RuntimeException e) {
            return new dev.vigil.core.response.ChangeCheck.Unknown("no EC2 client for account " + account + " in " + region + ": " + Ec2Errors.oneLine(e.getMessage()));
        }
    }

    /**
     * {@code vigil undo}: reverses a recorded action in the account and region it was taken in (null: own, home).
     * Undo of a notification is {@code skipped}.
     */
    public ActionResult undo(ActionResult recorded, String account, String region, boolean dryRun) {
        String refused = refusal(account);
        ActionPlan plan = new ActionPlan(Ec2Executor.UNDO, recorded.target(), recorded.undo(), "undo " + recorded.type() + " on " + recorded.target(),
                null, true);
        if (PolicyCompiler.NOTIFY.equals(recorded.type())) return ActionResult.of(plan, ActionStatus.SKIPPED, "a notification cannot be undone");
        if (refused != null) return ActionResult.of(plan, ActionStatus.FAILED, refused);
        try {
            return clients(recorded.undo(), account, region).undo(recorded, dryRun);
        } catch (RuntimeException e) {
            return ActionResult.of(plan, ActionStatus.FAILED, "no EC2 client for account " + account + " in " + region + ": " + Ec2Errors.oneLine(e.getMessage()));
        }
    }

    /** IAM and CloudTrail calls (the Sigma responses) go to their executor; every other plan is EC2's. */
    private UndoableExecutor clients(java.util.Map<String, Object> params, String account, String region) {
        String a = account == null ? ownAccount : account;
        String r = region == null ? homeRegion : region;
        return IamTrailExecutor.handles(params) ? clients.iamTrail(a, r) : clients.ec2(a, r);
    }

    /** Why this account is not acted in, or null. */
    private String refusal(String account) {
        if (account == null || account.equals(ownAccount) || clients.assumesRoleIn(account)) return null;
        return "no role configured for account " + account + (ownAccount == null ? " (the runtime's own account is unknown)" : "");
    }
}
