package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big text log is read and parsed on a thread of its own (past the first lines): the listener hears exactly what it
 * hears when everything is read on its own thread, in the same order, and only ever on its own thread.
 */
class ReadAheadTest {
    private static final long SEED = Long.getLong("vigil.seed", System.nanoTime());

    @TempDir
    Path dir;

    private static final DecodeOptions OPTIONS = new DecodeOptions(n -> true, 2024, java.time.ZoneOffset.UTC)
            .withLimits(new DecodeOptions.Limits(300, 1 << 20, 1 << 20, 100));

    /** Good sshd lines among blank lines, comments, lines that are no log line, bad dates and lines past the limit. */
    private Path log(Random r, int lines) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            int k = r.nextInt(100);
            if (k < 85) {
                b.append(String.format("May %2d %02d:%02d:%02d web1 sshd[%d]: Failed password for root from 192.0.2.%d port %d ssh2",
                        1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60), 1000 + r.nextInt(50), r.nextInt(256), 1024 + r.nextInt(60000)));
            } else if (k < 88) {
                b.append("");
            } else if (k < 90) {
                b.append("# a comment");
            } else if (k < 93) {
                b.append("no log line ").append(r.nextInt());
            } else if (k < 95) {
                b.append("Feb 30 10:00:00 web1 sshd[1]: Invalid user a from 192.0.2.1"); // no such date: an error
            } else if (k < 97) {
                b.append("May  1 10:00:00 web1 sshd[1]: ").append("x".repeat(300 + r.nextInt(1000))); // past the limit
            } else {
                b.append("May  1 10:00:00 web1 sshd[2]: caf\u00e9 \uD83D\uDE00 Invalid user \u00fc from 192.0.2.7");
            }
            b.append(r.nextInt(10) == 0 ? "\r\n" : "\n");
        }
        Path p = dir.resolve("auth-" + lines + ".log");
        Files.writeString(p, b.toString(), StandardCharsets.UTF_8);
        return p;
    }

    /** Every call, in order, with the thread it came on. */
    private static final class Calls implements DecodeListener {
        final List<String> calls = new ArrayList<>();
        final List<SecurityEvent> events = new ArrayList<>();
        final List<String> threads = new ArrayList<>();

        @Override
        public void onEvent(SecurityEvent event) {
            SshLogLine l = (SshLogLine) event;
            calls.add("event " + l.origin().describe() + " " + l.time() + " " + l.host() + " " + l.program() + " " + l.pid() + " " + l.message());
            events.add(event);
            thread();
        }

        @Override
        public void onError(String where, String message) {
            calls.add("error " + where + " " + message);
            thread();
        }

        @Override
        public void onInput(String name) {
            calls.add("input " + name);
            thread();
        }

        private void thread() {
            String t = Thread.currentThread().getName();
            if (threads.isEmpty() || !threads.get(threads.size() - 1).equals(t)) threads.add(t);
        }
    }

    private static Calls decode(InputDecoder d, Path p) {
        Calls c = new Calls();
        d.decode(p, c);
        return c;
    }

    @Test
    void readingAheadChangesNothingTheListenerHears() throws IOException {
        Random r = new Random(SEED);
        Path p = log(r, 12_000 + r.nextInt(3_000));
        InputDecoder decoder = new InputDecoder(OPTIONS);
        Calls here = decode(decoder.readingAheadAfter(Integer.MAX_VALUE), p);
        String me = Thread.currentThread().getName();
        for (int after : new int[] {0, 1, 4096, 7_777}) {
            Calls ahead = decode(decoder.readingAheadAfter(after), p);
            assertThat(ahead.calls).as("read ahead after %d lines (seed %d)", after, SEED).isEqualTo(here.calls);
            assertThat(ahead.threads).as("the listener's thread only").containsExactly(me);
        }
        assertThat(here.calls).anyMatch(c -> c.contains("longer than the limit of 300"));
        assertThat(here.calls).anyMatch(c -> c.contains("invalid date"));
        assertThat(here.calls).anyMatch(c -> c.contains("more lines that are not log lines"));
        assertThat(here.calls).anyMatch(c -> c.contains("caf\u00e9 \uD83D\uDE00"));
    }

    @Test
    void eventsArePreparedOnTheReadingThread() throws IOException {
        Path p = log(new Random(SEED), 10_000);
        InputDecoder decoder = new InputDecoder(OPTIONS).preparing(e -> e instanceof SshLogLine l ? l.withPrepared(Thread.currentThread().getName()) : e);
        Calls plain = decode(new InputDecoder(OPTIONS).readingAheadAfter(0), p);
        Calls prepared = decode(decoder.readingAheadAfter(100), p);
        assertThat(prepared.events).isEqualTo(plain.events); // what was prepared is not part of the line
        List<Object> made = prepared.events.stream().map(e -> ((SshLogLine) e).prepared()).toList();
        long firstLines = prepared.events.stream().filter(e -> e.origin().line() <= 100).count();
        assertThat(made.subList(0, (int) firstLines)).containsOnlyNulls(); // read on the caller's thread: nothing prepared
        assertThat(made.subList((int) firstLines, made.size())).isNotEmpty().allMatch(m -> String.valueOf(m).startsWith("decode "));
    }

    @Test
    void aListenerThatThrowsStopsTheReader() throws Exception {
        Path p = log(new Random(SEED), 20_000);
        List<String> errors = new ArrayList<>();
        int[] events = {0};
        new InputDecoder(OPTIONS).readingAheadAfter(100).decode(p, new DecodeListener() {
            @Override
            public void onEvent(SecurityEvent event) {
                if (++events[0] == 5_000) throw new IllegalStateException("a bug in the listener");
            }

            @Override
            public void onError(String where, String message) {
                errors.add(where + ": " + message);
            }
        });
        assertThat(events[0]).isEqualTo(5_000); // nothing after the throw
        assertThat(errors).last().isEqualTo(p + ": cannot decode: a bug in the listener");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (readers() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(readers()).as("reading threads left").isZero();
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("decode ") && t.isAlive()).count();
    }

    @Test
    void progressIsToldOnTheListenersThreadUpToTheWholeFile() throws IOException {
        Path p = log(new Random(SEED), 20_000);
        List<Long> told = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        new InputDecoder(OPTIONS).readingAheadAfter(100).decode(p, new Calls(), n -> {
            told.add(n);
            threads.add(Thread.currentThread().getName());
        });
        assertThat(threads).containsOnly(Thread.currentThread().getName());
        assertThat(told).isSorted().last().isEqualTo(Files.size(p));
    }
}
