package dev.vigil.core.engine;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.SecurityEvent;
import java.util.Set;

/**
 * Which events a detector wants. {@code calls} are CloudTrail event names whose request and response details it
 * reads; decoders materialize those details only for names some enabled detector asks for. {@code fields} are
 * other top-level CloudTrail fields it reads (kept in {@code CloudTrailCall.fields()}); usually none.
 * {@code details} are the names among {@code calls} whose {@code requestParameters}/{@code responseElements} it
 * reads (by default all of {@code calls}; {@code Prefix*} stands for every name starting so): a detector that takes every call but reads the details of a few (Sigma
 * rules) says so, and replay decodes only those.
 */
public record Interest(Set<Class<? extends SecurityEvent>> types, Set<String> calls, Set<String> fields, Set<String> details) {
    public Interest {
        types = Set.copyOf(types);
        calls = Set.copyOf(calls);
        fields = fields == null ? Set.of() : Set.copyOf(fields);
        details = details == null ? calls : Set.copyOf(details);
    }

    public Interest(Set<Class<? extends SecurityEvent>> types, Set<String> calls, Set<String> fields) {
        this(types, calls, fields, null);
    }

    public Interest(Set<Class<? extends SecurityEvent>> types, Set<String> calls) {
        this(types, calls, Set.of());
    }

    public static Interest of(Set<Class<? extends SecurityEvent>> types, Set<String> calls) {
        return new Interest(types, calls);
    }

    public boolean wants(SecurityEvent e) {
        if (!types.contains(e.getClass())) return false;
        return !(e instanceof CloudTrailCall c) || calls.contains("*") || calls.contains(c.eventName());
    }
}
