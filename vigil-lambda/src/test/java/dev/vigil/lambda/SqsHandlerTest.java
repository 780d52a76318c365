package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.store.RuntimeStore;
import dev.vigil.store.SqliteStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SqsHandler: batches as Lambda's SQS event source hands them over, answered with partial batch failures. A message
 * that can never be read is rejected (kept in the store, not listed: deleted, not retried until the dead-letter
 * queue); one whose processing failed (here: its log file cannot be read from S3) is listed, alone.
 */
class SqsHandlerTest {
    static final String QUEUE = "arn:aws:sqs:eu-west-1:111122223333:vigil-events";
    static final String KEY = "AWSLogs/123456789012/CloudTrail/eu-west-1/2025/03/11/";

    @TempDir
    Path dir;

    LambdaHarness h;
    SqsHandler handler;

    @BeforeEach
    void start() throws Exception {
        h = new LambdaHarness(dir, Clock.fixed(Instant.parse("2024-07-02T14:00:00Z"), ZoneOffset.UTC));
        handler = new SqsHandler(h.invocations);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** Lambda's SQS event: {"Records":[{"messageId","receiptHandle","body","attributes",...,"eventSourceARN"}]}. */
    static String batch(List<String> ids, List<String> bodies) {
        ObjectNode root = LambdaHarness.JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (int i = 0; i < bodies.size(); i++) {
            ObjectNode r = records.addObject();
            if (ids.get(i) != null) r.put("messageId", ids.get(i));
            r.put("receiptHandle", "AQEB" + i);
            r.put("body", bodies.get(i));
            r.putObject("attributes").put("ApproximateReceiveCount", "1").put("SentTimestamp", "1710166200000");
            r.putObject("messageAttributes");
            r.put("md5OfBody", "0");
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", QUEUE);
            r.put("awsRegion", "eu-west-1");
        }
        return root.toString();
    }

    static String snsEnvelope(String message) {
        return LambdaHarness.JSON.createObjectNode().put("Type", "Notification").put("MessageId", "sns-1")
                .put("TopicArn", "arn:aws:sns:eu-west-1:111122223333:t").put("Message", message).toString();
    }

    @Test
    void onlyTheMessageThatFailedComesBackAndThePoisonMessageIsKeptNotRetried() throws Exception {
        List<String> sg = EventsHandlerTest.events("examples/sg-guard/eventbridge-sg-calls.json");
        List<String> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < sg.size(); i++) {
            ids.add("m-sg-" + i);
            bodies.add(i == 1 ? snsEnvelope(sg.get(i)) : sg.get(i)); // one arrives through SNS
        }
        ids.add("m-poison");
        bodies.add("this is not an event {");
        ids.add("m-missing-object");
        bodies.add(LambdaHarness.objectCreated("trail-bucket", KEY + "gone.json.gz")); // S3 answers 404: may work later
        ids.add(null);
        bodies.add("{}");
        ids.add("m-guardduty");
        bodies.add(EventsHandlerTest.events("examples/guardduty/01-bitcoin-dns-finding.json").get(0));

        JsonNode reply = LambdaHarness.invoke(handler, batch(ids, bodies), "req-batch-1");
        assertThat(reply.toString()).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-missing-object\"}]}");
        assertThat(h.store.rejectedCount()).isEqualTo(1);
        assertThat(h.problems).anySatisfy(p -> assertThat(p).startsWith("sqs:m-poison: no readable event"));
        assertThat(h.problems).anySatisfy(p -> assertThat(p).startsWith("sqs:m-missing-object (record 6): not processed, will be retried")
                .contains("s3://trail-bucket/" + KEY + "gone.json.gz"));
        assertThat(h.problems).anySatisfy(p -> assertThat(p).startsWith("sqs batch req-batch-1 record 7: no messageId"));
        assertThat(h.sent("RevokeSecurityGroupIngress")).hasSize(2);
        assertThat(h.findings()).extracting(f -> f.path("rule").asText()).contains("sg-ingress-changed", "sg-open-to-world", "guardduty-finding");
        JsonNode summary = h.stdout().stream().filter(n -> n.has("invocation")).reduce((a, b) -> b).orElseThrow().path("invocation");
        assertThat(summary.path("handler").asText()).isEqualTo("sqs");
        assertThat(summary.path("messages").asInt()).isEqualTo(8);
        assertThat(summary.path("failed").asInt()).isEqualTo(1);
        assertThat(summary.path("rejected").asInt()).isEqualTo(1);

        // SQS delivers the failed message again, with the others (a crash before the batch was deleted): nothing repeats
        int calls = h.aws.sent().size();
        int posts = h.slack.received.size();
        h.serveObject("trail-bucket", KEY + "gone.json.gz", Files.readAllBytes(Path.of("examples/cloudtrail/" + KEY
                + "123456789012_CloudTrail_eu-west-1_20250311T1405Z_Pz3oFj9sRkw5Uy1M.json.gz")));
        reply = LambdaHarness.invoke(handler, batch(ids, bodies), "req-batch-2");
        assertThat(reply.path("batchItemFailures")).isEmpty();
        assertThat(h.sent("RevokeSecurityGroupIngress")).hasSize(2);
        assertThat(h.slack.received).hasSize(posts);
        assertThat(h.aws.sent().size()).isGreaterThanOrEqualTo(calls);
        assertThat(h.store.rejectedCount()).isEqualTo(1); // the poison message again: already kept (by its id), never listed
    }

    @Test
    void aStoreFailureWhileAnEventIsHandledFailsItsMessageNotTheBatchAndLosesNothing() throws Exception {
        h.close();
        // a state store that fails for one event (DynamoDB throttled, say) and works for the others
        String failing = "c0ffee00-0000-4000-8000-000000000002"; // the CloudTrail eventID of the second call
        boolean[] broken = {true};
        SqliteStore sqlite = SqliteStore.open(dir.resolve("failing.db"), Clock.systemUTC());
        RuntimeStore state = (RuntimeStore) Proxy.newProxyInstance(RuntimeStore.class.getClassLoader(), new Class<?>[] {RuntimeStore.class},
                (proxy, m, args) -> {
                    if (broken[0] && m.getName().equals("isProcessed") && ((String) args[0]).contains(failing)) {
                        throw new IllegalStateException("dynamodb isProcessed: ProvisionedThroughputExceededException");
                    }
                    try {
                        return m.invoke(sqlite, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        h = new LambdaHarness(dir.resolve("h"), Clock.fixed(Instant.parse("2024-07-02T14:00:00Z"), ZoneOffset.UTC),
                Path.of("examples/policy.yaml"), state);
        handler = new SqsHandler(h.invocations);
        List<String> sg = EventsHandlerTest.events("examples/sg-guard/eventbridge-sg-calls.json");
        List<String> ids = List.of("m-0", "m-1", "m-2", "m-3");
        JsonNode reply = LambdaHarness.invoke(handler, batch(ids, sg));
        assertThat(reply.toString()).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"}]}");
        assertThat(h.problems).anySatisfy(p -> assertThat(p).startsWith("sqs:m-1 (record 2): not processed, will be retried: IllegalStateException"));
        assertThat(sqlite.rejectedCount()).isZero();
        assertThat(h.sent("RevokeSecurityGroupIngress")).hasSize(1);

        broken[0] = false; // SQS delivers m-1 again, alone
        reply = LambdaHarness.invoke(handler, batch(List.of("m-1"), List.of(sg.get(1))));
        assertThat(reply.path("batchItemFailures")).isEmpty();
        assertThat(h.sent("RevokeSecurityGroupIngress")).hasSize(2);
        sqlite.close();
    }

    @Test
    void anInputThatIsNotAnSqsEventFailsTheInvocationWithOneLine() {
        assertThatThrownBy(() -> LambdaHarness.invoke(handler, "{\"hello\":1}", "req-x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("SQS event without Records (request req-x)");
        assertThatThrownBy(() -> LambdaHarness.invoke(handler, "not json", "req-y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("SQS event is not JSON");
    }
}
