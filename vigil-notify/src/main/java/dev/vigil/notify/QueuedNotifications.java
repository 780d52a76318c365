package dev.vigil.notify;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.TargetDef;
import dev.vigil.core.response.Executor;
import java.util.Map;

/**
 * The daemon's notification executor on the processing path: it makes no call. A notification is answered
 * {@code queued}; the store records it as a pending delivery together with its finding, before the event is marked
 * processed (so before its message is deleted), and the daemon's delivery worker sends it from there through the
 * {@link NotifyExecutor} (grouping, retries, at least once across restarts). A hanging target therefore holds up only
 * the delivery worker, never the events behind it. Dry-run answers {@code planned}, as {@link NotifyExecutor} does.
 */
public final class QueuedNotifications implements Executor {
    private final Map<String, TargetDef> targets;

    public QueuedNotifications(Map<String, TargetDef> targets) {
        this.targets = Map.copyOf(targets);
    }

    @Override
    public ActionResult execute(ActionPlan plan, Finding finding, boolean dryRun) {
        if (!"notify".equals(plan.type())) return ActionResult.of(plan, ActionStatus.FAILED, "not a notify plan: " + plan.type());
        TargetDef t = targets.get(plan.target());
        if (t == null) return ActionResult.of(plan, ActionStatus.FAILED, "unknown notification target " + plan.target());
        if (dryRun) return ActionResult.of(plan, ActionStatus.PLANNED, "dry-run: would notify " + t.name() + " (" + t.type() + ")");
        return ActionResult.of(plan, ActionStatus.QUEUED, "queued for " + t.name() + " (" + t.type() + "), sent off the processing path");
    }
}
