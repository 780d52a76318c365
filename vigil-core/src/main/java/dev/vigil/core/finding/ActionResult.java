package dev.vigil.core.finding;

import java.util.Map;

/**
 * A response after the pipeline: its plan and what became of it.
 *
 * @param idempotencyKey the plan's key (null for none): the action ledger's record of this change
 * @param undo how to reverse what was done, {@code {"Action": ..., params...}}: the plan's, or the executor's when it
 *     learnt what to restore only while acting (the previous groups, the previous ACL association); empty for none
 */
public record ActionResult(String type, String target, ActionStatus status, String detail, Map<String, Object> params,
                           String idempotencyKey, Map<String, Object> undo) {

    public ActionResult {
        params = params == null ? Map.of() : params;
        undo = undo == null ? Map.of() : undo;
    }

    public ActionResult(String type, String target, ActionStatus status, String detail, Map<String, Object> params) {
        this(type, target, status, detail, params, null, Map.of());
    }

    public static ActionResult of(ActionPlan plan, ActionStatus status, String detail) {
        return new ActionResult(plan.type(), plan.target(), status, detail == null ? plan.detail() : detail, plan.params(),
                plan.idempotencyKey(), plan.undo());
    }

    /** The same result with the undo the executor learnt while acting. */
    public ActionResult withUndo(Map<String, Object> learnt) {
        return new ActionResult(type, target, status, detail, params, idempotencyKey, ActionPlan.Params.freeze(learnt));
    }

    public ActionResult withStatus(ActionStatus s, String newDetail) {
        return new ActionResult(type, target, s, newDetail, params, idempotencyKey, undo);
    }
}
