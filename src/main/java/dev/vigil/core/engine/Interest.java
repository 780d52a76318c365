package dev.vigil.core.engine;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.SecurityEvent;
import java.util.Set;

/**
 * Which events a detector wants. {@code calls} are CloudTrail event names whose request and response details it
 * reads; decoders materialize those details only for names some enabled detector asks for.
 */
public record Interest(Set<Class<? extends SecurityEvent>> types, Set<String> calls) {
    public Interest {
        types = Set.copyOf(types);
        calls = Set.copyOf(calls);
    }

    public static Interest of(Set<Class<? extends SecurityEvent>> types, Set<String> calls) {
        return new Interest(types, calls);
    }

    public boolean wants(SecurityEvent e) {
        if (!types.contains(e.getClass())) return false;
        return !(e instanceof CloudTrailCall c) || calls.contains("*") || calls.contains(c.eventName());
    }
}
