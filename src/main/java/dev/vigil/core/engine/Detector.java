package dev.vigil.core.engine;

import dev.vigil.core.event.SecurityEvent;
import java.time.Instant;

/**
 * One running instance of a detector for one policy: holds that policy's parameters and per-key state (windows,
 * known tags). Called from one thread; state across restarts lives in timers and the store, not here.
 */
public interface Detector {
    Interest interest();

    void onEvent(SecurityEvent event, DetectorContext ctx);

    default void onTimer(Timer timer, DetectorContext ctx) {}

    /**
     * Work on an event that depends on nothing but the event, done ahead on another thread (replay's decoding
     * thread), in the order the events will reach {@link #onEvent}; the only method called from another thread.
     * What it computes must be what {@code onEvent} would compute itself, which it still does for an event that was
     * not prepared (the daemon's): the findings are the same either way. The default does nothing.
     */
    default void prepare(SecurityEvent event) {}

    /**
     * A live runtime has started (or restarted) at {@code ctx.now()} with a fresh inventory of the account: set or
     * fix timers for what is already running, so an event missed while vigil was down does not lose an alert.
     */
    default void onStart(DetectorContext ctx) {}

    /** The input has ended (replay) at {@code end}; report anything pending. */
    default void onFinish(Instant end, DetectorContext ctx) {}

    /** Counters for the run's summary (e.g. sshd lines no pattern classified); keys are stable, kebab-case. */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }
}
