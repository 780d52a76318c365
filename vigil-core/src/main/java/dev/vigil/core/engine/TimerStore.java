package dev.vigil.core.engine;

import java.time.Instant;
import java.util.Optional;

/** Where timers live: in memory for replay; durable stores (embedded database, EventBridge Scheduler) live. */
public interface TimerStore {
    /** Sets a timer, replacing any with the same owner and key. */
    void schedule(Timer timer);

    void cancel(String owner, String key);

    Optional<Timer> get(String owner, String key);

    /** Removes and returns the earliest timer due at or before {@code upTo}, if any. */
    Optional<Timer> takeNextDue(Instant upTo);

    /**
     * The detector is done with a timer {@link #takeNextDue} handed out (its findings are recorded). Durable stores
     * delete it only now, so a crash while it fires makes it fire again; replay's store already removed it.
     */
    default void fired(Timer timer) {}

    /** The earliest due time, if any timer is set. */
    Optional<Instant> nextDue();
}
