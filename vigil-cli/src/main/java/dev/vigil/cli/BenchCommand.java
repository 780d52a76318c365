package dev.vigil.cli;

import dev.vigil.decode.bench.SyntheticCloudTrail;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The replay benchmark of the engine-spine issue: a deterministic synthetic CloudTrail file, then a whole
 * {@code vigil replay} process (decoding plus the default policy) timed against {@code zcat FILE > /dev/null} on the
 * same file, in a bounded heap. Reports records/s, the ratio to zcat and the peak heap.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark replay of a synthetic CloudTrail .json.gz against zcat (decompression is the floor).")
final class BenchCommand implements Callable<Integer> {
    private static final Pattern PEAK = Pattern.compile("peak-heap-bytes=(\\d+)");
    private static final Pattern CPU = Pattern.compile("main-cpu-ns=(-?\\d+) process-cpu-ns=(-?\\d+)");
    private static final Pattern WORKER = Pattern.compile(" (gunzip|decode|write)-cpu-ns=(\\d+)");
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s\\s*$");

    @Option(names = "--records", defaultValue = "1000000", description = "Records in the synthetic file (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--file", defaultValue = "target/bench/cloudtrail-synthetic.json.gz", description = "Where the file is (generated when absent).")
    Path file;

    @Option(names = "--heap", defaultValue = "256m", description = "-Xmx of the replay process (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each command; the best is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--sigma", paramLabel = "PATH", arity = "1..*",
            description = "Also time replay with these Sigma rules added (vigil replay --sigma PATH...), beside the run without them.")
    List<Path> sigma = new ArrayList<>();

    @picocli.CommandLine.Mixin
    TerminalOptions terminalOptions;

    private Terminal terminal = new Terminal(false, 0);

    /** One line of the report, fitted to the width. */
    private void say(String format, Object... args) {
        terminal.line(System.out, String.format(Locale.ROOT, format, args), 4);
    }

    @Override
    public Integer call() throws Exception {
        terminal = terminalOptions.terminal();
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            System.err.println("generating " + records + " records into " + file + " ...");
            SyntheticCloudTrail.write(file, records, seed);
        }
        say("file: %s (%.1f MB compressed, %d records)", file, Files.size(file) / 1e6, records);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();

        say("load average: %s", load());
        double zcat = Double.MAX_VALUE;
        double zcatCpu = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            Path err = Files.createTempFile("vigil-bench-zcat", ".err");
            // the shell's `times` gives zcat's CPU time (user + system) beside the wall time
            zcat = Math.min(zcat, time(List.of("sh", "-c", "zcat '" + file + "' > /dev/null; times >&2"), err.toFile()));
            String[] lines = Files.readString(err, StandardCharsets.UTF_8).strip().split("\n");
            Matcher m = TIMES.matcher(lines[lines.length - 1]);
            if (m.find()) {
                zcatCpu = Math.min(zcatCpu, Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2))
                        + Integer.parseInt(m.group(3)) * 60 + Double.parseDouble(m.group(4)));
            }
            Files.deleteIfExists(err);
        }
        if (zcatCpu == Double.MAX_VALUE) zcatCpu = Double.NaN;
        double[] plain = replay(java, jar, List.of());
        say("zcat > /dev/null:        %.2f s (CPU %.2f s)", zcat, zcatCpu);
        report("vigil replay", plain, zcat, zcatCpu);
        if (!sigma.isEmpty()) {
            List<String> extra = new ArrayList<>();
            for (Path p : sigma) {
                extra.add("--sigma");
                extra.add(p.toString());
            }
            double[] with = replay(java, jar, extra);
            report("vigil replay --sigma", with, zcat, zcatCpu);
            say("with the rules / without: %.2fx wall, %.2fx main-thread CPU", with[0] / plain[0], with[2] / plain[2]);
        }
        say("load average: %s", load());
        return 0;
    }

    /** The 1, 5 and 15 minute load averages (Linux), so figures from a shared machine say how shared it was. */
    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return f[0] + " " + f[1] + " " + f[2] + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private void report(String what, double[] r, double zcat, double zcatCpu) {
        say("%s (-Xmx%s): %.2f s  = %,.0f records/s", what, heap, r[0], records / r[0]);
        String ratio = String.format(Locale.ROOT, "%.2fx", r[0] / zcat);
        terminal.line(System.out, "  ratio to zcat:           " + terminal.paint(r[0] / zcat <= 1.35 ? Terminal.GREEN : Terminal.RED, ratio), 27 + ratio.length(),
                " (target <= 1.35x)", 4);
        say("  peak heap used:          %.1f MB (limit %s)", r[1] / 1048576.0, heap);
        if (r[2] > 0) {
            // gunzip, decoding, the policies (the main thread) and writing findings each run on a thread of their own:
            // on an otherwise idle machine with two cores, the wall time tends to the larger of the busiest thread's
            // CPU time and half the whole process's, which is the figure set against zcat's CPU time here
            say("  CPU: main thread %.2f s (%.2fx zcat's CPU), gunzip %.2f s, decode %.2f s, write %.2f s, whole process %.2f s",
                    r[2], r[2] / zcatCpu, r[4], r[5], r[6], r[3]);
            double floor = Math.max(Math.max(Math.max(r[2], r[4]), Math.max(r[5], r[6])), r[3] / 2);
            say("  two-core floor: max(busiest thread, process / 2) = %.2f s = %.2fx zcat's CPU", floor, floor / zcatCpu);
        }
    }

    /** The best of {@code runs} whole replay processes: {seconds, peak heap bytes, main-thread CPU s, process CPU s, gunzip, decode and write threads' CPU s}. */
    private double[] replay(String java, String jar, List<String> extra) throws IOException, InterruptedException {
        double replay = Double.MAX_VALUE;
        long peak = 0;
        double mainCpu = Double.MAX_VALUE;
        double processCpu = Double.MAX_VALUE;
        double[] workers = new double[3]; // gunzip, decode, write: of the run with the least main-thread CPU
        for (int i = 0; i < runs; i++) {
            Path err = Files.createTempFile("vigil-bench", ".err");
            // the JVM options of the ./vigil launcher, with its class-data sharing archive when it has built one
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:+IgnoreUnrecognizedVMOptions",
                    "--sun-misc-unsafe-memory-access=allow", "-Dvigil.stats=true"));
            Path aot = Path.of(jar).resolveSibling("vigil.aot"); // JDK 25 and later
            Path jsa = Path.of(jar).resolveSibling("vigil.jsa");
            if (Files.exists(aot)) cmd.addAll(List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off", "-Xlog:cds=off", "--enable-native-access=ALL-UNNAMED"));
            else if (Files.exists(jsa)) cmd.addAll(List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
            // as the launcher's replay (./vigil gives the measurements): smaller inlining, a third less C2 CPU with the rules
            cmd.addAll(List.of("-XX:FreqInlineSize=100", "-XX:InlineSmallCode=1000"));
            cmd.addAll(List.of("-jar", jar, "replay", "--format", "json"));
            cmd.addAll(extra);
            cmd.add(file.toString());
            replay = Math.min(replay, time(cmd, err.toFile()));
            String stats = Files.readString(err, StandardCharsets.UTF_8);
            Matcher m = PEAK.matcher(stats);
            if (m.find()) peak = Math.max(peak, Long.parseLong(m.group(1)));
            Matcher c = CPU.matcher(stats);
            if (c.find() && Long.parseLong(c.group(1)) > 0) {
                if (Long.parseLong(c.group(1)) / 1e9 < mainCpu) {
                    Arrays.fill(workers, 0);
                    Matcher w = WORKER.matcher(stats);
                    while (w.find()) workers[List.of("gunzip", "decode", "write").indexOf(w.group(1))] = Long.parseLong(w.group(2)) / 1e9;
                }
                mainCpu = Math.min(mainCpu, Long.parseLong(c.group(1)) / 1e9);
                processCpu = Math.min(processCpu, Long.parseLong(c.group(2)) / 1e9);
            }
            Files.deleteIfExists(err);
        }
        return new double[] {replay, peak, mainCpu == Double.MAX_VALUE ? -1 : mainCpu, processCpu == Double.MAX_VALUE ? -1 : processCpu,
            workers[0], workers[1], workers[2]};
    }

    private static double time(List<String> cmd, File err) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(err == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(err));
        long t0 = System.nanoTime();
        int rc = pb.start().waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) throw new IOException(String.join(" ", cmd) + " exited with " + rc);
        return s;
    }
}
