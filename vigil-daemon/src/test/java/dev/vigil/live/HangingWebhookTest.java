package dev.vigil.live;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.notify.LocalHttp;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.testing.LocalSqs;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook that accepts and never answers holds up neither the events behind it nor the other target's deliveries
 * (each target has its delivery thread): the daemon (SQS on ElasticMQ, EC2 on WireMock) records every finding and its revoke while the
 * hanging deliveries are still waiting; each of those is abandoned at the target's total timeout, kept in the store as
 * pending, and the other target gets every notification.
 */
class HangingWebhookTest {
    static final int MESSAGES = 6;
    static final long TIMEOUT_SECONDS = 4;

    @TempDir
    Path dir;

    @Test
    void aHangingWebhookDelaysNoOtherMessage() throws Exception {
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, """
                version: 1
                live:
                  blast-radius: {max-actions: 100, per: 1h}
                targets:
                  stuck: {type: webhook, url-env: STUCK_URL, connect-timeout: 2s, timeout: %ds}
                  fine: {type: webhook, url-env: FINE_URL}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open, notify]
                    notify: [stuck, fine]
                """.formatted(TIMEOUT_SECONDS));
        CountDownLatch never = new CountDownLatch(1);
        List<Long> stuckArrivals = new CopyOnWriteArrayList<>();
        HttpServer stuck = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var pool = Executors.newCachedThreadPool();
        stuck.setExecutor(pool);
        stuck.createContext("/", ex -> { // reads the request, then never answers
            ex.getRequestBody().readAllBytes();
            stuckArrivals.add(System.nanoTime());
            try {
                never.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        stuck.start();
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start(); LocalHttp fine = new LocalHttp()) {
            aws.server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=RevokeSecurityGroupIngress&"))
                    .willReturn(aResponse().withStatus(200).withBody(Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"))));
            String q = sqs.queue("hang", 30);
            List<String> bodies = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) bodies.add(CrashEvents.event(i, true));
            sqs.send(q, bodies);
            List<Long> recordedAt = new CopyOnWriteArrayList<>();
            List<Finding> findings = new CopyOnWriteArrayList<>();
            ReportWriter out = new ReportWriter() {
                @Override
                public void finding(Finding f) {
                    recordedAt.add(System.nanoTime());
                    findings.add(f);
                }

                @Override
                public void summary(RunSummary s) {}
            };
            Map<String, String> env = Map.of("STUCK_URL", "http://127.0.0.1:" + stuck.getAddress().getPort() + "/hook",
                    "FINE_URL", fine.url("/fine"));
            LiveRuntime.Options o = new LiveRuntime.Options(q, List.of(), false, dir.resolve("vigil.db"), List.of(), aws.endpoint(), "eu-west-1",
                    null, null, false, false, 1, LocalSqs.CREDS, sqs.endpoint);
            try (LiveRuntime rt = new LiveRuntime(Policies.load(policy), o, Clock.systemUTC(), env::get, out, (a, b) -> {})) {
                Thread loop = new Thread(() -> rt.daemon().run(), "daemon-under-test");
                long start = System.nanoTime();
                loop.start();
                long deadline = start + TimeUnit.SECONDS.toNanos(60);
                while (findings.size() < MESSAGES && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(findings).hasSize(MESSAGES);
                long processedIn = recordedAt.get(MESSAGES - 1) - recordedAt.get(0);
                // on the processing path each finding would wait for its stuck delivery: (MESSAGES - 1) * timeout at least
                assertThat(processedIn).as("first to last finding recorded, ns").isLessThan(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS * 2));
                for (Finding f : findings) {
                    assertThat(f.actions()).extracting(ActionResult::type, ActionResult::status).contains(
                            org.assertj.core.groups.Tuple.tuple("revoke-world-open", ActionStatus.APPLIED),
                            org.assertj.core.groups.Tuple.tuple("notify", ActionStatus.QUEUED));
                }
                // the other target gets every notification, held up by none of the stuck deliveries (a thread per target;
                // with one thread for both, the last would wait MESSAGES stuck timeouts): within one timeout of the last finding
                long fineDeadline = recordedAt.get(MESSAGES - 1) + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                while (fine.received.size() < MESSAGES && System.nanoTime() < fineDeadline) Thread.sleep(50);
                assertThat(fine.received).hasSize(MESSAGES);
                // every stuck delivery was abandoned at its total timeout, never sooner than the timeout: spaced out
                long stuckDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS * (MESSAGES + 4));
                while (stuckArrivals.size() < MESSAGES && System.nanoTime() < stuckDeadline) Thread.sleep(50);
                assertThat(stuckArrivals).hasSizeGreaterThanOrEqualTo(MESSAGES);
                // (arrivals are seen at the server, after connecting and sending: the first one's may come late on a loaded
                // machine, its timeout having started earlier, so 0.5 s of slack; abandoning sooner would show as ~0 s)
                for (int i = 1; i < MESSAGES; i++) {
                    assertThat(stuckArrivals.get(i) - stuckArrivals.get(i - 1)).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS) - 500_000_000L);
                }
                assertThat(rt.daemon().stop(60_000)).isTrue();
                loop.join(10_000);
                assertThat(loop.isAlive()).isFalse();
                assertThat(rt.store().pendingDeliveries()).as("the stuck target's deliveries, kept for a retry").isEqualTo(MESSAGES);
                assertThat(sqs.remaining(q)).isZero();
                System.out.printf("hanging webhook: %d findings recorded within %d ms of the first; %d deliveries to the fine target;"
                        + " %d stuck deliveries, each abandoned after %d s%n", MESSAGES, TimeUnit.NANOSECONDS.toMillis(processedIn),
                        fine.received.size(), stuckArrivals.size(), TIMEOUT_SECONDS);
            }
            assertThat(aws.server.getAllServeEvents().stream().filter(e -> e.getRequest().getBodyAsString().contains("Action=RevokeSecurityGroupIngress&")).count())
                    .isEqualTo(MESSAGES);
        } finally {
            never.countDown();
            stuck.stop(0);
            pool.shutdownNow();
        }
    }
}
