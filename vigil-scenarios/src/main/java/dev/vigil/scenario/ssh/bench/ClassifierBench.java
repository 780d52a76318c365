package dev.vigil.scenario.ssh.bench;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.SshLogLine;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.Params;
import dev.vigil.scenario.ssh.SshIntrusion;
import dev.vigil.scenario.ssh.SshIntrusionDetector;
import dev.vigil.scenario.ssh.auth.AuthEvent;
import dev.vigil.scenario.ssh.auth.SshAuthClassifier;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Throughput of the SSH scenario, for anyone to run (no timed unit tests):
 * <pre>
 * java -cp target/vigil.jar dev.vigil.scenario.ssh.bench.ClassifierBench [--lines N] [--rounds R]
 * java -cp target/vigil.jar dev.vigil.scenario.ssh.bench.ClassifierBench --write auth.log [--lines N] [--seed S]
 * java -cp target/vigil.jar dev.vigil.scenario.ssh.bench.ClassifierBench --read auth.log [--rounds R]
 * java -cp target/vigil.jar dev.vigil.scenario.ssh.bench.ClassifierBench --once auth.log
 * </pre>
 * {@code --once} streams the file through split+detect a single time, cold, as a whole process would (time it with
 * {@code time} beside {@code fail2ban-regex auth.log /etc/fail2ban/filter.d/sshd.conf}). {@code --seed} (default 42, the
 * bench's log) gives another log of the same shape: the launcher's AOT training run replays one (seed 7), not the bench's.
 * Lines are held in memory (no disk in the timing); after two warm-up rounds each round measures: {@code classify}
 * (the classifier on split messages), {@code split+classify} (syslog split too), and {@code split+detect} (split,
 * event record, and the whole ssh-intrusion detector with default parameters: sessions, windows per instance and
 * source, findings built). The best and median round are printed.
 */
public final class ClassifierBench {
    private ClassifierBench() {}

    public static void main(String[] args) throws IOException {
        long lines = 1_000_000;
        int rounds = 5;
        Path write = null;
        Path read = null;
        Path once = null;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--write" -> write = Path.of(args[++i]);
                case "--read" -> read = Path.of(args[++i]);
                case "--once" -> once = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: ClassifierBench [--lines N] [--rounds R] [--seed S] [--write FILE | --read FILE]");
                    System.exit(2);
                }
            }
        }
        PrintStream out = System.out;
        if (write != null) {
            try (BufferedWriter w = Files.newBufferedWriter(write, StandardCharsets.UTF_8)) {
                long[] n = {0};
                new SyntheticAuthLog(seed, "ip-10-0-1-23").generate(lines, l -> {
                    try {
                        w.write(l);
                        w.write('\n');
                        n[0]++;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                out.println("wrote " + n[0] + " lines to " + write);
            }
            return;
        }
        if (once != null) {
            once(out, once);
            return;
        }
        List<String> raw = new ArrayList<>();
        if (read != null) {
            try (var s = Files.lines(read, StandardCharsets.UTF_8)) {
                s.forEach(raw::add);
            }
        } else {
            new SyntheticAuthLog(seed, "ip-10-0-1-23").generate(lines, raw::add);
        }
        String[] text = raw.toArray(String[]::new);
        raw = null;
        out.printf("lines: %,d (%s)%n", text.length, read == null ? "synthetic" : read);
        String[] programs = new String[text.length];
        String[] messages = new String[text.length];
        for (int i = 0; i < text.length; i++) {
            BenchLine b = BenchLine.parse(text[i]);
            programs[i] = b == null ? null : b.program();
            messages[i] = b == null ? text[i] : b.message();
        }
        run(out, "classify", rounds, text.length, () -> classify(programs, messages));
        run(out, "split+classify", rounds, text.length, () -> splitClassify(text));
        long[] last = new long[3];
        run(out, "split+detect", rounds, text.length, () -> detect(text, last));
        out.printf("split+detect: findings %,d, failures %,d, unclassified sshd lines %,d%n", last[0], last[1], last[2]);
        Runtime rt = Runtime.getRuntime();
        out.printf("heap in use after the runs: %,d MB (the lines themselves included)%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
    }

    /** One cold pass over a file, streamed: split, event, detector. */
    private static void once(PrintStream out, Path file) throws IOException {
        long t0 = System.nanoTime();
        SshIntrusionDetector d = (SshIntrusionDetector) new SshIntrusion().create(Params.empty("bench", "params"));
        BenchContext ctx = new BenchContext();
        Origin origin = Origin.line(file.toString(), 0);
        long n = 0;
        try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                BenchLine b = BenchLine.parse(line);
                if (b == null) continue;
                ctx.now = YEAR.plusSeconds(b.secondOfYear());
                d.onEvent(new SshLogLine(null, ctx.now, null, null, origin, INSTANCE, b.host(), b.program(), b.pid(), b.message(), false), ctx);
            }
        }
        d.onFinish(ctx.now, ctx);
        double s = (System.nanoTime() - t0) / 1e9;
        out.printf("once: %,d lines in %.2f s = %,.0f lines/s; findings %,d %s, failures %,d, unclassified %,d%n", n, s, n / s, ctx.findings,
                ctx.byRule, d.stats().failures(), d.stats().unclassified());
    }

    private interface Round {
        long run();
    }

    private static void run(PrintStream out, String name, int rounds, int n, Round r) {
        long sink = 0;
        for (int w = 0; w < 2; w++) sink += r.run();
        double[] rates = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            sink += r.run();
            rates[i] = n / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        out.printf("%-15s best %,12.0f lines/s   median %,12.0f lines/s   (%d rounds, check %d)%n", name, rates[rounds - 1], rates[rounds / 2],
                rounds, sink & 0xff);
    }

    private static long classify(String[] programs, String[] messages) {
        long h = 0;
        for (int i = 0; i < messages.length; i++) {
            AuthEvent e = SshAuthClassifier.classify(programs[i], messages[i]);
            h += e.kind().ordinal() + e.port();
        }
        return h;
    }

    private static long splitClassify(String[] text) {
        long h = 0;
        for (String line : text) {
            BenchLine b = BenchLine.parse(line);
            AuthEvent e = b == null ? SshAuthClassifier.classify((String) null, line) : SshAuthClassifier.classify(b.program(), b.message());
            h += e.kind().ordinal();
        }
        return h;
    }

    private static final Instant YEAR = Instant.parse("2024-01-01T00:00:00Z");
    private static final InstanceId INSTANCE = InstanceId.of("i-0a1b2c3d4e5f60718");

    private static long detect(String[] text, long[] result) {
        SshIntrusionDetector d = (SshIntrusionDetector) new SshIntrusion().create(Params.empty("bench", "params"));
        BenchContext ctx = new BenchContext();
        Origin origin = Origin.line("bench", 0);
        for (String line : text) {
            BenchLine b = BenchLine.parse(line);
            if (b == null) continue;
            ctx.now = YEAR.plusSeconds(b.secondOfYear());
            SshLogLine e = new SshLogLine(null, ctx.now, null, null, origin, INSTANCE, b.host(), b.program(), b.pid(), b.message(), false);
            d.onEvent(e, ctx);
        }
        d.onFinish(ctx.now, ctx);
        result[0] = ctx.findings;
        result[1] = d.stats().failures();
        result[2] = d.stats().unclassified();
        return ctx.findings;
    }

    /** What the engine gives a detector, minus the responder: findings are counted, timers kept in a map. */
    private static final class BenchContext implements DetectorContext {
        private final Inventory inventory = StaticInventory.empty();
        private final Map<String, Timer> timers = new HashMap<>();
        Instant now = YEAR;
        long findings;
        final Map<String, Long> byRule = new java.util.TreeMap<>();

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public String policy() {
            return "bench";
        }

        @Override
        public Inventory inventory() {
            return inventory;
        }

        @Override
        public void report(FindingDraft draft) {
            findings++;
            byRule.merge(draft.rule(), 1L, Long::sum);
        }

        @Override
        public void schedule(String key, Instant due, Map<String, String> data) {
            timers.put(key, new Timer("bench", key, due, data));
        }

        @Override
        public void cancel(String key) {
            timers.remove(key);
        }

        @Override
        public Optional<Timer> timer(String key) {
            return Optional.ofNullable(timers.get(key));
        }
    }
}
