package dev.vigil.scenario.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters of one cloudtrail-audit detector: failed calls it ignored (by event name), and instances or users it
 * forgot to stay within its memory bound. Read by the runtime for the run summary.
 */
public final class AuditStats {
    private final Map<String, Long> failedCalls = new TreeMap<>();
    private long failedTotal;
    private long instancesEvicted;
    private long usersEvicted;

    void failed(String eventName) {
        failedTotal++;
        failedCalls.merge(eventName == null ? "?" : eventName, 1L, Long::sum);
    }

    void instanceEvicted() {
        instancesEvicted++;
    }

    void userEvicted() {
        usersEvicted++;
    }

    /** Calls of interest that failed (errorCode set): ignored, counted here. */
    public long failedCalls() {
        return failedTotal;
    }

    public Map<String, Long> failedCallsByName() {
        return Map.copyOf(failedCalls);
    }

    public long instancesEvicted() {
        return instancesEvicted;
    }

    /** The counters as flat name/value pairs, e.g. for the replay summary's extra fields. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("failed_calls_ignored", failedTotal);
        failedCalls.forEach((k, v) -> m.put("failed_calls_ignored." + k, v));
        if (instancesEvicted > 0) m.put("instances_evicted", instancesEvicted);
        if (usersEvicted > 0) m.put("users_evicted", usersEvicted);
        return m;
    }
}
