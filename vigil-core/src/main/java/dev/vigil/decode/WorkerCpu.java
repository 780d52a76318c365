package dev.vigil.decode;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time of replay's worker threads (gunzip, decode), each adding its own as it ends, so {@code -Dvigil.stats=true}
 * can say how the work was split between the cores: the busiest thread bounds the wall time on an idle machine.
 */
public final class WorkerCpu {
    private static final Map<String, Long> TOTALS = new ConcurrentHashMap<>();

    private WorkerCpu() {}

    /** Adds the calling thread's CPU time so far under {@code kind}; call it last thing in the thread. */
    public static void record(String kind) {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        if (!t.isCurrentThreadCpuTimeSupported()) return;
        long ns = t.getCurrentThreadCpuTime();
        if (ns > 0) TOTALS.merge(kind, ns, Long::sum);
    }

    /** What was recorded, by kind. */
    public static Map<String, Long> totals() {
        return new TreeMap<>(TOTALS);
    }
}
