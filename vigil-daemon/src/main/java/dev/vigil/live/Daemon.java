package dev.vigil.live;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Region;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;

/**
 * {@code vigil run}'s loop, on one thread: poll the queue (long poll), read appended lines of tailed files, and about
 * once a second fire due timers (and, without delivery workers, retry notifications). With {@link DeliveryWorkers}
 * notifications are sent on their threads (one per target), off this loop. {@link #stop} (SIGTERM) ends the loop after the batch in hand:
 * it is finished and recorded, its messages deleted, and nothing more is received; each target's delivery in hand is
 * finished within its timeout (all at once, not one after another), and deliveries not yet sent stay in the store for the next start.
 */
public final class Daemon {
    /**
     * A file to follow, the instance its lines come from (null when the lines name it) and that instance's region
     * (null: the runtime's home region, or the one the inventory knows for the instance: {@link LiveRuntime} fills it).
     */
    public record Tail(Path file, InstanceId instance, Region region) {
        public Tail(Path file, InstanceId instance) {
            this(file, instance, null);
        }
    }

    /**
     * The queue the loop polls (the SQS adapter, {@code dev.vigil.aws.sqs.SqsSource}, in production): the loop knows
     * only this, so that it holds no SDK type and its behaviour can be driven without one.
     */
    public interface Queue {
        /** Handles the next received batch; returns how many messages it held (0: the queue was found empty). */
        int pollOnce();

        /** Stops receiving, handles what was already received, waits for the deletes. */
        void close();
    }

    private final LivePipeline pipeline;
    private final Queue queue;
    private final List<FileTailer> tailers = new ArrayList<>();
    private final List<Path> tailed = new ArrayList<>();
    /** Where each tailed file was read up to, kept for the next start (null: not kept). */
    private TailPositions positions;
    private final Clock clock;
    private final boolean untilEmpty;
    private final BiConsumer<String, String> problems;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private DeliveryWorkers deliveries;
    /**
     * How long a stop waits for the deliveries in hand (each delivery has its own total timeout, 30 s by default; the
     * targets' workers are waited for together).
     */
    static final long DRAIN_MILLIS = 35_000;

    /**
     * @param queue null when only files are tailed
     * @param untilEmpty return once the queue has no message left (tests, one-off catch-up runs)
     */
    public Daemon(LivePipeline pipeline, Queue queue, List<Tail> tails, boolean tailFromStart, Clock clock, boolean untilEmpty,
                  BiConsumer<String, String> problems) {
        this.pipeline = pipeline;
        this.queue = queue;
        this.clock = clock;
        this.untilEmpty = untilEmpty;
        this.problems = problems;
        for (Tail t : tails) {
            LivePipeline.Tailed sink = pipeline.tailed(t.instance(), t.region()); // a chunk a fault cut short is handed in again
            tailers.add(new FileTailer(t.file(), tailFromStart, sink::process, problems));
            tailed.add(t.file());
        }
    }

    /**
     * The tailed files go on from where {@code kept} says an earlier run read them up to (a file it does not name starts
     * at its end), and their positions are written back to it as lines are taken: after each turn of the loop that moved
     * one, and at the stop. A crash between the pipeline taking lines and the write reads those lines again at the next
     * start (the actions they lead to are in the ledger, so none is applied twice); no line is skipped.
     */
    Daemon resumeTails(TailPositions kept) {
        this.positions = kept;
        for (int i = 0; i < tailers.size(); i++) tailers.get(i).resume(kept.get(tailed.get(i)));
        savePositions();
        return this;
    }

    private void savePositions() {
        if (positions == null) return;
        for (int i = 0; i < tailers.size(); i++) {
            TailPositions.Entry e = tailers.get(i).position();
            if (e != null) positions.put(tailed.get(i), e); // no file open (between a rename and the new file): the last one kept
        }
        positions.save();
    }

    /** Notifications go through {@code workers}, one thread per target, rather than on the loop. */
    Daemon deliverOffPath(DeliveryWorkers workers) {
        this.deliveries = workers;
        return this;
    }

    /** Runs until {@link #stop} (or, with untilEmpty, until the queue is empty and the deliveries due are sent). */
    public void run() {
        try {
            pipeline.start();
            if (deliveries != null) deliveries.start();
            long lastTick = 0;
            while (!stopping) {
                int got = queue != null ? queue.pollOnce() : 0;
                long read = 0;
                for (FileTailer t : tailers) read += t.poll();
                if (read > 0) savePositions();
                long now = clock.millis();
                if (now - lastTick >= 1000 || got == 0) {
                    tick();
                    lastTick = now;
                }
                // work a fault cut short (a claim held under another's lease, a tailed chunk kept) is not done: the queue is not empty yet
                boolean cutShort = pipeline.useCase().hasPending() || tailers.stream().anyMatch(FileTailer::holdsFailed);
                if (untilEmpty && got == 0 && read == 0 && !cutShort) break;
                if (got == 0 && read == 0 && cutShort) sleep(250);
                if (queue == null && read == 0) sleep(250);
            }
            if (queue != null) queue.close(); // what was received is handled, then deleted
            tick();
            if (untilEmpty && deliveries != null) deliveries.drain(DRAIN_MILLIS);
        } finally {
            if (deliveries != null) { // the deliveries in hand finish (bounded by their timeouts); pending ones stay in the store
                try {
                    deliveries.stop(DRAIN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            savePositions();
            for (FileTailer t : tailers) {
                try {
                    t.close();
                } catch (IOException ignored) {
                    // closing a read-only file
                }
            }
            stopped.countDown();
        }
    }

    /**
     * Timers, retries, housekeeping; a failure there (the store, or work a fault cut short that cannot be finished yet)
     * is said and the loop goes on: it is tried again at the next tick or message, never dropped.
     */
    private void tick() {
        try {
            pipeline.tick();
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
            if (!m.equals(lastTickError)) problems.accept("tick", "not finished, tried again: " + e.getClass().getSimpleName() + m);
            lastTickError = m;
            return;
        }
        lastTickError = null;
    }

    private String lastTickError;

    /** Asks the loop to end after the batch in hand, and waits for it (at most {@code waitMillis}). */
    public boolean stop(long waitMillis) throws InterruptedException {
        stopping = true;
        return stopped.await(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
