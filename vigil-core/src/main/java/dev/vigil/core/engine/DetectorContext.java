package dev.vigil.core.engine;

import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.inventory.Inventory;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What a detector may use while handling one event or timer. Time is event time, never the wall clock. */
public interface DetectorContext {
    /** The current event's time, or the due time of the timer being fired. */
    Instant now();

    /** The name of the policy this detector runs for. */
    String policy();

    Inventory inventory();

    /** Reports a finding: only collected; the use case applies the policy's responses once the rule has returned. */
    void report(FindingDraft draft);

    /** Sets (or replaces) this policy's timer {@code key}. */
    void schedule(String key, Instant due, Map<String, String> data);

    void cancel(String key);

    Optional<Timer> timer(String key);

    /**
     * The responses this policy gives {@code rule} ({@code notify} among them, as {@code PolicyDef.responsesFor}
     * lists them), or null when not known. A detector may leave out proposals of actions the policy cannot use (the
     * engine would drop them); null means propose them all.
     */
    default java.util.List<String> responsesFor(String rule) {
        return null;
    }
}
