package dev.vigil.live;

import dev.vigil.core.store.RuntimeStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 * that second pass lose nothing and repeat nothing. What a message holds is read by {@link QueueMessages}: one with no
 * readable event is kept in the store and deleted.
 */
public final class SqsSource {
    private final SqsClient sqs;
    private final String queueUrl;
    private final TimedExecutor timing;
    private final QueueMessages messages;
    private final RuntimeStore store;
    private final Metrics metrics;
    private final Clock clock;
    private final BiConsumer<String, String> problems;
    private final int waitSeconds;

    SqsSource(SqsClient sqs, String queueUrl, LivePipeline pipeline, TimedExecutor timing, ObjectSource objects, RuntimeStore store,
              Metrics metrics, Clock clock, BiConsumer<String, String> problems, int waitSeconds) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.timing = timing;
        this.messages = new QueueMessages(pipeline, objects, store, metrics, problems);
        this.store = store;
        this.metrics = metrics;
        metrics.queueSource();
        this.clock = clock;
        this.problems = problems;
        this.waitSeconds = waitSeconds;
    }

    /** A batch as received, and when. An empty list: the receive found the queue empty. */
    private record Batch(List<Message> messages, long receivedNanos) {}

    private final SynchronousQueue<Batch> ready = new SynchronousQueue<>();
    private final ExecutorService deleter = Executors.newSingleThreadExecutor(r -> daemonThread(r, "vigil-sqs-delete"));
    private volatile boolean receiving = true;
    private Thread receiver;

    /**
     * Receiving and deleting run on threads of their own, so that the processing thread only processes: the next
     * batch is received while this one is handled and handed over when this one is done (one batch waits at most, so a
     * message's wait for the processing thread stays short), and a
     * batch is deleted once its writes are committed. Latency is measured from a batch's receipt, waiting included.
     */
    private void startReceiver() {
        receiver = daemonThread(() -> {
            while (receiving) {
                try {
                    List<Message> got = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)
                            .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
                    metrics.received(clock.millis());
                    ready.put(new Batch(got, System.nanoTime()));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!receiving) return;
                    metrics.error("receive");
                    problems.accept("sqs receive", e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
                    sleep(1000);
                }
            }
        }, "vigil-sqs-receive");
        receiver.start();
    }

    /** Handles the next received batch; returns how many messages it held (0 when the queue was found empty). */
    public int pollOnce() {
        if (receiver == null) startReceiver();
        Batch b;
        try {
            b = ready.poll(waitSeconds + 2L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        metrics.polled(clock.millis());
        if (b == null || b.messages().isEmpty()) return 0;
        handle(b);
        return b.messages().size();
    }

    /** Stops receiving; handles what was already received; waits for the deletes. */
    public void close() {
        receiving = false;
        Batch b;
        // the receiver ends after its current long poll; what it got meanwhile is handled, never dropped
        while (receiver != null && receiver.isAlive()) {
            while ((b = ready.poll()) != null) if (!b.messages().isEmpty()) handle(b);
            try {
                receiver.join(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        while ((b = ready.poll()) != null) if (!b.messages().isEmpty()) handle(b);
        deleter.shutdown();
        try {
            deleter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Batch batch) {
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>(batch.messages().size());
        for (Message m : batch.messages()) {
            timing.received(batch.receivedNanos());
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
            deleter.execute(() -> {
                try {
                    dev.vigil.core.response.FaultPoints.at(dev.vigil.core.response.FaultPoints.Step.DELETE);
                    var resp = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
                    resp.failed().forEach(f -> problems.accept("sqs delete", f.code() + ": " + f.message()));
                } catch (RuntimeException e) { // the messages come back after their visibility timeout and are skipped
                    metrics.error("delete");
                    problems.accept("sqs delete", e.getClass().getSimpleName());
                }
            });
        }
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Message m) {
        messages.handle(m.messageId(), queueUrl, m.body());
    }

    /** An SNS notification delivered to SQS wraps the real body in {@code Message}. */
    static String unwrapSns(String body) {
        return QueueMessages.unwrapSns(body);
    }
}
