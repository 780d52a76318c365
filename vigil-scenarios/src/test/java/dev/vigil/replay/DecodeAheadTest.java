package dev.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.decode.DecodeListener;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Decoding ahead on another thread must not change what the engine sees: the same calls, in the same order, errors
 * and progress included; and a failure on either side stops both and reaches the caller.
 */
class DecodeAheadTest {
    /** A stand-in event: only its identity and order matter here. */
    private static SecurityEvent event(int i) {
        return new dev.vigil.core.event.SshLogLine(null, java.time.Instant.ofEpochSecond(i), null, null,
                dev.vigil.core.event.Origin.line("f", i + 1), null, "host", "sshd", 1, "line " + i, false);
    }

    /** What a listener saw, as text, in order. */
    private static final class Log implements DecodeListener {
        final List<String> seen = new ArrayList<>();
        final List<SecurityEvent> events = new ArrayList<>();
        final Thread caller = Thread.currentThread();
        boolean offThread;

        @Override
        public void onEvent(SecurityEvent e) {
            offThread |= Thread.currentThread() != caller;
            events.add(e);
            seen.add("event " + ((dev.vigil.core.event.SshLogLine) e).message());
        }

        @Override
        public void onError(String where, String message) {
            offThread |= Thread.currentThread() != caller;
            seen.add("error " + where + " " + message);
        }

        @Override
        public void onInput(String name) {
            offThread |= Thread.currentThread() != caller;
            seen.add("input " + name);
        }
    }

    @Test
    void theCallerSeesTheDecodersCallsInOrderOnItsOwnThread() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int n = 5_000 + r.nextInt(5_000); // many batches, the last one partial
        List<SecurityEvent> made = new ArrayList<>();
        Log direct = new Log();
        Log ahead = new Log();
        List<String> plan = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(20);
            plan.add(k == 0 ? "error" : k == 1 ? "input" : k == 2 ? "main" : "event");
            made.add(event(i));
        }
        DecodeAhead.Body body = (out, onMain) -> {
            for (int i = 0; i < n; i++) {
                switch (plan.get(i)) {
                    case "error" -> out.onError("f:" + i, "bad " + i);
                    case "input" -> out.onInput("file " + i);
                    case "main" -> {
                        int at = i;
                        Log target = out == direct ? direct : ahead;
                        onMain.accept(() -> target.seen.add("progress " + at));
                    }
                    default -> out.onEvent(made.get(i));
                }
            }
        };
        body.run(direct, Runnable::run);
        DecodeAhead.run(body, ahead);
        assertThat(ahead.seen).as("seed " + seed).isEqualTo(direct.seen);
        assertThat(ahead.events).as("the same objects, seed " + seed).containsExactlyElementsOf(direct.events);
        assertThat(ahead.offThread).as("every call on the caller's thread").isFalse();
        assertThat(ahead.events).isNotEmpty();
    }

    @Test
    void aFailureWhileDecodingReachesTheCallerAfterWhatCameBeforeIt() {
        Log log = new Log();
        assertThatThrownBy(() -> DecodeAhead.run((out, onMain) -> {
            for (int i = 0; i < 1000; i++) out.onEvent(event(i));
            throw new IllegalStateException("decoder broke");
        }, log)).isInstanceOf(IllegalStateException.class).hasMessage("decoder broke");
        assertThat(log.events).hasSize(1000);
    }

    @Test
    void aFailureOfTheCallerStopsTheDecoder() throws Exception {
        int[] made = {0};
        Thread[] worker = {null};
        DecodeListener failing = new DecodeListener() {
            @Override
            public void onEvent(SecurityEvent e) {
                throw new IllegalArgumentException("engine broke");
            }

            @Override
            public void onError(String where, String message) {}
        };
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> DecodeAhead.run((out, onMain) -> {
            worker[0] = Thread.currentThread();
            for (int i = 0; i < 10_000_000; i++) { // would take long: it must stop soon after the caller fails
                out.onEvent(event(i));
                made[0]++;
            }
        }, failing)).isInstanceOf(IllegalArgumentException.class).hasMessage("engine broke");
        assertThat(worker[0].isAlive()).as("the decoding thread has ended").isFalse();
        assertThat(made[0]).as("events decoded after the caller failed").isLessThan(100_000);
        assertThat(System.nanoTime() - t0).isLessThan(10_000_000_000L);
    }

    @Test
    void aCallFromAnotherThreadIsRefused() {
        Log log = new Log();
        assertThatThrownBy(() -> DecodeAhead.run((out, onMain) -> {
            Thread t = new Thread(() -> out.onEvent(event(0)));
            RuntimeException[] seen = {null};
            t.setUncaughtExceptionHandler((th, e) -> seen[0] = (RuntimeException) e);
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            throw seen[0];
        }, log)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not the decoding thread");
        assertThat(log.events).isEmpty();
    }
}
