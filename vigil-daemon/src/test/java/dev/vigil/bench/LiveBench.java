package dev.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.live.CrashEvents;
import dev.vigil.testing.LocalSqs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 8's benchmark: {@code vigil run} (through the launcher, in its own JVM, with the launcher's options for {@code run}) consumes ElasticMQ at a sustained
 * rate; every message is a CloudTrail security-group call, and {@code --acting-percent} of them (default 10) open a
 * group to the world, so that message makes an EC2 call (a revoke) to a local stub. Reported: the daemon's own p50/p90/p99 from a batch received to its message's first EC2
 * call answered (over the last 65,536 messages, all after the warm-up), the rate it kept up with, the queue left
 * behind, and its resident memory (VmHWM). Run: {@code bench/live-bench.sh [RATE] [SECONDS]}.
 */
public final class LiveBench {
    private LiveBench() {}

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(arg(args, "--rate", "1000"));
        int seconds = Integer.parseInt(arg(args, "--seconds", "90"));
        int actingPercent = Integer.parseInt(arg(args, "--acting-percent", "10"));
        String launcher = arg(args, "--launcher", "./vigil"); // the daemon as users start it, with the launcher's JVM options
        Path dir = Files.createTempDirectory("vigil-live-bench");
        String revoke = "<RevokeSecurityGroupIngressResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><return>true</return></RevokeSecurityGroupIngressResponse>";
        AtomicLong ec2Calls = new AtomicLong();
        HttpServer ec2 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        ec2.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ec2Calls.incrementAndGet();
            byte[] b = revoke.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        ec2.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "ec2-stub");
            t.setDaemon(true);
            return t;
        }));
        ec2.start();
        try (LocalSqs sqs = new LocalSqs()) {
            String q = sqs.queue("bench", 30);
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(policy, """
                    version: 1
                    live:
                      blast-radius: {max-actions: 1000000, per: 1h}
                    policies:
                      - name: world
                        detector: sg-guard
                        responses:
                          sg-open-to-world: [revoke-world-open]
                    """);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> start = List.of(launcher, "run");
            List<String> cmd = new java.util.ArrayList<>();
            // BENCH_DAEMON_CPUS=1 (with the harness under `taskset -c 0`): the daemon on a core of its own, apart from ElasticMQ
            if (System.getenv("BENCH_DAEMON_CPUS") != null) cmd.addAll(List.of("taskset", "-c", System.getenv("BENCH_DAEMON_CPUS")));
            cmd.addAll(start);
            cmd.addAll(List.of("--policy", policy.toString(), "--queue-url", q,
                    "--sqs-endpoint-url", sqs.endpoint.toString(), "--endpoint-url", "http://127.0.0.1:" + ec2.getAddress().getPort(),
                    "--store", dir.resolve("vigil.db").toString(), "--http-port", Integer.toString(port), "--wait-seconds", "1",
                    "--no-look-up", "--account", "111122223333"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("findings.jsonl").toFile()).redirectError(dir.resolve("daemon.log").toFile());
            pb.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-secret", "AWS_REGION", "eu-west-1"));
            if (System.getenv("BENCH_DAEMON_OPTS") != null) pb.environment().put("JAVA_TOOL_OPTIONS", System.getenv("BENCH_DAEMON_OPTS"));
            Process daemon = pb.start();
            HttpClient http = HttpClient.newHttpClient();
            waitHealthy(http, port, daemon);

            long total = (long) rate * seconds;
            long t0 = System.nanoTime();
            long maxRss = 0;
            long maxBacklog = 0;
            List<String> batch = new ArrayList<>(10);
            for (long i = 0; i < total; i++) {
                // spread evenly: message i acts when it crosses a multiple of 100/actingPercent
                boolean acts = (i * actingPercent) / 100 != ((i + 1) * actingPercent) / 100;
                batch.add(CrashEvents.event((int) i, acts));
                if (batch.size() == 10) {
                    long due = t0 + (i + 1) * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    sqs.send(q, batch);
                    batch.clear();
                }
                if (i % (rate * 5L) == 0 && i > 0) {
                    maxRss = Math.max(maxRss, rss(daemon.pid()));
                    maxBacklog = Math.max(maxBacklog, sqs.remaining(q));
                }
            }
            double sendSeconds = (System.nanoTime() - t0) / 1e9;
            int left = sqs.remaining(q);
            long drainStart = System.nanoTime();
            while (sqs.remaining(q) > 0 && System.nanoTime() - drainStart < 120_000_000_000L) Thread.sleep(100);
            double drain = (System.nanoTime() - drainStart) / 1e9;
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long hwm = status(daemon.pid(), "VmHWM");
            daemon.destroy();
            daemon.waitFor();
            System.out.printf("messages sent            %d in %.1f s (%.0f/s offered), %d%% of them making an EC2 call%n", total, sendSeconds,
                    total / sendSeconds, actingPercent);
            System.out.printf("queue backlog            max %d while sending, %d when sending ended, drained in %.1f s%n", maxBacklog, left, drain);
            System.out.printf("daemon kept up at        %.0f messages/s%n", total / (sendSeconds + drain));
            System.out.printf("EC2 calls at the stub    %d%n", ec2Calls.get());
            System.out.printf("first call sent, p50     %s%n", ms(metrics, "vigil_first_call_seconds", "0.5"));
            System.out.printf("first call sent, p90     %s%n", ms(metrics, "vigil_first_call_seconds", "0.9"));
            System.out.printf("first call sent, p99     %s%n", ms(metrics, "vigil_first_call_seconds", "0.99"));
            System.out.printf("   ... answered, p50     %s%n", ms(metrics, "vigil_first_call_answered_seconds", "0.5"));
            System.out.printf("   ... answered, p99     %s%n", ms(metrics, "vigil_first_call_answered_seconds", "0.99"));
            System.out.printf("latency samples          %s (the last 65,536 are used)%n", value(metrics, "vigil_first_call_seconds_count"));
            System.out.printf("daemon RSS               max sampled %d MB, VmHWM %d MB%n", maxRss / 1024, hwm / 1024);
            System.out.println("daemon log: " + dir.resolve("daemon.log"));
            System.exit(0); // ElasticMQ's threads would keep the JVM up
        } finally {
            ec2.stop(0);
        }
    }

    private static void waitHealthy(HttpClient http, int port, Process daemon) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) throw new IllegalStateException("the daemon exited: " + daemon.exitValue());
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the daemon did not become healthy");
    }

    private static String ms(String metrics, String name, String q) {
        Matcher m = Pattern.compile(Pattern.quote(name.replaceFirst("_seconds$", "_quantile_seconds")) + "\\{quantile=\"" + Pattern.quote(q) + "\"} (\\S+)").matcher(metrics);
        return m.find() ? String.format("%.2f ms", Double.parseDouble(m.group(1)) * 1000) : "?";
    }

    private static String value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        return m.find() ? m.group(1) : "?";
    }

    private static long rss(long pid) throws IOException {
        return status(pid, "VmRSS");
    }

    /** A /proc/PID/status field in kB. */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    private static String arg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return def;
    }
}
