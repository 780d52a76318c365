package dev.vigil.core.engine;

import dev.vigil.core.event.SecurityEvent;
import java.time.Instant;

/**
 * One running instance of a detector for one policy: holds that policy's parameters and per-key state (windows,
 * known tags). Called from one thread; state across restarts lives in timers and the store, not here (except
 * {@link #prepare}, which touches no state).
 */
public interface Detector {
    Interest interest();

    void onEvent(SecurityEvent event, DetectorContext ctx);

    default void onTimer(Timer timer, DetectorContext ctx) {}

    /**
     * Pure work that {@link #onEvent} would otherwise do first on every event (parsing its text, matching its
     * detections), done ahead on the thread that reads or decodes a big input (a second core) while earlier events are
     * still being evaluated, in the order the events will reach {@link #onEvent}; the only method called from another
     * thread. It changes no state {@code onEvent} depends on for an event that was not prepared (the daemon's): the
     * findings are the same either way. Returns the event to hand over: the same one, or a copy carrying what was made
     * (which {@link #onEvent} then takes instead of making it again). The default does nothing.
     */
    default SecurityEvent prepare(SecurityEvent event) {
        return event;
    }

    /**
     * A live runtime has started (or restarted) at {@code ctx.now()} with a fresh inventory of the account: set or
     * fix timers for what is already running, so an event missed while vigil was down does not lose an alert.
     */
    default void onStart(DetectorContext ctx) {}

    /** The input has ended (replay) at {@code end}; report anything pending. */
    default void onFinish(Instant end, DetectorContext ctx) {}

    /** Counters for the run's summary (e.g. sshd lines no pattern classified); keys are stable, snake_case (the JSON contract, docs/schema/vigil-output.schema.json). */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }
}
