package dev.vigil.core.response;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Idempotency claims for responses: the first to claim a key acts; any later claim gets the existing record.
 * Live stores are durable (embedded database, DynamoDB conditional writes); replay's is in memory.
 */
public interface ActionLedger {
    /** A claim already made for a key: who made it and what became of it. */
    record Claim(String key, String policy, String findingRule, Instant at, String status) {}

    /** Empty when this call claimed the key; the existing claim when someone already had. */
    Optional<Claim> claim(String key, String policy, String rule, Instant at);

    /** Records the outcome of a claimed action; a failed action releases its claim so a later event can retry. */
    void complete(String key, String status);

    void release(String key);

    /**
     * Claims a key and keeps with the claim the action's undo as it was known before the first attempt (for a
     * quarantine, the groups to restore): an attempt after an interruption reads it back with {@link #kept} instead
     * of taking the state it finds then (the isolation group the first attempt put there). Empty when this call
     * claimed the key; the existing claim (its kept undo unchanged) when someone already had. Ledgers that keep
     * nothing with a claim ignore {@code undo}.
     */
    default Optional<Claim> claim(String key, String policy, String rule, Instant at, Map<String, Object> undo) {
        return claim(key, policy, rule, at);
    }

    /** The undo kept with a key's claim ({@link #claim(String, String, String, Instant, Map)}); empty when none. */
    default Map<String, Object> kept(String key) {
        return Map.of();
    }

    /** A claim whose holder stopped before its call answered: what it did is not known. */
    String INTERRUPTED = "interrupted";

    /**
     * Takes over an {@link #INTERRUPTED} claim (back to in progress, held by this caller) to act again: true when this
     * caller now holds it. Ledgers without interrupted claims answer false.
     */
    default boolean retake(String key) {
        return false;
    }

    /** What a claimed call gave, as the ledger keeps it with the claim once the call answered. */
    record Outcome(ActionStatus status, String detail, Map<String, Object> undo) {
        public Outcome {
            undo = undo == null ? Map.of() : Map.copyOf(undo);
        }
    }

    /**
     * A claim's action as it was about to be attempted: enough to look it up in the account without its event, and to
     * decide it again as a fresh decision would (the start-up pass runs the rails again before applying it again).
     *
     * @param trigger the principal of the call that triggered the finding (the self check), null when it had none or
     *     the attempt was kept before principals were
     */
    record Attempt(String key, ActionPlan plan, Finding finding, dev.vigil.core.event.Principal trigger) {
        public Attempt(String key, ActionPlan plan, Finding finding) {
            this(key, plan, finding, null);
        }
    }

    /**
     * Claims a key as {@link #claim(String, String, String, Instant, Map)} does and keeps with it the attempt (the
     * plan, the finding it answers, without actions, and the principal that triggered it), so that a claim a crash cut short can be checked against
     * the account at the next start, before anything else ({@link #interruptedAttempts}). Ledgers that keep nothing
     * ignore it.
     */
    default Optional<Claim> claim(String key, String policy, String rule, Instant at, Map<String, Object> undo, Attempt attempt) {
        return claim(key, policy, rule, at, undo);
    }

    /**
     * Records the outcome of a claimed call with its result (status, detail, undo) and the finding it answered, so that
     * the same finding made again after a crash (killed between the call's answer and the finding's record) records
     * what the call did, with its undo, rather than "already applied". Ledgers that keep no results keep the status.
     */
    default void complete(String key, String status, Outcome outcome, String findingId) {
        complete(key, status);
    }

    /** The outcome kept for a completed claim made for the finding {@code findingId}; empty for another finding's or none. */
    default Optional<Outcome> outcome(String key, String findingId) {
        return Optional.empty();
    }

    /** The claims marked {@link #INTERRUPTED} whose attempt was kept, oldest first. */
    default List<Attempt> interruptedAttempts() {
        return List.of();
    }
}
