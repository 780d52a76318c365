package dev.vigil.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.store.RuntimeStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Consumes the queue EventBridge rules and S3 (or SNS) notifications feed. A batch of up to ten messages is received,
 * each message processed to the end (its findings and actions recorded in the store), and only then are they deleted:
 * a crash before the delete makes SQS deliver them again, and the store's processed-event keys and action ledger make
 * that second pass lose nothing and repeat nothing. A message with no readable event is kept in the store and deleted.
 */
public final class SqsSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final LivePipeline pipeline;
    private final TimedExecutor timing;
    private final ObjectSource objects;
    private final RuntimeStore store;
    private final Metrics metrics;
    private final Clock clock;
    private final BiConsumer<String, String> problems;
    private final int waitSeconds;

    SqsSource(SqsClient sqs, String queueUrl, LivePipeline pipeline, TimedExecutor timing, ObjectSource objects, RuntimeStore store,
              Metrics metrics, Clock clock, BiConsumer<String, String> problems, int waitSeconds) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.pipeline = pipeline;
        this.timing = timing;
        this.objects = objects;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.problems = problems;
        this.waitSeconds = waitSeconds;
    }

    /** Receives and handles one batch; returns how many messages it held (0 when the wait ended with none). */
    public int pollOnce() {
        List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
        metrics.polled(clock.millis());
        if (batch.isEmpty()) return 0;
        long received = System.nanoTime(); // every message of the batch was received now
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>(batch.size());
        for (Message m : batch) {
            timing.received(received);
            String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
            if (sent != null) metrics.queueLag(clock.millis() - Long.parseLong(sent));
            try {
                handle(m);
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size())).receiptHandle(m.receiptHandle()).build());
                metrics.message();
            } catch (RuntimeException e) {
                // not deleted: SQS delivers it again after its visibility timeout (and to the dead-letter queue in the end)
                metrics.error("message");
                problems.accept("sqs message " + m.messageId(), "not processed, left on the queue: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
            }
        }
        store.commit(); // what the batch did is durable before its messages leave the queue
        if (!done.isEmpty()) {
            var resp = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
            resp.failed().forEach(f -> problems.accept("sqs delete", f.code() + ": " + f.message()));
        }
        return batch.size();
    }

    private void handle(Message m) {
        String name = "sqs:" + m.messageId();
        String body = unwrapSns(m.body());
        List<ObjectSource.Ref> refs;
        try {
            refs = objects.refs(body);
        } catch (IllegalArgumentException e) { // announces objects, but not in a form vigil can read: kept, not retried
            store.reject(m.messageId(), queueUrl, m.body(), e.getMessage());
            metrics.error("rejected-message");
            problems.accept(name, "kept as rejected: " + e.getMessage());
            return;
        }
        if (refs != null) {
            for (ObjectSource.Ref ref : refs) {
                try (InputStream in = objects.open(ref)) {
                    pipeline.process(ref.toString(), in);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(ref + ": " + e.getMessage(), e);
                }
            }
            return;
        }
        int events = pipeline.process(name, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        if (events == 0) {
            store.reject(m.messageId(), queueUrl, m.body(), "no readable event");
            metrics.error("rejected-message");
            problems.accept(name, "no readable event: kept in the store as rejected and deleted from the queue");
        }
    }

    /** An SNS notification delivered to SQS wraps the real body in {@code Message}. */
    static String unwrapSns(String body) {
        if (body == null || body.length() < 2 || body.charAt(0) != '{' || !body.contains("\"Notification\"")) return body;
        try {
            JsonNode n = JSON.readTree(body);
            if ("Notification".equals(n.path("Type").asText()) && n.path("Message").isTextual()) return n.get("Message").asText();
        } catch (java.io.IOException e) {
            return body; // not JSON: the decoder reports it
        }
        return body;
    }
}
