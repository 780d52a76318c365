package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * {@code /healthz} reports each source's real state: a daemon that only tails files is healthy while its loop comes
 * round; with a queue, it is unhealthy until (and as soon as no longer) a ReceiveMessage succeeds within the limit.
 */
class HealthStatesTest {
    static final long STALL = 60_000;

    @Test
    void tailingOnlyIsHealthyWhileTheLoopRuns() {
        Metrics m = new Metrics();
        long now = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
        assertThat(HttpEndpoints.unhealthy(m, now, STALL)).startsWith("stalled");
        m.polled(now - 1_000);
        assertThat(HttpEndpoints.unhealthy(m, now, STALL)).as("no queue: the loop alone").isNull();
        assertThat(HttpEndpoints.unhealthy(m, now + STALL + 5_000, STALL)).startsWith("stalled: last pass of the processing loop");
    }

    @Test
    void withAQueueSuccessfulReceivesAreNeeded() throws Exception {
        Metrics m = new Metrics();
        m.queueSource();
        long now = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
        m.polled(now);
        assertThat(HttpEndpoints.unhealthy(m, now, STALL)).isEqualTo("sqs: no successful receive yet");
        m.received(now - 2_000);
        assertThat(HttpEndpoints.unhealthy(m, now, STALL)).isNull();
        m.polled(now + 70_000); // the loop goes on, but SQS has not answered for 72 s (unreachable)
        assertThat(HttpEndpoints.unhealthy(m, now + 70_000, STALL)).isEqualTo("sqs: no successful receive for 72000 ms");

        // over HTTP, on 127.0.0.1
        Clock clock = Clock.fixed(Instant.ofEpochMilli(now + 70_000), ZoneOffset.UTC);
        HttpEndpoints http = HttpEndpoints.start(0, m, clock, STALL);
        try (HttpClient c = HttpClient.newHttpClient()) {
            var r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).startsWith("sqs: no successful receive");
            m.received(now + 69_000);
            r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        } finally {
            http.close();
        }
    }
}
