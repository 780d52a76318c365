package dev.vigil.live;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.notify.LocalHttp;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.LocalSqs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test: 10,000 messages, the daemon killed with SIGKILL in the middle, then restarted. Every event
 * is processed, no response is repeated (at most one revoke per group reaches EC2; a claim the kill cut short is
 * marked interrupted and checked again, held when the look-up fails, as at this stub), no finding is lost, a
 * notification is sent twice at most when the kill interrupted it (at least once). Then SIGTERM: the daemon
 * finishes the batch in hand and exits.
 */
class CrashRecoveryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MESSAGES = 10_000;
    static final int EVERY = 100; // one message in 100 opens a group to the world: 100 findings, 100 revokes

    @TempDir
    Path dir;

    static String event(int i) throws Exception {
        return CrashEvents.event(i, i % EVERY == 0);
    }

    @Test
    void killedInTheMiddleOfTenThousandMessagesThenRestartedLosesAndRepeatsNothing() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                live:
                  blast-radius: {max-actions: 1000, per: 1h}
                targets:
                  hook: {type: webhook, url-env: HOOK_URL}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open, notify]
                    notify: [hook]
                """);
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start(); LocalHttp hook = new LocalHttp()) {
            aws.callerIdentity("arn:aws:sts::111122223333:assumed-role/vigil-daemon/i-0123456789abcdef0"); // vigil run checks its credentials at start
            aws.server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=RevokeSecurityGroupIngress&"))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(5)
                            .withBody(Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"))));
            String q = sqs.queue("crash", 2);
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) bodies.add(event(i));
            sqs.send(q, bodies);

            Path store = dir.resolve("vigil.db");
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-secret",
                    "AWS_REGION", "eu-west-1", "HOOK_URL", hook.url("/hook"));
            String[] args = {"--policy", policy.toString(), "--queue-url", q, "--sqs-endpoint-url", sqs.endpoint.toString(),
                    "--endpoint-url", aws.endpoint().toString(), "--store", store.toString(), "--http-port", "-1", "--wait-seconds", "1", "--no-look-up", "--account", "111122223333"};

            Process first = DaemonProcess.start(dir.resolve("first.log"), env, args);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (revokes(aws) < 30 && System.nanoTime() < deadline && first.isAlive()) Thread.sleep(20);
            assertThat(first.isAlive()).as(Files.readString(dir.resolve("first.log"))).isTrue();
            first.destroyForcibly(); // SIGKILL
            first.waitFor(10, TimeUnit.SECONDS);
            int beforeRestart = revokes(aws);
            assertThat(beforeRestart).as(Files.readString(dir.resolve("first.log"))).isBetween(30, MESSAGES / EVERY - 1);

            Process second = DaemonProcess.start(dir.resolve("second.log"), env, append(args, "--until-empty"));
            assertThat(second.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.log"))).isZero();
            assertThat(sqs.remaining(q)).isZero();

            try (SqliteStore s = SqliteStore.open(store, Clock.systemUTC())) {
                assertThat(s.processedCount()).isEqualTo(MESSAGES); // every event processed, once
                assertThat(s.findingCount()).isEqualTo(MESSAGES / EVERY); // no finding lost or doubled
                long interrupted = s.claimsWithStatus("interrupted");
                assertThat(interrupted).isLessThanOrEqualTo(2); // at most the revoke and the notification the kill cut short
                assertThat(s.claimsWithStatus("applied") + interrupted).isEqualTo(2L * MESSAGES / EVERY);
            }
            // no response repeated: each world-open group revoked at most once, and all but an interrupted one revoked
            Map<String, Long> perGroup = aws.sent().stream().filter(f -> "RevokeSecurityGroupIngress".equals(f.get("Action")))
                    .collect(Collectors.groupingBy(f -> f.get("GroupId"), Collectors.counting()));
            assertThat(perGroup.values()).allMatch(n -> n == 1);
            assertThat(perGroup.size()).isBetween(MESSAGES / EVERY - 1, MESSAGES / EVERY);
            // every notification delivered, at least once: only one the kill interrupted may be sent again
            Map<String, Integer> perFinding = new HashMap<>();
            for (String b : hook.bodies()) perFinding.merge(JSON.readTree(b).path("resource").asText(), 1, Integer::sum);
            assertThat(perFinding.values()).allMatch(n -> n <= 2);
            assertThat(perFinding.values().stream().filter(n -> n == 2).count()).isLessThanOrEqualTo(1);
            assertThat(perFinding.size()).isBetween(MESSAGES / EVERY - 1, MESSAGES / EVERY);
        }
    }

    @Test
    void sigtermFinishesTheBatchInHandAndExits() throws Exception {
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start()) {
            aws.callerIdentity("arn:aws:sts::111122223333:assumed-role/vigil-daemon/i-0123456789abcdef0"); // vigil run checks its credentials at start
            String q = sqs.queue("term", 30);
            List<String> bodies = new ArrayList<>();
            for (int i = 1; i <= 2000; i++) bodies.add(event(i * EVERY + 1)); // no finding: just events
            sqs.send(q, bodies);
            Path store = dir.resolve("t.db");
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-secret", "AWS_REGION", "eu-west-1");
            Process p = DaemonProcess.start(dir.resolve("term.log"), env, "--queue-url", q, "--sqs-endpoint-url", sqs.endpoint.toString(),
                    "--endpoint-url", aws.endpoint().toString(), "--store", store.toString(), "--http-port", "-1", "--wait-seconds", "1", "--no-look-up", "--account", "111122223333");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sqs.remaining(q) > 1500 && System.nanoTime() < deadline) Thread.sleep(20);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(dir.resolve("term.log"));
            assertThat(log).contains("vigil: stopped after");
            // everything received was finished and deleted: what is left on the queue is all visible (none in flight)
            var attrs = sqs.client.getQueueAttributes(r -> r.queueUrl(q).attributeNames(
                    software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            assertThat(attrs.values()).containsOnly("0");
            try (SqliteStore s = SqliteStore.open(store, Clock.systemUTC())) {
                assertThat(s.processedCount() + sqs.remaining(q)).isEqualTo(bodies.size());
            }
        }
    }

    private static int revokes(Ec2Stub aws) {
        return (int) aws.server.getAllServeEvents().stream().filter(e -> e.getRequest().getBodyAsString().contains("Action=RevokeSecurityGroupIngress&")).count();
    }

    private static String[] append(String[] a, String x) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = x;
        return out;
    }
}
