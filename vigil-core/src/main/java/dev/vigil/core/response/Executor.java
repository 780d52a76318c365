package dev.vigil.core.response;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;

/** Carries out a response. Replay's executor only plans; live executors call AWS and notification services. */
public interface Executor {
    /**
     * @param finding the finding the action answers (its actions list is empty at this point)
     * @param dryRun true to check without changing anything (EC2's DryRun where the API has it)
     */
    ActionResult execute(ActionPlan plan, Finding finding, boolean dryRun);

    /**
     * Whether the change {@code plan} makes is in place in the account, for an action whose call was interrupted.
     * Executors without a look-up for a plan answer {@link ChangeCheck.Unknown}: interrupted means unknown, not done.
     */
    default ChangeCheck check(ActionPlan plan, Finding finding) {
        return new ChangeCheck.Unknown("no look-up for " + plan.type());
    }

    /** Replay: every response is {@code planned}, nothing is called. */
    static Executor planning() {
        return (plan, finding, dryRun) -> ActionResult.of(plan, dev.vigil.core.finding.ActionStatus.PLANNED,
                (dryRun ? "dry-run: " : "") + plan.detail());
    }
}
