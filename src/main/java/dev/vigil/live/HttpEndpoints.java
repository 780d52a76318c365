package dev.vigil.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executors;

/**
 * {@code /healthz} and {@code /metrics} on the loopback interface only. Health is "ok" while the processing loop has
 * polled within {@code stallAfterMillis}; otherwise 503, so a supervisor restarts a stuck daemon.
 */
public final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    private HttpEndpoints(HttpServer server) {
        this.server = server;
    }

    /** @param port 0 for any free port */
    public static HttpEndpoints start(int port, Metrics metrics, Clock clock, long stallAfterMillis) throws IOException {
        metrics.prometheus(); // builds the registry now, so the histograms see every sample from the start
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        s.createContext("/healthz", ex -> {
            long age = clock.millis() - metrics.lastPollMillis();
            boolean ok = metrics.lastPollMillis() > 0 && age <= stallAfterMillis;
            reply(ex, ok ? 200 : 503, "text/plain; charset=utf-8", (ok ? "ok" : "stalled: last poll " + age + " ms ago") + "\n");
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
