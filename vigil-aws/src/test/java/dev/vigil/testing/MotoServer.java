package dev.vigil.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * moto's server (an independent, Apache-2.0 implementation of the AWS APIs) as a child process on a free loopback
 * port. One process answers every service on one endpoint; its account is {@link #ACCOUNT}. Stopped by its process
 * (close, or a JVM shutdown hook if the JVM goes first).
 */
public final class MotoServer implements AutoCloseable {
    public static final String ACCOUNT = "123456789012";
    /** moto accepts any credentials; these are not secrets. */
    public static final StaticCredentialsProvider CREDS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private final Process process;
    private final Thread hook;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
        this.hook = new Thread(process::destroyForcibly, "moto-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * The Python that has moto's server: {@code python3} on PATH, else pyenv's 3.11.7 (PATH may lack pyenv's shims,
     * as in CI). Empty when neither imports {@code moto.server}.
     */
    public static Optional<String> python() {
        List<String> candidates = new ArrayList<>();
        String override = System.getenv("VIGIL_MOTO_PYTHON");
        if (override != null && !override.isBlank()) candidates.add(override);
        candidates.add("python3");
        String pyenvRoot = System.getenv("PYENV_ROOT");
        if (pyenvRoot != null && !pyenvRoot.isBlank()) candidates.add(pyenvRoot + "/versions/3.11.7/bin/python3");
        candidates.add(System.getProperty("user.home") + "/.pyenv/versions/3.11.7/bin/python3");
        for (String c : candidates) {
            if (c.contains(File.separator) && !Files.isExecutable(Path.of(c))) continue;
            try {
                Process p = new ProcessBuilder(c, "-c", "import moto.server").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return Optional.of(c);
                p.destroyForcibly();
            } catch (IOException e) {
                // not this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * {@code python3 -m moto.server} with one change: requests are served one at a time. moto's server answers each
     * request on a thread of its own and its DynamoDB takes no lock, so two conditional writes of one item arriving
     * together can both pass their condition (seen here: two claims of one key both won, once in 50 races, under load);
     * DynamoDB is atomic per item. Serialized, moto gives that atomicity. (A long-polling ReceiveMessage would hold
     * every other request meanwhile: tests poll moto's SQS with no wait.)
     */
    static final String SERIALIZED = String.join("\n",
            "import sys, threading",
            "import moto.server as server",
            "lock = threading.Lock()",
            "run = server.run_simple",
            "def serialized(host, port, app, **kw):",
            "    def one_at_a_time(environ, start_response):",
            "        with lock:",
            "            return list(app(environ, start_response))",
            "    run(host, port, one_at_a_time, **kw)",
            "server.run_simple = serialized",
            "server.main(sys.argv[1:])");

    /** Starts moto's server with this Python and waits until {@code GET /moto-api/} answers. */
    public static MotoServer start(String python) throws IOException, InterruptedException {
        int port = freePort();
        Path log = Files.createTempFile("moto-", ".log");
        Process p = new ProcessBuilder(python, "-c", SERIALIZED, "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        MotoServer server = new MotoServer(p, endpoint, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                server.close();
                throw new IOException("moto's server exited with " + p.exitValue() + ": " + tail(log));
            }
            if (status(endpoint.resolve("/moto-api/"), "GET") == 200) return server;
            Thread.sleep(100);
        }
        server.close();
        throw new IOException("moto's server did not answer on " + endpoint + " within 60 s: " + tail(log));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Clears every service's state ({@code POST /moto-api/reset}). */
    public void reset() {
        int s = status(endpoint.resolve("/moto-api/reset"), "POST");
        if (s != 200) throw new IllegalStateException("moto reset answered " + s + " on " + endpoint + ": " + tail(log));
    }

    private static int status(URI uri, String method) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(1000);
            c.setReadTimeout(30_000);
            if (method.equals("POST")) {
                c.setDoOutput(true);
                c.getOutputStream().close();
            }
            int code = c.getResponseCode();
            c.getInputStream().readAllBytes();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
