package dev.vigil.core.engine;

import java.time.Instant;
import java.util.Map;

/**
 * A durable timer: owned by one policy, named by a key unique within it (e.g. {@code uptime:i-0abc}), due at an
 * instant of event time, carrying a little data back to the detector.
 */
public record Timer(String owner, String key, Instant due, Map<String, String> data) {
    public Timer {
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
