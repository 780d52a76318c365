package dev.vigil.aws;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.response.Executor;
import dev.vigil.metrics.Metrics;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Measures, for each message, the time from the receipt of its batch to its first AWS call: sent (the SDK's
 * {@code beforeTransmission}, the request about to go on the wire: the figure) and answered (the executor
 * returned). The mark is armed when a message is handed to the pipeline and taken by the first call, whichever thread
 * makes it; a message that makes no AWS call (dry run, exempt, no response) records nothing.
 */
public final class TimedExecutor implements Executor {
    private final Executor delegate;
    private final Metrics metrics;
    private final AtomicLong armed;
    private long receivedNanos = -1;

    /** The mark shared by the executor and the SDK interceptor on the EC2 clients, made before either. */
    public static final class Mark {
        private final AtomicLong armed = new AtomicLong(-1);
        private final Metrics metrics;

        public Mark(Metrics metrics) {
            this.metrics = metrics;
        }

        /** Records the first request sent after a message's receipt. */
        public ExecutionInterceptor interceptor() {
            return new ExecutionInterceptor() {
                @Override
                public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                    long r = armed.getAndSet(-1);
                    if (r >= 0) metrics.firstCallSent(System.nanoTime() - r);
                }
            };
        }
    }

    public TimedExecutor(Executor delegate, Metrics metrics, Mark mark) {
        this.delegate = delegate;
        this.metrics = metrics;
        this.armed = mark.armed;
    }

    /** A message of a batch received at {@code nanos} ({@link System#nanoTime}) is about to be handled. */
    public void received(long nanos) {
        receivedNanos = nanos;
        armed.set(nanos);
    }

    @Override
    public dev.vigil.core.response.ChangeCheck check(ActionPlan plan, Finding finding) {
        return delegate.check(plan, finding);
    }

    @Override
    public ActionResult execute(ActionPlan plan, Finding finding, boolean dryRun) {
        boolean sentBefore = armed.get() < 0;
        ActionResult r = delegate.execute(plan, finding, dryRun);
        if (receivedNanos >= 0 && !sentBefore && armed.get() < 0) { // this execution made the message's first call
            metrics.firstCallAnswered(System.nanoTime() - receivedNanos);
            receivedNanos = -1;
        }
        return r;
    }
}
