package dev.vigil.core.response;

/**
 * A response's ledger claim is in progress under another holder's lease (a shared store: another daemon or function,
 * or one that died before its call answered). What that holder did is not known yet, so the response can be neither
 * taken for done nor done again: the event's work stops here and its message comes back; once the holder completes,
 * the response is answered from its record, and once its lease runs out the claim is interrupted and checked in the
 * account. Not a rule's failure: it propagates like a store failure.
 */
public final class ClaimHeldElsewhere extends RuntimeException {
    private final String key;

    public ClaimHeldElsewhere(String key, ActionLedger.Claim held) {
        super("claim " + key + " is in progress for " + held.findingRule() + " by policy " + held.policy() + " (claimed at " + held.at() + ")"
                + " under another holder's lease: left for later (answered from the holder's record, or checked in the account once its lease runs out)");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
