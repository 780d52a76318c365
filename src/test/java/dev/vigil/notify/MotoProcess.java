package dev.vigil.notify;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * moto's server (the machine's Python, {@code python3 -m moto.server}) on 127.0.0.1 and a free port, owned by the
 * test that starts it. A minimal private copy until the shared moto extension lands; {@link #start} returns null when
 * no Python with moto is found, so the caller skips with a message.
 */
final class MotoProcess implements AutoCloseable {
    private final Process process;
    final URI endpoint;

    private MotoProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static String python() {
        List<String> candidates = new ArrayList<>();
        String pyenv = System.getenv().getOrDefault("PYENV_ROOT", System.getProperty("user.home") + "/.pyenv");
        candidates.add(pyenv + "/versions/3.11.7/bin/python3");
        candidates.add("python3");
        for (String p : candidates) {
            if (p.contains("/") && !Files.isExecutable(Path.of(p))) continue;
            try {
                Process check = new ProcessBuilder(p, "-c", "import moto.server").redirectErrorStream(true).start();
                check.getInputStream().readAllBytes();
                if (check.waitFor() == 0) return p;
            } catch (IOException e) {
                // not this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    static MotoProcess start() throws IOException, InterruptedException {
        String python = python();
        if (python == null) return null;
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IOException("moto exited with " + p.exitValue());
            try {
                var r = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return new MotoProcess(p, endpoint);
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new IOException("moto did not answer within 60 s on " + endpoint);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
