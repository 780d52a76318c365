package dev.vigil.aws.sqs;

import dev.vigil.core.store.RuntimeStore;
import dev.vigil.metrics.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Consumes the queue EventBridge rules and S3 (or SNS) notifications feed. A batch of up to ten messages is received,
 * each message processed to the end (its findings and actions recorded in the store), and only then are they deleted:
 * a crash before the delete makes SQS deliver them again, and the store's processed-event keys and action ledger make
 * that second pass lose nothing and repeat nothing. What a message holds is read by its {@link Handler} (the daemon's
 * {@code QueueMessages}): one that throws leaves the message on the queue. With {@link SqsQueue}, the one SQS adapter:
 * nothing else calls SQS, and only the daemon's wiring connects it.
 */
public final class SqsSource {
    /** What is done with one message; throwing leaves it on the queue (delivered again after its visibility timeout). */
    @FunctionalInterface
    public interface Handler {
        void handle(String messageId, String queueUrl, String body);
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final LongConsumer timing;
    private final Handler messages;
    private final RuntimeStore store;
    private final Metrics metrics;
    private final Clock clock;
    private final BiConsumer<String, String> problems;
    private final int waitSeconds;
    /** The queue, when {@link #connect} made the client (then closed with the source); else null. */
    private final SqsQueue queue;

    /**
     * @param timing told, before each message is handled, when its batch was received ({@link System#nanoTime}): the
     *     latency to the first AWS call is measured from there
     * @param store committed once a batch is handled, before its messages are deleted
     */
    public SqsSource(SqsClient sqs, String queueUrl, Handler messages, LongConsumer timing, RuntimeStore store, Metrics metrics, Clock clock,
                     BiConsumer<String, String> problems, int waitSeconds) {
        this(sqs, null, queueUrl, messages, timing, store, metrics, clock, problems, waitSeconds);
    }

    private SqsSource(SqsClient sqs, SqsQueue queue, String queueUrl, Handler messages, LongConsumer timing, RuntimeStore store,
                      Metrics metrics, Clock clock, BiConsumer<String, String> problems, int waitSeconds) {
        this.sqs = sqs;
        this.queue = queue;
        this.queueUrl = queueUrl;
        this.timing = timing;
        this.messages = messages;
        this.store = store;
        this.metrics = metrics;
        metrics.queueSource();
        this.clock = clock;
        this.problems = problems;
        this.waitSeconds = waitSeconds;
    }

    /** The source on a client of its own, made in the queue's region and closed with the source. */
    public static SqsSource connect(SqsQueue q, Handler messages, LongConsumer timing, RuntimeStore store, Metrics metrics, Clock clock,
                                    BiConsumer<String, String> problems) {
        return new SqsSource(q.client(), q, q.url(), messages, timing, store, metrics, clock, problems, q.waitSeconds());
    }

    /**
     * The start-up check of a connected source: GetQueueAttributes answers.
     *
     * @throws SqsQueue.Unusable with one line naming what is wrong and the fix
     */
    public void check() {
        (queue != null ? queue : new SqsQueue(queueUrl, null, null, null, waitSeconds)).check(sqs);
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

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Stops receiving; handles what was already received; waits for the deletes (once: a second call does nothing). */
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
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
        if (queue != null) sqs.close();
    }

    private void handle(Batch batch) {
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>(batch.messages().size());
        for (Message m : batch.messages()) {
            timing.accept(batch.receivedNanos());
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
}
