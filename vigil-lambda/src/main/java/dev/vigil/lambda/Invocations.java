package dev.vigil.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.aws.dynamo.TimerInput;
import dev.vigil.core.engine.Timer;
import dev.vigil.live.QueueMessages;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * What each function does with its input, in terms of the live use case ({@link dev.vigil.live.LivePipeline} and
 * {@link QueueMessages}, the daemon's own): parse the envelope, delegate, commit, answer. Bad input never throws: it
 * is one problem line naming the request or message, counted, and kept in the store as rejected (retrying it could
 * never succeed). What may succeed on a second try (S3, the store, a client) throws, so that Lambda or SQS delivers
 * the input again; processed-event keys, the ledger and finding ids keep that second pass from repeating anything.
 */
final class Invocations {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Failed notifications are retried, and old keys forgotten, at most this often per function instance. */
    static final Duration TICK = Duration.ofSeconds(60);

    private final Wiring w;
    /** The SnapStart priming hook, held here because the CRaC context holds its resources weakly (null in tests). */
    private final SnapStartPriming priming;
    private Instant lastTick = Instant.MIN;

    Invocations(Wiring wiring) {
        this(wiring, null);
    }

    Invocations(Wiring wiring, SnapStartPriming priming) {
        this.w = wiring;
        this.priming = priming;
    }

    /** The function's priming hook, or null when none was registered. */
    SnapStartPriming priming() {
        return priming;
    }

    /** The counters at the start of an invocation, and what its log line says. */
    private final class Tally {
        final long start = System.nanoTime();
        final long events = w.metrics.events();
        final long duplicates = w.metrics.duplicates();
        final int findings = w.findings.count();
        final ObjectNode info = JSON.createObjectNode();

        /** Logs the invocation as one line, {@code {"invocation":{...}}}, and returns what it says. */
        ObjectNode end(String handler, String request) {
            ObjectNode o = JSON.createObjectNode();
            o.put("handler", handler);
            o.put("request", request);
            o.put("events", w.metrics.events() - events);
            o.put("duplicates", w.metrics.duplicates() - duplicates);
            o.put("findings", w.findings.count() - findings);
            o.setAll(info);
            o.put("ms", (System.nanoTime() - start) / 1_000_000);
            ObjectNode line = JSON.createObjectNode();
            line.set("invocation", o);
            w.findings.log(line.toString());
            return o;
        }
    }

    private Tally begin() {
        w.learnSelf();
        w.inventory.refresh(w.clock.instant());
        return new Tally();
    }

    /** Once a minute at most: failed notifications due again are retried, old processed-event keys forgotten. */
    private void maybeTick() {
        Instant now = w.clock.instant();
        if (Duration.between(lastTick, now).compareTo(TICK) < 0 && lastTick != Instant.MIN) return;
        lastTick = now;
        try {
            w.pipeline.tick();
        } catch (RuntimeException e) { // the invocation's own work is done and committed: this waits for the next one
            w.metrics.error("tick");
            w.problems.accept("housekeeping", oneLine(e));
        }
    }

    /**
     * One input per invocation (EventBridge event, S3 notification, CloudWatch Logs payload): processed, or rejected
     * when nothing in it can be read.
     *
     * @param source what a rejected input is recorded as coming from
     */
    ObjectNode single(String handler, String source, String requestId, byte[] body) {
        Tally t = begin();
        QueueMessages.Outcome o = w.messages.handle(handler + ":" + requestId, requestId, source, new String(body, StandardCharsets.UTF_8));
        w.pipeline.commit();
        if (o instanceof QueueMessages.Outcome.Rejected r) t.info.put("rejected", r.reason());
        maybeTick();
        return t.end(handler, requestId);
    }

    /**
     * An SQS batch ({@code {"Records":[{"messageId","body","eventSourceARN",...}]}}), each message handled and
     * committed on its own. The answer is Lambda's partial batch response: the ids of the messages that failed and
     * should come back, and only those ({@code ReportBatchItemFailures}). A message that can never be read is
     * rejected (kept in the store) and not listed, so it is deleted rather than retried until the dead-letter queue.
     *
     * @throws IllegalArgumentException when the input is not an SQS event at all: no message can be named, so the
     *     whole batch comes back (and ends in the dead-letter queue)
     */
    ObjectNode sqs(String requestId, byte[] body) {
        Tally t = begin();
        JsonNode records = readTree(body, "SQS event").path("Records");
        if (!records.isArray()) throw new IllegalArgumentException("SQS event without Records (request " + requestId + ")");
        ObjectNode reply = JSON.createObjectNode();
        ArrayNode failures = reply.putArray("batchItemFailures");
        int rejected = 0;
        int position = 0;
        for (JsonNode r : records) {
            position++;
            String id = r.path("messageId").asText(null);
            if (id == null || id.isEmpty()) { // cannot be reported, hence not retried: say so
                w.metrics.error("message");
                w.problems.accept("sqs batch " + requestId + " record " + position, "no messageId: skipped");
                continue;
            }
            try {
                var o = w.messages.handle(id, r.path("eventSourceARN").asText("sqs"), r.path("body").asText(""));
                w.pipeline.commit();
                if (o instanceof QueueMessages.Outcome.Rejected) rejected++;
                w.metrics.message();
            } catch (RuntimeException e) {
                failures.addObject().put("itemIdentifier", id);
                w.metrics.error("message");
                w.problems.accept("sqs:" + id + " (record " + position + ")", "not processed, will be retried: " + oneLine(e));
            }
        }
        maybeTick();
        t.info.put("messages", position).put("failed", failures.size()).put("rejected", rejected);
        t.end("sqs", requestId);
        return reply;
    }

    /**
     * The daily schedule's invocation (EventBridge Scheduler's default payload, a "Scheduled Event" whose {@code time}
     * is the scheduled time): bastion-watch's daily timers fire ({@link DailyReports}).
     */
    ObjectNode schedule(String requestId, byte[] body) {
        Tally t = begin();
        Instant tick = scheduledTime(body);
        t.info.put("time", tick.toString());
        t.info.put("fired", DailyReports.fire(w, tick));
        maybeTick();
        return t.end("schedule", requestId);
    }

    /** A timer's one-time schedule fired ({@link TimerInput}): the timer fires once through the engine. */
    ObjectNode timer(String requestId, byte[] body) {
        Tally t = begin();
        String text = new String(body, StandardCharsets.UTF_8);
        Timer timer;
        try {
            timer = TimerInput.read(text);
        } catch (IllegalArgumentException e) {
            w.store.store().reject(requestId, "scheduler", text, e.getMessage());
            w.pipeline.commit();
            w.metrics.error("rejected-message");
            w.problems.accept("timer:" + requestId, "kept as rejected: " + e.getMessage());
            t.info.put("rejected", e.getMessage());
            return t.end("timer", requestId);
        }
        t.info.put("timer", timer.owner() + " " + timer.key() + " " + timer.due());
        t.info.put("fired", w.pipeline.fireTimer(timer, w.store.timerInbox()));
        maybeTick();
        return t.end("timer", requestId);
    }

    /** The scheduled event's time, else now (to the minute): the daily tick works whatever the payload holds. */
    private Instant scheduledTime(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.path("time").isTextual()) return Instant.parse(n.get("time").asText());
        } catch (IOException | DateTimeParseException e) {
            w.problems.accept("schedule", "no readable time in the scheduled event, using the clock: " + oneLine(e));
        }
        return w.clock.instant().truncatedTo(ChronoUnit.MINUTES);
    }

    private static JsonNode readTree(byte[] body, String what) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) throw new IllegalArgumentException(what + " is not a JSON object");
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + oneLine(e));
        }
    }

    static String requestId(Context context) {
        return context != null && context.getAwsRequestId() != null ? context.getAwsRequestId() : UUID.randomUUID().toString();
    }

    static void write(OutputStream out, ObjectNode reply) throws IOException {
        PrintStream p = new PrintStream(out, false, StandardCharsets.UTF_8);
        p.print(reply.toString());
        p.flush();
    }

    static String oneLine(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
