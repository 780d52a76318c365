package dev.vigil.output;

import dev.vigil.core.finding.Finding;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes findings on a thread of its own, in the order they were reported: replay's engine hands a finding over
 * and goes on with the next record while the text is made and written. The summary waits for every finding before
 * it, then is written on the caller's thread. A failure to write is rethrown to the caller at its next call.
 */
public final class AsyncReportWriter implements ReportWriter {
    private static final int BATCH = 64;
    private static final Finding[] END = new Finding[0];

    private final ReportWriter target;
    private final BlockingQueue<Finding[]> queue = new ArrayBlockingQueue<>(8);
    private final Thread worker;
    private volatile Throwable failure;
    private Finding[] batch = new Finding[BATCH];
    private int n;
    private boolean ended;

    private AsyncReportWriter(ReportWriter target) {
        this.target = target;
        this.worker = Thread.ofPlatform().daemon().name("write findings").unstarted(this::pump);
        worker.start();
    }

    /** {@code target}'s findings written on another thread; its summary on the caller's, after them. */
    public static AsyncReportWriter of(ReportWriter target) {
        return new AsyncReportWriter(target);
    }

    private void pump() {
        try {
            while (true) {
                Finding[] items = queue.take();
                if (items == END) break;
                for (Finding f : items) {
                    if (f == null) break;
                    target.finding(f);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            queue.clear(); // unblock the caller; it sees the failure at its next call
        } finally {
            dev.vigil.decode.WorkerCpu.record("write");
        }
    }

    @Override
    public void finding(Finding f) {
        check();
        batch[n++] = f;
        if (n == BATCH) flush();
    }

    @Override
    public void summary(RunSummary s) {
        if (!ended) {
            ended = true;
            flush();
            put(END);
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing findings", e);
            }
        }
        check();
        target.summary(s);
    }

    private void flush() {
        if (n == 0) return;
        Finding[] full = batch;
        batch = new Finding[BATCH];
        n = 0;
        put(full);
    }

    private void put(Finding[] items) {
        try {
            while (!queue.offer(items, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing findings", e);
        }
    }

    private void check() {
        Throwable t = failure;
        if (t == null) return;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }
}
