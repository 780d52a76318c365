package dev.vigil.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.metrics.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executors;

/**
 * {@code /healthz} and {@code /metrics} on the loopback interface only. Health is "ok" while each source is: the
 * processing loop has come round within {@code stallAfterMillis} (the tailer and timers run in it), and, with a
 * queue, a ReceiveMessage has succeeded within it; otherwise 503 with the reason, so a supervisor restarts it.
 */
public final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    private HttpEndpoints(HttpServer server) {
        this.server = server;
    }

    /**
     * Null when healthy; else why not: the processing loop (queue, tailed files, timers) has not come round within
     * {@code stallAfter}, or, with a queue among the sources, no ReceiveMessage has succeeded within it (SQS
     * unreachable, credentials gone).
     */
    static String unhealthy(Metrics metrics, long now, long stallAfter) {
        long loop = metrics.lastPollMillis();
        if (loop <= 0 || now - loop > stallAfter) return "stalled: last pass of the processing loop " + (loop <= 0 ? "never" : (now - loop) + " ms ago");
        if (metrics.hasQueueSource()) {
            long rx = metrics.lastReceiveMillis();
            if (rx <= 0 || now - rx > stallAfter) return "sqs: no successful receive " + (rx <= 0 ? "yet" : "for " + (now - rx) + " ms");
        }
        return null;
    }

    /** On the loopback address. @param port 0 for any free port */
    public static HttpEndpoints start(int port, Metrics metrics, Clock clock, long stallAfterMillis) throws IOException {
        return start(null, port, metrics, clock, stallAfterMillis);
    }

    /**
     * @param bind the address to listen on ({@code --health-bind}); null: the loopback address
     * @param port 0 for any free port
     */
    public static HttpEndpoints start(InetAddress bind, int port, Metrics metrics, Clock clock, long stallAfterMillis) throws IOException {
        metrics.prometheus(); // builds the registry now, so the histograms see every sample from the start
        HttpServer s = HttpServer.create(new InetSocketAddress(bind == null ? InetAddress.getLoopbackAddress() : bind, port), 16);
        s.createContext("/healthz", ex -> {
            String why = unhealthy(metrics, clock.millis(), stallAfterMillis);
            reply(ex, why == null ? 200 : 503, "text/plain; charset=utf-8", (why == null ? "ok" : why) + "\n");
        });
        s.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.prometheus()));
        s.createContext("/", ex -> reply(ex, 404, "text/plain; charset=utf-8", "not found\n"));
        s.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vigil-http");
            t.setDaemon(true);
            return t;
        }));
        s.start();
        return new HttpEndpoints(s);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(405, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
