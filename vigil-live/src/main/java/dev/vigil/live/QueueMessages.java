package dev.vigil.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.ObjectSource;
import dev.vigil.core.store.RuntimeStore;
import dev.vigil.metrics.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One queue message, whoever received it (the daemon's {@link SqsSource}, the Lambda SQS handler): an SNS envelope is
 * unwrapped; an S3 notification of CloudTrail log files has its objects streamed through the pipeline; anything else
 * is decoded as events. A message with no readable event (or an S3 notification in a form vigil cannot read) is kept
 * in the store as rejected and counts as done: retrying it could never succeed. Anything else that goes wrong (S3,
 * the store) is thrown, so that the message is delivered again.
 */
public final class QueueMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What became of a message. */
    public sealed interface Outcome {
        /** Its events went through the pipeline ({@code events} of them, objects' records included). */
        record Processed(int events) implements Outcome {}

        /** Kept in the store as rejected: it can never be read. */
        record Rejected(String reason) implements Outcome {}
    }

    private final LivePipeline pipeline;
    private final ObjectSource objects;
    private final RuntimeStore store;
    private final Metrics metrics;
    private final BiConsumer<String, String> problems;

    /** @param objects where announced log files are read from ({@link ObjectSource#NONE} when there is no S3 access) */
    public QueueMessages(LivePipeline pipeline, ObjectSource objects, RuntimeStore store, Metrics metrics, BiConsumer<String, String> problems) {
        this.pipeline = pipeline;
        this.objects = objects;
        this.store = store;
        this.metrics = metrics;
        this.problems = problems;
    }

    /**
     * @param source where the message came from (a queue URL or ARN), kept with a rejected message
     * @throws RuntimeException when the message should be delivered again (an object could not be read, the store failed)
     */
    public Outcome handle(String messageId, String source, String rawBody) {
        return handle("sqs:" + messageId, messageId, source, rawBody);
    }

    /** @param name what problems and event origins call the message ({@code sqs:<id>}, {@code event:<request id>}) */
    public Outcome handle(String name, String messageId, String source, String rawBody) {
        String body = unwrapSns(rawBody == null ? "" : rawBody);
        List<ObjectSource.Ref> refs;
        try {
            refs = objects.refs(body);
        } catch (IllegalArgumentException e) { // announces objects, but not in a form vigil can read: kept, not retried
            return reject(messageId, source, rawBody, name, e.getMessage(), "kept as rejected: " + e.getMessage());
        }
        if (refs != null) {
            int n = 0;
            for (ObjectSource.Ref ref : refs) {
                try (InputStream in = objects.open(ref)) {
                    n += pipeline.process(ref.toString(), in);
                } catch (IOException e) {
                    throw new UncheckedIOException(ref + ": " + e.getMessage(), e);
                }
            }
            return new Outcome.Processed(n);
        }
        int events = pipeline.process(name, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        if (events == 0) {
            return reject(messageId, source, rawBody, name, "no readable event", "no readable event: kept in the store as rejected and not retried");
        }
        return new Outcome.Processed(events);
    }

    private Outcome reject(String messageId, String source, String body, String name, String reason, String line) {
        store.reject(messageId, source, body, reason);
        metrics.error("rejected-message");
        problems.accept(name, line);
        return new Outcome.Rejected(reason);
    }

    /** An SNS notification delivered to SQS wraps the real body in {@code Message}. */
    public static String unwrapSns(String body) {
        if (body == null || body.length() < 2 || body.charAt(0) != '{' || !body.contains("\"Notification\"")) return body;
        try {
            JsonNode n = JSON.readTree(body);
            if ("Notification".equals(n.path("Type").asText()) && n.path("Message").isTextual()) return n.get("Message").asText();
        } catch (IOException e) {
            return body; // not JSON: the decoder reports it
        }
        return body;
    }
}
