package dev.vigil.core.store;

import dev.vigil.core.engine.TimerStore;
import dev.vigil.core.response.ActionLedger;
import java.time.Instant;
import java.util.List;

/**
 * Everything the live use case keeps between messages and across restarts, behind one port: the daemon's embedded
 * SQLite store and the DynamoDB store of the Lambda functions implement it. Every write is idempotent; writes may be
 * grouped until {@link #commit}, except ledger claims, which are durable before the call they guard.
 */
public interface RuntimeStore extends ActionLedger, ProcessedEvents, FindingLog {
    /** A disruptive action applied in an account at a time: what the blast-radius limit counts. */
    record AppliedAction(String account, Instant at) {}

    /** A notification that failed and is due for another try. */
    record PendingDelivery(String findingId, String target, int attempts, String lastError) {}

    /** Where the store is, for messages (a file path, a table name). */
    String name();

    TimerStore timers();

    boolean isProcessed(String key);

    /** Forgets processed-event keys first seen before {@code cutoff} (stores with a TTL may do nothing). */
    int forgetProcessedBefore(Instant cutoff);

    /** Applied disruptive actions since {@code from}, oldest first. */
    List<AppliedAction> disruptiveAppliedSince(Instant from);

    /**
     * The deliveries to {@code target} due at {@code now}, oldest first, at most {@code limit}: what that target's
     * delivery worker sends, so that a target that hangs never holds up another's.
     */
    List<PendingDelivery> dueDeliveries(Instant now, String target, int limit);

    /**
     * The deliveries due at {@code now} to any target but those in {@code except}, oldest first, at most {@code limit}:
     * the catch-all worker's (targets no longer in the policy, whose deliveries are still drained or given up, never
     * left behind), and, with {@code except} empty, every due delivery.
     */
    List<PendingDelivery> dueDeliveriesExcept(Instant now, java.util.Set<String> except, int limit);

    /** Every delivery due at {@code now}, oldest first (the Lambda functions' retries, one target after another). */
    default List<PendingDelivery> dueDeliveries(Instant now, int limit) {
        return dueDeliveriesExcept(now, java.util.Set.of(), limit);
    }

    void deliveryFailed(PendingDelivery d, String error, Instant next);

    void deliveryDone(PendingDelivery d);

    /** Keeps a message that held no readable event, so deleting it from its queue loses nothing. */
    void reject(String messageId, String source, String body, String error);

    /** Makes every write so far durable. */
    void commit();

    /**
     * Whether other processes write this store while this one runs (DynamoDB, shared by every function instance):
     * then the blast-radius count is read again at each event rather than once.
     */
    default boolean shared() {
        return false;
    }

    /**
     * The blast-radius slots of a store shared by several processes, where the count must be claimed, not read (two
     * processes checking at once could both take the last slot); empty for a store one process writes.
     */
    default java.util.Optional<dev.vigil.core.response.BlastSlots> blastSlots() {
        return java.util.Optional.empty();
    }

    /** Claims a crash left in progress, found (and marked interrupted) when the store was opened. */
    default int interruptedAtOpen() {
        return 0;
    }
}
