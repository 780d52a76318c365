package dev.vigil.core.finding;

/** What became of a response. Printed in output as {@link #label()}. */
public enum ActionStatus {
    /** Decided but not carried out: replay, or dry-run. */
    PLANNED("planned"),
    APPLIED("applied"),
    /** The change was already in place (same idempotency key done before, or AWS said it exists/is gone). */
    ALREADY_APPLIED("already-applied"),
    /** Deliberately not done: exempt resource, own principal, sample finding, blast-radius limit, ... */
    SKIPPED("skipped"),
    FAILED("failed"),
    /**
     * A notification handed to the daemon's delivery worker, off the processing path: recorded (with its finding) as
     * a pending delivery before the event is marked processed, and sent, retried after a restart too, from there.
     */
    QUEUED("queued"),
    /** A queued (or failed) notification the delivery worker has since sent: written back into the finding's record. */
    DELIVERED("delivered"),
    /** A queued (or failed) notification given up after its last retry: written back into the finding's record. */
    GIVEN_UP("given-up");

    private final String label;

    ActionStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
