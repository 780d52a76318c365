package dev.vigil.aws;

import dev.vigil.core.finding.ActionStatus;

/**
 * What one EC2 call came to.
 *
 * @param createdId the id a Create call returned (CreateNetworkAcl: the NetworkAclId), for later steps' {@code (created)}
 */
record StepResult(ActionStatus status, String detail, String createdId) {
    static StepResult applied(String detail) {
        return new StepResult(ActionStatus.APPLIED, detail, null);
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
