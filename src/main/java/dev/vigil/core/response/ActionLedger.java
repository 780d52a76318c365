package dev.vigil.core.response;

import java.time.Instant;
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

    /** A claim whose holder stopped before its call answered: what it did is not known. */
    String INTERRUPTED = "interrupted";

    /**
     * Takes over an {@link #INTERRUPTED} claim (back to in progress, held by this caller) to act again: true when this
     * caller now holds it. Ledgers without interrupted claims answer false.
     */
    default boolean retake(String key) {
        return false;
    }
}
