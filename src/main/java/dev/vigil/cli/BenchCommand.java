package dev.vigil.cli;

import dev.vigil.decode.bench.SyntheticCloudTrail;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            System.err.println("generating " + records + " records into " + file + " ...");
            SyntheticCloudTrail.write(file, records, seed);
        }
        System.out.printf(Locale.ROOT, "file: %s (%.1f MB compressed, %d records)%n", file, Files.size(file) / 1e6, records);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();

        double zcat = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) zcat = Math.min(zcat, time(List.of("sh", "-c", "zcat '" + file + "' > /dev/null"), null));
        double[] plain = replay(java, jar, List.of());
        System.out.printf(Locale.ROOT, "zcat > /dev/null:        %.2f s%n", zcat);
        report("vigil replay", plain, zcat);
        if (!sigma.isEmpty()) {
            List<String> extra = new ArrayList<>();
            for (Path p : sigma) {
                extra.add("--sigma");
                extra.add(p.toString());
            }
            report("vigil replay --sigma", replay(java, jar, extra), zcat);
        }
        return 0;
    }

    private void report(String what, double[] r, double zcat) {
        System.out.printf(Locale.ROOT, "%s (-Xmx%s): %.2f s  = %,.0f records/s%n", what, heap, r[0], records / r[0]);
        System.out.printf(Locale.ROOT, "  ratio to zcat:           %.2fx (target <= 1.35x)%n", r[0] / zcat);
        System.out.printf(Locale.ROOT, "  peak heap used:          %.1f MB (limit %s)%n", r[1] / 1048576.0, heap);
    }

    /** The best of {@code runs} whole replay processes: {seconds, peak heap bytes}. */
    private double[] replay(String java, String jar, List<String> extra) throws IOException, InterruptedException {
        double replay = Double.MAX_VALUE;
        long peak = 0;
        for (int i = 0; i < runs; i++) {
            Path err = Files.createTempFile("vigil-bench", ".err");
            // the JVM options of the ./vigil launcher, with its class-data sharing archive when it has built one
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:+IgnoreUnrecognizedVMOptions",
                    "--sun-misc-unsafe-memory-access=allow", "-Dvigil.stats=true"));
            Path jsa = Path.of(jar).resolveSibling("vigil.jsa");
            if (Files.exists(jsa)) cmd.addAll(List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
            cmd.addAll(List.of("-jar", jar, "replay", "--format", "json"));
            cmd.addAll(extra);
            cmd.add(file.toString());
            replay = Math.min(replay, time(cmd, err.toFile()));
            Matcher m = PEAK.matcher(Files.readString(err, StandardCharsets.UTF_8));
            if (m.find()) peak = Math.max(peak, Long.parseLong(m.group(1)));
            Files.deleteIfExists(err);
        }
        return new double[] {replay, peak};
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
