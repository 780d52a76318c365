package dev.vigil.core.response;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The blast-radius count claimed rather than read, for stores shared by several processes (DynamoDB: every function
 * instance, daemons side by side): an account has {@code max} slots, each taken by one disruptive action for the
 * window; taking one is an atomic check-and-take (a conditional write per slot), so two processes can never both take
 * the last one. A slot taken for an action that then was not applied (already applied, failed, held) is given back.
 */
public interface BlastSlots {
    /** A slot taken: which one, and the token that gives it back. */
    record Slot(String account, int index, String token) {}

    /** Takes a free slot (free: never taken, or taken more than {@code window} ago); empty when all {@code max} are taken. */
    Optional<Slot> take(String account, Instant now, Duration window, int max);

    /** Gives a slot back (its action was not applied); a slot taken over by someone else meanwhile is left alone. */
    void giveBack(Slot slot);
}
