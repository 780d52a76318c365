package dev.vigil.aws;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.response.Executor;

/** An executor that can also reverse what it recorded (see {@link Ec2Executor#undo}). */
public interface UndoableExecutor extends Executor {
    /**
     * Runs {@code recorded.undo()}; the result is of type {@code undo} on the recorded target, {@code skipped}
     * "nothing to undo" when there is none.
     */
    ActionResult undo(ActionResult recorded, boolean dryRun);
}
