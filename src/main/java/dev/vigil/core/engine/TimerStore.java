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

    /** The earliest due time, if any timer is set. */
    Optional<Instant> nextDue();
}
