package dev.vigil.live;

import java.time.Clock;
import java.util.function.BiConsumer;

/**
 * The daemon's notifications, off the processing path: one thread sends the pending deliveries recorded in the store
 * (queued with their finding, or failed and due again), so a target that hangs delays only other deliveries, by at
 * most its timeout, and never the events behind it. What it has not sent when vigil stops stays in the store and is
 * sent after the restart (a delivery cut short in its call is sent again: at least once).
 */
final class DeliveryWorker implements AutoCloseable {
    /**
     * How often the store is asked for due deliveries when the last look found none (retries fall due this way); a
     * finding recorded with queued deliveries wakes the worker at once.
     */
    static final long IDLE_MILLIS = 1000;
    private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);

    private final LivePipeline pipeline;
    private final Clock clock;
    private final BiConsumer<String, String> problems;
    private final Thread thread;
    private volatile boolean stopping;

    DeliveryWorker(LivePipeline pipeline, Clock clock, BiConsumer<String, String> problems) {
        this.pipeline = pipeline;
        this.clock = clock;
        this.problems = problems;
        pipeline.deliveriesOffPath(wake::release);
        this.thread = new Thread(this::run, "vigil-deliveries");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private volatile boolean idle;

    /** Waits (at most {@code waitMillis}) until a round finds nothing due: for runs that end when their input does. */
    void drain(long waitMillis) {
        long end = System.nanoTime() + waitMillis * 1_000_000L;
        idle = false;
        wake.release();
        while (!idle && thread.isAlive() && System.nanoTime() < end) pause(20);
    }

    private void run() {
        while (!stopping) {
            int tried;
            try {
                tried = pipeline.deliverDue(clock.instant());
                pipeline.commit();
            } catch (RuntimeException e) { // the store failed: the deliveries stay pending, tried again shortly
                problems.accept("deliveries", "pending notifications not sent this round (" + e.getClass().getSimpleName() + "); tried again");
                tried = 0;
                pause(5 * IDLE_MILLIS);
            }
            if (tried == 0) {
                idle = true;
                pause(IDLE_MILLIS);
            }
        }
    }

    private void pause(long ms) {
        try {
            if (Thread.currentThread() == thread) {
                if (wake.tryAcquire(ms, java.util.concurrent.TimeUnit.MILLISECONDS)) wake.drainPermits();
            } else {
                Thread.sleep(ms);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /**
     * Stops taking deliveries and waits up to {@code waitMillis} for the one in hand; a delivery still running then
     * is abandoned (its claim stays in progress, is found interrupted at the next start and sent again).
     */
    boolean stop(long waitMillis) throws InterruptedException {
        stopping = true;
        wake.release();
        thread.join(Math.max(1, waitMillis));
        return !thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        stop(5_000);
    }
}
