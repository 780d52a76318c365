package dev.vigil.live;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The daemon's counters, written by the processing loop and read by {@code /metrics} in the Prometheus text format
 * (version 0.0.4). Latency from a message received to its first AWS call (sent, and answered) is kept in rings of
 * the last 65,536 samples, from which the quantiles are computed when scraped.
 */
public final class Metrics {
    private final LongAdder messages = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final Map<String, LongAdder> findings = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong queueLagMillis = new AtomicLong();
    private final AtomicLong lastPollMillis = new AtomicLong();
    private final LatencyRing sent = new LatencyRing();
    private final LatencyRing answered = new LatencyRing();

    public void message() {
        messages.increment();
    }

    public void event() {
        events.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void finding(Finding f) {
        findings.computeIfAbsent(f.severity().label(), k -> new LongAdder()).increment();
        for (ActionResult a : f.actions()) {
            actions.computeIfAbsent(a.type() + '\u0000' + a.status().label(), k -> new LongAdder()).increment();
        }
    }

    public void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public void queueLag(long millis) {
        queueLagMillis.set(Math.max(0, millis));
    }

    public void polled(long epochMillis) {
        lastPollMillis.set(epochMillis);
    }

    public long lastPollMillis() {
        return lastPollMillis.get();
    }

    /** From a message received to its first AWS call sent (the request about to go on the wire). */
    public void firstCallSent(long nanos) {
        sent.add(nanos);
    }

    /** From a message received to the answer of its first response's AWS call. */
    public void firstCallAnswered(long nanos) {
        answered.add(nanos);
    }

    /** The q-quantile (0..1) of the received-to-sent latencies in nanoseconds, or -1 when none. */
    public long latencyQuantile(double q) {
        return sent.quantile(q);
    }

    public long latencyCount() {
        return sent.count();
    }

    public long events() {
        return events.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long messages() {
        return messages.sum();
    }

    public String prometheus() {
        StringBuilder b = new StringBuilder(1024);
        counter(b, "vigil_messages_total", "Queue messages processed.", messages.sum());
        counter(b, "vigil_events_total", "Events processed.", events.sum());
        counter(b, "vigil_duplicate_events_total", "Events skipped as already processed.", duplicates.sum());
        b.append("# HELP vigil_findings_total Findings reported, by severity.\n# TYPE vigil_findings_total counter\n");
        new TreeMap<>(findings).forEach((k, v) -> b.append("vigil_findings_total{severity=\"").append(k).append("\"} ").append(v.sum()).append('\n'));
        b.append("# HELP vigil_actions_total Responses, by type and status.\n# TYPE vigil_actions_total counter\n");
        new TreeMap<>(actions).forEach((k, v) -> {
            String[] p = k.split("\u0000", 2);
            b.append("vigil_actions_total{type=\"").append(p[0]).append("\",status=\"").append(p[1]).append("\"} ").append(v.sum()).append('\n');
        });
        b.append("# HELP vigil_errors_total Problems (bad input, rule errors, AWS errors), by kind.\n# TYPE vigil_errors_total counter\n");
        new TreeMap<>(errors).forEach((k, v) -> b.append("vigil_errors_total{kind=\"").append(k).append("\"} ").append(v.sum()).append('\n'));
        b.append("# HELP vigil_queue_lag_seconds Age of the newest message received when it was received.\n# TYPE vigil_queue_lag_seconds gauge\n");
        b.append("vigil_queue_lag_seconds ").append(queueLagMillis.get() / 1000.0).append('\n');
        summary(b, "vigil_first_call_seconds", "From a message received to its first AWS call sent.", sent);
        summary(b, "vigil_first_call_answered_seconds", "From a message received to its first AWS call answered.", answered);
        return b.toString();
    }

    private static void summary(StringBuilder b, String name, String help, LatencyRing ring) {
        b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" summary\n");
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            long v = ring.quantile(q);
            b.append(name).append("{quantile=\"").append(q).append("\"} ").append(v < 0 ? "NaN" : String.valueOf(v / 1e9)).append('\n');
        }
        b.append(name).append("_count ").append(ring.count()).append('\n');
    }

    /** The last 65,536 latencies; quantiles computed when asked. */
    private static final class LatencyRing {
        private final long[] ring = new long[1 << 16];
        private long count;

        synchronized void add(long nanos) {
            ring[(int) (count++ & (ring.length - 1))] = nanos;
        }

        synchronized long count() {
            return count;
        }

        synchronized long quantile(double q) {
            int n = (int) Math.min(count, ring.length);
            if (n == 0) return -1;
            long[] copy = Arrays.copyOf(ring, n);
            Arrays.sort(copy);
            return copy[Math.max(0, Math.min(n - 1, (int) Math.ceil(q * n) - 1))];
        }
    }

    private static void counter(StringBuilder b, String name, String help, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(v).append('\n');
    }
}
