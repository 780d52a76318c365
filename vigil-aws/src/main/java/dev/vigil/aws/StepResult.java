package dev.vigil.aws;

import dev.vigil.core.finding.ActionStatus;
import java.util.Map;

/**
 * What one EC2 call came to.
 *
 * @param createdId the id a Create call returned (or found, for a find-or-create), for later steps' {@code (created)}
 * @param undo what the call's answer says about reversing it ({@code {"Action": ..., params}}), or null; see {@link Undos}
 */
record StepResult(ActionStatus status, String detail, String createdId, Map<String, Object> undo) {
    StepResult(ActionStatus status, String detail, String createdId) {
        this(status, detail, createdId, null);
    }

    static StepResult applied(String detail) {
        return new StepResult(ActionStatus.APPLIED, detail, null);
    }

    static StepResult applied(String detail, Map<String, Object> undo) {
        return new StepResult(ActionStatus.APPLIED, detail, null, undo);
    }

    static StepResult created(String id, String detail) {
        return new StepResult(ActionStatus.APPLIED, detail, id);
    }

    static StepResult already(String detail) {
        return new StepResult(ActionStatus.ALREADY_APPLIED, detail, null);
    }

    static StepResult failed(String detail) {
        return new StepResult(ActionStatus.FAILED, detail, null);
    }

    static StepResult planned(String detail) {
        return new StepResult(ActionStatus.PLANNED, detail, null);
    }
}
