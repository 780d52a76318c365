package dev.vigil.live;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.finding.Finding;
import dev.vigil.notify.LocalHttp;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.LocalSqs;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil run} as a process on ElasticMQ, with one webhook that never answers: SIGTERM in the middle of the work
 * drains it within the stop timeout and exits 0; nothing is lost or half-done: every message is either processed
 * (its findings and revokes recorded) or still on the queue, visible; every finding's notification to the working
 * target was either sent or is pending in the store, and the hanging target's are pending.
 */
class SigtermDrainTest {
    static final int MESSAGES = 400;
    static final int EVERY = 20;

    @TempDir
    Path dir;

    @Test
    void sigtermMidWorkDrainsAndExitsZero() throws Exception {
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, """
                version: 1
                live:
                  blast-radius: {max-actions: 1000, per: 1h}
                targets:
                  stuck: {type: webhook, url-env: STUCK_URL, timeout: 3s}
                  fine: {type: webhook, url-env: FINE_URL}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open, notify]
                    notify: [stuck, fine]
                """);
        CountDownLatch never = new CountDownLatch(1);
        HttpServer stuck = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var pool = Executors.newCachedThreadPool();
        stuck.setExecutor(pool);
        stuck.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            try {
                never.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        stuck.start();
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start(); LocalHttp fine = new LocalHttp()) {
            aws.server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=RevokeSecurityGroupIngress&"))
                    .willReturn(aResponse().withStatus(200).withBody(Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"))));
            aws.callerIdentity("arn:aws:sts::111122223333:assumed-role/vigil-daemon/i-0123456789abcdef0"); // vigil run checks its credentials at start
            String q = sqs.queue("drain", 60);
            List<String> bodies = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) bodies.add(CrashEvents.event(i, i % EVERY == 0));
            sqs.send(q, bodies);
            Path store = dir.resolve("d.db");
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-secret", "AWS_REGION", "eu-west-1",
                    "STUCK_URL", "http://127.0.0.1:" + stuck.getAddress().getPort() + "/hook", "FINE_URL", fine.url("/fine"));
            Process p = DaemonProcess.start(dir.resolve("drain.log"), env, "--policy", policy.toString(), "--queue-url", q,
                    "--sqs-endpoint-url", sqs.endpoint.toString(), "--endpoint-url", aws.endpoint().toString(), "--store", store.toString(),
                    "--http-port", "-1", "--wait-seconds", "1", "--no-look-up", "--account", "111122223333");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (sqs.remaining(q) > MESSAGES / 2 && System.nanoTime() < deadline && p.isAlive()) Thread.sleep(20);
            assertThat(p.isAlive()).as("still running before SIGTERM; log: %s", dir.resolve("drain.log")).isTrue();
            p.destroy(); // SIGTERM, with deliveries to the stuck target in hand and pending
            assertThat(p.waitFor(70, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(dir.resolve("drain.log"));
            assertThat(p.exitValue()).as("exit code; log:%n%s", log).isZero();
            assertThat(log).contains("vigil: stopped after");
            var attrs = sqs.client.getQueueAttributes(r -> r.queueUrl(q).attributeNames(
                    software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            assertThat(attrs.values()).as("messages received and not deleted").containsOnly("0");
            int left = sqs.remaining(q);
            try (SqliteStore s = SqliteStore.openBeside(store, Clock.systemUTC())) {
                long processed = s.processedCount();
                assertThat(processed + left).isEqualTo(MESSAGES);
                assertThat(processed).isGreaterThanOrEqualTo(MESSAGES / 2);
                List<Finding> findings = s.recent(10_000);
                // every processed world-open event has its finding; its revoke went to EC2 once
                assertThat(findings.size()).isBetween((int) (processed / EVERY) - 1, (int) (processed / EVERY) + 1);
                long revokes = aws.server.getAllServeEvents().stream()
                        .filter(e -> e.getRequest().getBodyAsString().contains("Action=RevokeSecurityGroupIngress&")).count();
                assertThat(revokes).isEqualTo(findings.size());
                Set<String> sent = new HashSet<>();
                for (String b : fine.bodies()) sent.add(b.replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
                long pending = s.pendingDeliveries();
                // the stuck target's are all pending; the fine target's are sent or pending: none is lost
                assertThat(pending).isGreaterThanOrEqualTo(findings.size());
                assertThat(fine.received.size() + pending).isGreaterThanOrEqualTo(2L * findings.size());
                System.out.printf("sigterm drain: exit %d, %d processed, %d left on the queue, %d findings, %d revokes, %d sent to the"
                        + " working target, %d pending deliveries%n", p.exitValue(), processed, left, findings.size(), revokes,
                        fine.received.size(), pending);
            }
        } finally {
            never.countDown();
            stuck.stop(0);
            pool.shutdownNow();
        }
    }
}
