package dev.vigil.core.finding;

import java.util.Map;

/** A response after the pipeline: its plan and what became of it. */
public record ActionResult(String type, String target, ActionStatus status, String detail, Map<String, Object> params) {

    public static ActionResult of(ActionPlan plan, ActionStatus status, String detail) {
        return new ActionResult(plan.type(), plan.target(), status, detail == null ? plan.detail() : detail, plan.params());
    }
}
