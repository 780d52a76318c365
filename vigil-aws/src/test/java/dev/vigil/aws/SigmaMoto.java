package dev.vigil.aws;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * moto's server on a free loopback port, owned by the test that starts it (a minimal local one until the shared
 * moto extension lands; named so that it does not clash with it). {@link #start} answers null when moto is absent.
 */
final class SigmaMoto implements AutoCloseable {
    private final Process process;
    final URI endpoint;

    private SigmaMoto(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static SigmaMoto start() throws IOException, InterruptedException {
        String python = python();
        if (python == null) return null;
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI uri = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) return null;
            try {
                HttpURLConnection c = (HttpURLConnection) uri.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) return new SigmaMoto(p, uri);
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        return null;
    }

    private static String python() throws InterruptedException {
        String root = System.getenv().getOrDefault("PYENV_ROOT", System.getProperty("user.home") + "/.pyenv");
        for (String c : List.of("python3", root + "/versions/3.11.7/bin/python3")) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import moto.server").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() == 0) return c;
            } catch (IOException e) {
                // not this one
            }
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
