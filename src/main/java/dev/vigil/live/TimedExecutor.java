package dev.vigil.live;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.response.Executor;

/**
 * Measures, for each message, the time from the receipt of its batch to the answer of its first AWS call: an upper
 * bound of the "received to first call sent". The processing loop is one thread, so the mark is a plain field.
 */
final class TimedExecutor implements Executor {
    private final Executor delegate;
    private final Metrics metrics;
    private long receivedNanos = -1;

    TimedExecutor(Executor delegate, Metrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    void received(long nanos) {
        receivedNanos = nanos;
    }

    @Override
    public ActionResult execute(ActionPlan plan, Finding finding, boolean dryRun) {
        ActionResult r = delegate.execute(plan, finding, dryRun);
        if (receivedNanos >= 0 && !"notify".equals(plan.type())) {
            metrics.firstCallLatency(System.nanoTime() - receivedNanos);
            receivedNanos = -1;
        }
        return r;
    }
}
