package dev.vigil.live;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One notification target's deliveries, off the processing path: one thread sends the pending deliveries to its
 * target recorded in the store (queued with their finding, or failed and due again), so a target that hangs delays
 * only its own deliveries, never another target's nor the events behind it. The catch-all worker (no target) sends
 * those to targets no longer in the policy. What a worker has not sent when vigil stops stays in the store and is
 * sent after the restart (a delivery cut short in its call is sent again: at least once). {@link DeliveryWorkers}
 * makes one per target.
 */
final class DeliveryWorker {
    /**
     * How often the store is asked for due deliveries when the last look found none (retries fall due this way); a
     * finding recorded with a delivery queued for the target wakes its worker at once.
     */
    static final long IDLE_MILLIS = 1000;
    /**
     * The catch-all's look when idle: its deliveries (to targets no longer in the policy) are rare and never urgent, and
     * on DynamoDB its look is a query per such target; a queued delivery to a target without a worker wakes it at once.
     */
    static final long CATCH_ALL_IDLE_MILLIS = 15_000;
    private final Semaphore wake = new Semaphore(0);

    private final LivePipeline pipeline;
    /** The target served, or null for the catch-all. */
    private final String target;
    /** The catch-all's: the targets that have a worker of their own. */
    private final Set<String> configured;
    private final Clock clock;
    private final BiConsumer<String, String> problems;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean idle;

    private DeliveryWorker(LivePipeline pipeline, String target, Set<String> configured, Clock clock, BiConsumer<String, String> problems) {
        this.pipeline = pipeline;
        this.target = target;
        this.configured = Set.copyOf(configured);
        this.clock = clock;
        this.problems = problems;
        this.thread = new Thread(this::run, target == null ? "vigil-deliveries-other" : "vigil-deliveries-" + target);
        thread.setDaemon(true);
    }

    /** The worker of {@code target}'s deliveries. */
    static DeliveryWorker of(LivePipeline pipeline, String target, Clock clock, BiConsumer<String, String> problems) {
        return new DeliveryWorker(pipeline, java.util.Objects.requireNonNull(target), Set.of(), clock, problems);
    }

    /** The worker of the deliveries to any target not in {@code configured}. */
    static DeliveryWorker catchAll(LivePipeline pipeline, Set<String> configured, Clock clock, BiConsumer<String, String> problems) {
        return new DeliveryWorker(pipeline, null, configured, clock, problems);
    }

    /** The target served, or null for the catch-all. */
    String target() {
        return target;
    }

    void start() {
        thread.start();
    }

    /** Looks at the store now rather than at the end of its idle wait. */
    void wake() {
        wake.release();
    }

    /** From now on {@link #idle()} is true only once a round has found nothing due. */
    void expectIdle() {
        idle = false;
        wake.release();
    }

    /** A round found nothing due since {@link #expectIdle}, or the thread ended. */
    boolean idle() {
        return idle || !thread.isAlive();
    }

    private void run() {
        String where = target == null ? "deliveries" : "deliveries to " + target;
        while (!stopping) {
            int tried;
            try {
                tried = target == null ? pipeline.deliverDueExcept(clock.instant(), configured, () -> stopping)
                        : pipeline.deliverDue(clock.instant(), target, () -> stopping);
                pipeline.commit();
            } catch (RuntimeException e) { // the store failed: the deliveries stay pending, tried again shortly
                problems.accept(where, "pending notifications not sent this round (" + e.getClass().getSimpleName() + "); tried again");
                tried = 0;
                pause(5 * IDLE_MILLIS);
            }
            if (tried == 0) {
                idle = true;
                pause(target == null ? CATCH_ALL_IDLE_MILLIS : IDLE_MILLIS);
            }
        }
    }

    private void pause(long ms) {
        try {
            if (wake.tryAcquire(ms, TimeUnit.MILLISECONDS)) wake.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** Stops taking deliveries; the one in hand is finished (see {@link #join}). */
    void stopTaking() {
        stopping = true;
        wake.release();
    }

    /**
     * Waits up to {@code waitMillis} for the delivery in hand; a delivery still running then is abandoned (its claim
     * stays in progress, is found interrupted at the next start and sent again).
     */
    boolean join(long waitMillis) throws InterruptedException {
        thread.join(Math.max(1, waitMillis));
        return !thread.isAlive();
    }
}
