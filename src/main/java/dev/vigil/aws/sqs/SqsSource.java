package dev.vigil.aws.sqs;

import dev.vigil.core.store.RuntimeStore;
import dev.vigil.metrics.Metrics;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Consumes the queue EventBridge rules and S3 (or SNS) notifications feed: the daemon's one SQS adapter, the only
 * class that calls SQS. A batch of up to ten messages is received, each message handed to the {@link Handler} and
 * processed to the end (its findings and actions recorded in the store), and only then are they deleted: a crash
 * before the delete makes SQS deliver them again, and the store's processed-event keys and action ledger make that
 * second pass lose nothing and repeat nothing. What a message holds is the handler's business (the daemon's
 * {@code QueueMessages}); a handler that throws leaves the message on the queue.
 *
 * <p>The queue lives in one region, the one its URL names ({@link #regionOf}); the client is made for that region
 * whatever regions the daemon watches.
 */
public final class SqsSource {
    /** What is done with one message; throwing leaves it on the queue (delivered again after its visibility timeout). */
    @FunctionalInterface
    public interface Handler {
        void handle(String messageId, String queueUrl, String body);
    }

    /** A queue not usable at start (GetQueueAttributes failed): the message is the one line to print. */
    public static final class Unusable extends RuntimeException {
        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Where the queue is and how to reach it.
     *
     * @param region the region of the client when the URL names none (a local endpoint's URL)
     * @param endpoint the queue's endpoint ({@code --sqs-endpoint-url}, else {@code --endpoint-url}), or null
     */
    public record Queue(String url, Region region, URI endpoint, AwsCredentialsProvider credentials, int waitSeconds) {
        /** The queue's own region when its URL names one, else {@link #region}. */
        public Region clientRegion() {
            return regionOf(url).orElse(region);
        }
    }

    private static final Pattern URL_REGION = Pattern.compile("^https?://(?:sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?"
            + "|sqs\\.([a-z0-9-]+)\\.api\\.aws|([a-z0-9-]+)\\.queue\\.amazonaws\\.com(?:\\.cn)?)(?::\\d+)?/.*");

    /**
     * The region an AWS queue URL names ({@code https://sqs.eu-west-1.amazonaws.com/ACCOUNT/NAME}, the dual-stack
     * {@code sqs.REGION.api.aws} and the legacy {@code REGION.queue.amazonaws.com}); empty for any other URL (a local
     * endpoint such as ElasticMQ's).
     */
    public static Optional<Region> regionOf(String queueUrl) {
        if (queueUrl == null) return Optional.empty();
        Matcher m = URL_REGION.matcher(queueUrl);
        if (!m.matches()) return Optional.empty();
        String r = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        return Optional.of(Region.of(r));
    }

    /** The source on a client of its own (closed with it), made for the queue's region. */
    public static SqsSource connect(Queue q, Handler handler, LongConsumer onReceipt, RuntimeStore store, Metrics metrics, Clock clock,
                                    BiConsumer<String, String> problems) {
        var b = SqsClient.builder().region(q.clientRegion()).credentialsProvider(q.credentials()).httpClient(UrlConnectionHttpClient.create());
        if (q.endpoint() != null) b.endpointOverride(q.endpoint());
        return new SqsSource(b.build(), true, q.clientRegion(), q.url(), handler, onReceipt, store, metrics, clock, problems, q.waitSeconds());
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final LongConsumer onReceipt;
    private final Handler messages;
    private final RuntimeStore store;
    private final Metrics metrics;
    private final Clock clock;
    private final BiConsumer<String, String> problems;
    private final int waitSeconds;
    private final boolean ownsClient;
    /** The region the client was made for, when {@link #connect} made it (else null). */
    private final Region clientRegion;

    /**
     * @param onReceipt told, before each message is handled, when its batch was received ({@link System#nanoTime}):
     *     the latency to the first AWS call is measured from there
     * @param store committed once a batch is handled, before its messages are deleted
     */
    public SqsSource(SqsClient sqs, String queueUrl, Handler handler, LongConsumer onReceipt, RuntimeStore store, Metrics metrics, Clock clock,
                     BiConsumer<String, String> problems, int waitSeconds) {
        this(sqs, false, null, queueUrl, handler, onReceipt, store, metrics, clock, problems, waitSeconds);
    }

    private SqsSource(SqsClient sqs, boolean ownsClient, Region clientRegion, String queueUrl, Handler handler, LongConsumer onReceipt,
                      RuntimeStore store, Metrics metrics, Clock clock, BiConsumer<String, String> problems, int waitSeconds) {
        this.sqs = sqs;
        this.ownsClient = ownsClient;
        this.clientRegion = clientRegion;
        this.queueUrl = queueUrl;
        this.onReceipt = onReceipt;
        this.messages = handler;
        this.store = store;
        this.metrics = metrics;
        metrics.queueSource();
        this.clock = clock;
        this.problems = problems;
        this.waitSeconds = waitSeconds;
    }

    /**
     * The queue answers GetQueueAttributes: it exists, in its region, and the credentials may read it.
     *
     * @throws Unusable with one line naming what is wrong and the fix
     */
    public void check() {
        boolean named = regionOf(queueUrl).isPresent(); // the URL names the region: --region does not change it
        String region = clientRegion != null ? clientRegion.id() : regionOf(queueUrl).map(Region::id).orElse(null);
        try {
            sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null ? e.awsErrorDetails().errorCode()
                    : String.valueOf(e.statusCode());
            String why = code.contains("NonExistentQueue") || code.contains("QueueDoesNotExist")
                    ? "no such queue" + (region != null ? " in " + region : "") + ": check --queue-url" + (named ? "" : " and --region")
                    : code.contains("AccessDenied") ? "access denied: the principal needs sqs:GetQueueAttributes, sqs:ReceiveMessage and"
                            + " sqs:DeleteMessage on it ('vigil permissions' lists them)"
                    : "SQS answered " + code + ": check --queue-url and --region";
            throw new Unusable("queue " + queueUrl + " not usable (GetQueueAttributes: " + code + "): " + why, e);
        } catch (RuntimeException e) {
            throw new Unusable("queue " + queueUrl + " not reachable (" + rootCause(e) + "): check --queue-url, --region and"
                    + " --sqs-endpoint-url/--endpoint-url", e);
        }
    }

    /** The innermost cause's class and first line, bounded: never the SDK's provider-chain dump. */
    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? "" : t.getMessage().replaceAll("\\s+", " ").trim();
        return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) + "..." : m));
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
        if (ownsClient) sqs.close();
    }

    private void handle(Batch batch) {
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>(batch.messages().size());
        for (Message m : batch.messages()) {
            onReceipt.accept(batch.receivedNanos());
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
