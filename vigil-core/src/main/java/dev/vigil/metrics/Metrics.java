package dev.vigil.metrics;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The daemon's metrics, exposed through Micrometer's Prometheus registry (the Prometheus Java client underneath) in
 * the text format 0.0.4. Counters keep their names ({@code vigil_events_total}, {@code vigil_findings_total{severity}},
 * ...); the two latencies, from a message received to its first AWS call sent and answered, are histograms
 * ({@code _bucket}, {@code _sum}, {@code _count}, and {@code _max}); JVM and process metrics ({@code jvm_*},
 * {@code process_*}, {@code system_*}) come with them.
 *
 * <p>The processing loop writes plain adders; the registry (about 190 ms of class loading on a cold JVM) is built on
 * the first {@link #prometheus} call, so a Lambda function that never serves {@code /metrics} does not pay for it.
 * {@code dev.vigil.http.HttpEndpoints} builds it when it starts. The last 65,536 latencies are kept exactly: for
 * {@link #latencyQuantile}, for {@code vigil_first_call_quantile_seconds} and
 * {@code vigil_first_call_answered_quantile_seconds} (what the live benchmark reads), and to fill the histograms
 * when the registry is built after samples were taken (only the last 65,536 of those then).
 */
public final class Metrics implements AutoCloseable {
    /** Histogram buckets of the latencies, in seconds: 1 ms to 10 s. */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LongAdder messages = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final Map<String, LongAdder> findings = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outsideRegions = new ConcurrentHashMap<>();
    private final AtomicLong queueLagMillis = new AtomicLong();
    private final AtomicLong lastPollMillis = new AtomicLong();
    private final Latency sent = new Latency();
    private final Latency answered = new Latency();
    private PrometheusMeterRegistry registry;
    private JvmGcMetrics gc;

    public void message() {
        messages.increment();
    }

    public void event() {
        events.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    /** An event of a region the daemon does not watch (not in its --region list, or not enabled): skipped. */
    public void outsideRegions(String region) {
        outsideRegions.computeIfAbsent(region, k -> new LongAdder()).increment();
    }

    /** Events skipped as of regions not watched, all regions together. */
    public long outsideRegions() {
        return outsideRegions.values().stream().mapToLong(LongAdder::sum).sum();
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

    private final AtomicLong lastReceiveMillis = new AtomicLong();
    private volatile boolean queueSource;

    /** A queue is one of the daemon's sources: health then needs its receives to succeed. */
    public void queueSource() {
        queueSource = true;
    }

    public boolean hasQueueSource() {
        return queueSource;
    }

    /** A ReceiveMessage call answered (with messages or none). */
    public void received(long epochMillis) {
        lastReceiveMillis.set(epochMillis);
    }

    public long lastReceiveMillis() {
        return lastReceiveMillis.get();
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

    /** The Prometheus text format (0.0.4), JVM and process metrics included. */
    public String prometheus() {
        return registry().scrape();
    }

    private synchronized PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry r = registry;
        if (r == null) {
            r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            counter(r, "vigil.messages", "Queue messages processed.", messages);
            counter(r, "vigil.events", "Events processed.", events);
            counter(r, "vigil.duplicate.events", "Events skipped as already processed.", duplicates);
            Gauge.builder("vigil.queue.lag", queueLagMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                    .description("Age of the newest message received when it was received.").register(r);
            sent.register(r, "vigil.first.call", "From a message received to its first AWS call sent.", "received-to-sent");
            answered.register(r, "vigil.first.call.answered", "From a message received to its first AWS call answered.", "received-to-answered");
            gc = new JvmGcMetrics();
            gc.bindTo(r);
            new JvmMemoryMetrics().bindTo(r);
            new JvmThreadMetrics().bindTo(r);
            new ClassLoaderMetrics().bindTo(r);
            new JvmInfoMetrics().bindTo(r);
            new ProcessorMetrics().bindTo(r);
            new UptimeMetrics().bindTo(r);
            new FileDescriptorMetrics().bindTo(r);
            registry = r;
        }
        // counters by label: one series per value seen so far (severities, response types and statuses, problem kinds)
        for (var e : findings.entrySet()) {
            FunctionCounter.builder("vigil.findings", e.getValue(), LongAdder::sum).description("Findings reported, by severity.")
                    .tag("severity", e.getKey()).register(r);
        }
        for (var e : actions.entrySet()) {
            String[] p = e.getKey().split("\u0000", 2);
            FunctionCounter.builder("vigil.actions", e.getValue(), LongAdder::sum).description("Responses, by type and status.")
                    .tag("type", p[0]).tag("status", p[1]).register(r);
        }
        for (var e : outsideRegions.entrySet()) {
            FunctionCounter.builder("vigil.events.outside.regions", e.getValue(), LongAdder::sum)
                    .description("Events skipped: their region is not among the regions watched, by region.").tag("region", e.getKey()).register(r);
        }
        for (var e : errors.entrySet()) {
            FunctionCounter.builder("vigil.errors", e.getValue(), LongAdder::sum).description("Problems (bad input, rule errors, AWS errors), by kind.")
                    .tag("kind", e.getKey()).register(r);
        }
        return r;
    }

    private static void counter(PrometheusMeterRegistry r, String name, String help, LongAdder a) {
        FunctionCounter.builder(name, a, LongAdder::sum).description(help).register(r);
    }

    /** Stops the GC notifications the JVM metrics listen to. */
    @Override
    public synchronized void close() {
        if (gc != null) gc.close();
        if (registry != null) registry.close();
    }

    /** The last 65,536 latencies (quantiles computed when asked), and the histogram once the registry exists. */
    private static final class Latency {
        private final long[] ring = new long[1 << 16];
        private long count;
        private Timer timer;

        synchronized void add(long nanos) {
            ring[(int) (count++ & (ring.length - 1))] = nanos;
            if (timer != null) timer.record(nanos, TimeUnit.NANOSECONDS);
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

        synchronized void register(PrometheusMeterRegistry r, String name, String help, String what) {
            Duration[] slos = Arrays.stream(BUCKETS).mapToObj(s -> Duration.ofNanos((long) (s * 1e9))).toArray(Duration[]::new);
            timer = Timer.builder(name).description(help).serviceLevelObjectives(slos).register(r);
            int n = (int) Math.min(count, ring.length);
            for (int i = 0; i < n; i++) timer.record(ring[i], TimeUnit.NANOSECONDS);
            for (double q : new double[] {0.5, 0.9, 0.99}) {
                Gauge.builder(name + ".quantile", this, l -> {
                    long v = l.quantile(q);
                    return v < 0 ? Double.NaN : v / 1e9;
                }).baseUnit("seconds").tag("quantile", String.valueOf(q))
                        .description("Exact quantiles of the last 65,536 " + what + " latencies.").register(r);
            }
        }
    }
}
