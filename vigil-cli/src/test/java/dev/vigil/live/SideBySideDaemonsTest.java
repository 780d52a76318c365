package dev.vigil.live;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.notify.LocalHttp;
import dev.vigil.testing.LocalSqs;
import dev.vigil.testing.Moto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Two daemons side by side ({@code vigil run --store dynamodb://TABLE}, each a JVM of its own on the test's class
 * path) on one queue of 2,000 messages: the table on moto, the queue on ElasticMQ (moto's SQS takes about 2 s per
 * ReceiveMessage on a queue of 2,000 messages here, longer than a batch's visibility), EC2 a WireMock stub that counts the revokes;
 * one daemon is killed with SIGKILL midway and the other carries on. Every response is applied once, every finding and
 * event recorded once, no notification sent twice.
 */
@ExtendWith(Moto.class)
class SideBySideDaemonsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MESSAGES = 2_000;
    static final int EVERY = 10; // 200 world-open groups: 200 findings, 200 revokes, 200 notifications
    static final String TABLE = "vigil-shared";

    @TempDir
    Path dir;

    @Test
    void twoDaemonsOnOneQueueOneKilledMidwayApplyEachResponseOnceAndRecordEachFindingOnce(Moto moto) throws Exception {
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
        try (Ec2Stub aws = Ec2Stub.start(); LocalHttp hook = new LocalHttp(); LocalSqs local = new LocalSqs();
             // no call timeout: moto scans a table of some thousand items slowly
             DynamoDbClient dynamo = DynamoDbClient.builder().region(software.amazon.awssdk.regions.Region.EU_WEST_1).endpointOverride(moto.endpoint())
                     .credentialsProvider(Moto.CREDS).httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                             .socketTimeout(java.time.Duration.ofMinutes(2)).build()).build()) {
            aws.callerIdentity("arn:aws:sts::111122223333:assumed-role/vigil-daemon/i-0123456789abcdef0"); // vigil run checks its credentials at start
            aws.server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=RevokeSecurityGroupIngress&"))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(5)
                            .withBody(Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"))));
            DynamoStore.createTable(dynamo, TABLE);
            SqsClient sqs = local.client;
            String q = local.queue("shared", 30);
            for (int i = 0; i < MESSAGES; i += 10) {
                List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
                for (int j = i; j < i + 10; j++) {
                    batch.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(CrashEvents.event(j, j % EVERY == 0)).build());
                }
                sqs.sendMessageBatch(b -> b.queueUrl(q).entries(batch));
            }

            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "AWS_REGION", "eu-west-1",
                    "HOOK_URL", hook.url("/hook"), "AWS_ENDPOINT_URL_DYNAMODB", moto.endpoint().toString(),
                    // the survivor leaves the killed one's claims alone until their lease runs out (their messages come
                    // back meanwhile): 30 s, not the default 480 s, so that it runs out within the test
                    "VIGIL_CLAIM_LEASE_SECONDS", "30");
            String[] args = {"--policy", policy.toString(), "--queue-url", q, "--sqs-endpoint-url", local.endpoint.toString(),
                    "--endpoint-url", aws.endpoint().toString(), "--store", LiveStores.DYNAMODB + TABLE, "--http-port", "-1",
                    "--wait-seconds", "1", "--no-look-up", "--account", "111122223333"};
            Process a = DaemonProcess.start(dir.resolve("a.log"), env, args);
            Process b = DaemonProcess.start(dir.resolve("b.log"), env, args);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(540); // moto is slow, slower on a loaded machine
                while (revokes(aws) < 40 && System.nanoTime() < deadline && a.isAlive()) Thread.sleep(20);
                assertThat(a.isAlive()).as(Files.readString(dir.resolve("a.log"))).isTrue();
                a.destroyForcibly(); // SIGKILL, midway
                a.waitFor(10, TimeUnit.SECONDS);
                assertThat(revokes(aws)).isLessThan(MESSAGES / EVERY);

                // the other one drains the queue, the killed one's messages too once their visibility times out
                while (remaining(sqs, q) > 0 && System.nanoTime() < deadline && b.isAlive()) Thread.sleep(200);
                assertThat(remaining(sqs, q)).as(Files.readString(dir.resolve("b.log"))).isZero();
            } finally {
                a.destroyForcibly();
                b.destroy(); // SIGTERM: finishes the batch in hand
                b.waitFor(30, TimeUnit.SECONDS);
                b.destroyForcibly();
            }

            // each response applied once: at most one revoke per group, and every group revoked but the one (or the
            // batch) the kill cut short while its claim was in progress (a claim held by a dead daemon past its lease is
            // interrupted: checked in the account, here held since the stub answers no look-up, never blindly redone)
            Map<String, Long> perGroup = aws.sent().stream().filter(f -> "RevokeSecurityGroupIngress".equals(f.get("Action")))
                    .collect(Collectors.groupingBy(f -> f.get("GroupId"), Collectors.counting()));
            assertThat(perGroup.values()).allMatch(n -> n == 1);
            List<Map<String, AttributeValue>> all = scan(dynamo);
            Map<String, Long> items = countByKind(all);
            assertThat(items.get("event")).as("every event recorded once: " + items).isEqualTo(MESSAGES);
            assertThat(items.get("finding")).as("every finding recorded once").isEqualTo(MESSAGES / EVERY);
            long inProgress = claims(all, "in-progress");
            assertThat(perGroup.size() + inProgress).as("revoked, or cut short by the kill: " + items).isGreaterThanOrEqualTo(MESSAGES / EVERY);
            assertThat(inProgress).isLessThanOrEqualTo(2 * 10); // at most one batch of the killed daemon
            // a notification sent twice only when the kill interrupted it (at least once): at most the killed one's batch
            Map<String, Integer> perFinding = new HashMap<>();
            for (String body : hook.bodies()) perFinding.merge(JSON.readTree(body).path("resource").asText(), 1, Integer::sum);
            assertThat(perFinding.values()).allMatch(n -> n <= 2);
            assertThat(perFinding.values().stream().filter(n -> n == 2).count()).isLessThanOrEqualTo(10);
            System.out.printf("side by side: %d revokes (%d groups), %d in-progress claims left by the killed daemon, %d notifications%n",
                    perGroup.values().stream().mapToLong(Long::longValue).sum(), perGroup.size(), inProgress, perFinding.size());
        }
    }

    private static int revokes(Ec2Stub aws) {
        return (int) aws.server.getAllServeEvents().stream().filter(e -> e.getRequest().getBodyAsString().contains("Action=RevokeSecurityGroupIngress&")).count();
    }

    private static int remaining(SqsClient sqs, String q) {
        var a = sqs.getQueueAttributes(r -> r.queueUrl(q).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Items by the kind their partition key names ({@code event#..}, {@code finding#..}, {@code claim#..}). */
    private static List<Map<String, AttributeValue>> scan(DynamoDbClient dynamo) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (var page : dynamo.scanPaginator(b -> b.tableName(TABLE))) out.addAll(page.items());
        return out;
    }

    private static Map<String, Long> countByKind(List<Map<String, AttributeValue>> items) {
        Map<String, Long> out = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
            String pk = item.get("pk").s();
            out.merge(pk.substring(0, pk.indexOf('#') < 0 ? pk.length() : pk.indexOf('#')), 1L, Long::sum);
        }
        return out;
    }

    private static long claims(List<Map<String, AttributeValue>> items, String status) {
        return items.stream().filter(i -> i.get("pk").s().startsWith("claim#") && i.containsKey("status") && status.equals(i.get("status").s())).count();
    }
}
