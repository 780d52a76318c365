package dev.vigil.replay;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.decode.DecodeListener;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Decoding on a thread of its own, ahead of the engine: the decoder's calls (events, errors, inputs, and progress)
 * are handed over in batches, in the order they were made, and replayed on the caller's thread to the real
 * listener. The engine sees exactly the sequence it would see decoding on its own thread, so findings, problems and
 * their order are the same; only the work is split, decoding (and tokenising) on one core while the policies run
 * on another. A bounded queue keeps memory flat. A failure on either side stops both and is rethrown to the caller.
 */
final class DecodeAhead {
    /** The decoding work: call {@code out} as the decoder would, and {@code onMain} for what must run in order on the caller's thread. */
    interface Body {
        void run(DecodeListener out, java.util.function.Consumer<Runnable> onMain);
    }

    private static final int BATCH = 128;
    private static final Object[] END = new Object[0];

    private record Error(String where, String message) {}

    private record Input(String name) {}

    private record Failure(Throwable error) {}

    private final BlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(4);
    private volatile boolean stopped;
    private Thread worker;
    private Object[] batch = new Object[BATCH];
    private int n;

    private DecodeAhead() {}

    /** Runs {@code body} on a decoding thread and its calls on this one, to {@code target}; returns when both are done. */
    static void run(Body body, DecodeListener target) {
        new DecodeAhead().drive(body, target);
    }

    private void drive(Body body, DecodeListener target) {
        DecodeListener out = new DecodeListener() {
            @Override
            public void onEvent(SecurityEvent event) {
                add(event);
            }

            @Override
            public void onError(String where, String message) {
                add(new Error(where, message));
            }

            @Override
            public void onInput(String name) {
                add(new Input(name));
            }
        };
        worker = Thread.ofPlatform().daemon().name("decode").unstarted(() -> {
            try {
                body.run(out, this::add);
            } catch (Stopped s) {
                return;
            } catch (Throwable t) {
                add(new Failure(t));
            }
            try {
                flush();
                dev.vigil.decode.WorkerCpu.record("decode");
                put(END);
            } catch (Stopped s) {
                // the caller gave up
            }
        });
        worker.start();
        boolean done = false;
        try {
            while (true) {
                Object[] items = take();
                if (items == END) break;
                for (Object o : items) {
                    if (o == null) break;
                    if (o instanceof SecurityEvent e) target.onEvent(e);
                    else if (o instanceof Error e) target.onError(e.where(), e.message());
                    else if (o instanceof Input i) target.onInput(i.name());
                    else if (o instanceof Runnable r) r.run();
                    else if (o instanceof Failure f) rethrow(f.error());
                }
            }
            done = true;
        } finally {
            if (!done) {
                stopped = true;
                queue.clear(); // the worker, if blocked putting, sees the flag within its wait
            }
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void add(Object item) {
        if (stopped) throw new Stopped(); // also out of a decoder's catch-all: nothing more is wanted
        if (Thread.currentThread() != worker) throw new IllegalStateException("decoder call from " + Thread.currentThread().getName() + ", not the decoding thread");
        batch[n++] = item;
        if (n == BATCH) flush();
    }

    private void flush() {
        if (n == 0) return;
        Object[] full = batch;
        batch = new Object[BATCH];
        n = 0;
        put(full);
    }

    private void put(Object[] items) {
        try {
            while (!queue.offer(items, 100, TimeUnit.MILLISECONDS)) {
                if (stopped) throw new Stopped();
            }
            if (stopped) throw new Stopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    private Object[] take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
        }
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof java.lang.Error e) throw e;
        throw new IllegalStateException(t);
    }

    /** Thrown on the decoding thread when the caller has stopped listening. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
