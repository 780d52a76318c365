package dev.vigil.core.store;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import java.util.List;
import java.util.Optional;

/**
 * Findings and the actions taken for them, as a live runtime keeps them. Saving is idempotent by
 * {@link Finding#id()}: a finding made again from a redelivered message is kept once.
 */
public interface FindingLog {
    void save(Finding finding);

    /** The newest findings first, at most {@code limit}. */
    List<Finding> recent(int limit);

    Optional<Finding> find(String findingId);

    /**
     * What became of the finding's notification to {@code target}, once the delivery worker (or a retry) is done with
     * it: {@code delivered}, {@code skipped} (grouped) or {@code given-up}. From then on the finding's {@code notify}
     * action for that target reads {@code status} and {@code detail} instead of the {@code queued} (or {@code failed})
     * it was recorded with. Nothing when the finding is gone or has no such action; writing the same outcome again
     * changes nothing.
     */
    void notifyOutcome(String findingId, String target, ActionStatus status, String detail);

    /** The finding's actions, its {@code notify} ones to {@code target} with {@code status} and {@code detail}. */
    static Finding withNotifyOutcome(Finding f, String target, ActionStatus status, String detail) {
        List<ActionResult> actions = new java.util.ArrayList<>(f.actions().size());
        for (ActionResult a : f.actions()) {
            actions.add("notify".equals(a.type()) && target.equals(a.target()) ? a.withStatus(status, detail) : a);
        }
        return f.withActions(List.copyOf(actions));
    }
}
