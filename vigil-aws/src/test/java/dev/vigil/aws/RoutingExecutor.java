package dev.vigil.aws;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.response.Executor;

/** For tests through the engine: EC2 plans go to the executor under test, notifications are only planned. */
public record RoutingExecutor(Executor ec2) implements Executor {
    @Override
    public ActionResult execute(ActionPlan plan, Finding finding, boolean dryRun) {
        boolean isEc2 = plan.action() != null || plan.params().containsKey("Steps");
        return isEc2 ? ec2.execute(plan, finding, dryRun) : Executor.planning().execute(plan, finding, dryRun);
    }
}
