package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TimerHandler and ScheduleHandler over bastion-watch: the detector's timers become one-time schedules (in a local
 * Scheduler that keeps them); firing one hands its input to the timer function, which fires it once through the
 * engine; the daily schedule fires the daily timer when it is due, deduplicated with the timer function.
 */
class TimerAndScheduleHandlersTest {
    static final String DAILY = "vigil-bastions-daily-report";

    @TempDir
    Path dir;

    TestClock clock;
    LambdaHarness h;

    @BeforeEach
    void start() throws Exception {
        clock = new TestClock(Instant.parse("2026-05-04T08:30:00Z"));
        h = new LambdaHarness(dir, clock);
        EventsHandler events = new EventsHandler(h.invocations);
        for (String e : Files.readAllLines(Path.of("examples/bastion/01-eventbridge-2026-05-04.jsonl"))) {
            if (e.isBlank()) continue;
            clock.set(Instant.parse(LambdaHarness.JSON.readTree(e).path("time").asText()).plusSeconds(5));
            LambdaHarness.invoke(events, e);
        }
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** Findings of one rule among those published to the policy's SNS topic. */
    long published(String rule) {
        return h.sent("Publish").stream().filter(f -> "arn:aws:sns:eu-west-1:111122223333:vigil-security".equals(f.get("TopicArn")))
                .filter(f -> f.getOrDefault("Message", "").contains(rule)).count();
    }

    @Test
    void theDailyTimerBecomesAScheduleAndItsCallbackFiresItOnce() throws Exception {
        assertThat(h.scheduler.schedules).containsKey(DAILY);
        // 09:00 in Paris is 07:00 UTC in May; the exact due travels in the input
        assertThat(h.scheduler.schedules.get(DAILY).expression()).isEqualTo("at(2026-05-05T07:00:00)");
        String input = h.scheduler.fire(DAILY);
        assertThat(LambdaHarness.JSON.readTree(input).path("due").asText()).isEqualTo("2026-05-05T07:00:00Z");

        clock.set(Instant.parse("2026-05-05T07:00:01Z"));
        TimerHandler timer = new TimerHandler(h.invocations);
        JsonNode reply = LambdaHarness.invoke(timer, input, "req-timer-1");
        assertThat(reply.path("fired").asBoolean()).as(reply.toString()).isTrue();
        assertThat(h.findings()).extracting(f -> f.path("rule").asText()).contains("bastion-daily-report");
        long reports = published("bastion-daily-report");
        assertThat(reports).isPositive();
        // the detector set the next day's
        assertThat(h.scheduler.schedules.get(DAILY).expression()).isEqualTo("at(2026-05-06T07:00:00)");

        // Scheduler delivers at least once: the same input again fires nothing
        reply = LambdaHarness.invoke(timer, input, "req-timer-2");
        assertThat(reply.path("fired").asBoolean()).isFalse();
        assertThat(reply.path("findings").asInt()).isZero();
        assertThat(published("bastion-daily-report")).isEqualTo(reports);
    }

    @Test
    void theDailyScheduleFiresTheDueDailyTimerAndTheTimerCallbackThenDoesNothing() throws Exception {
        String input = h.scheduler.schedules.get(DAILY).input();
        clock.set(Instant.parse("2026-05-05T07:00:02Z"));
        String tick = """
                {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"Scheduled Event","source":"aws.scheduler",\
                "account":"111122223333","time":"2026-05-05T07:00:00Z","region":"eu-west-1",\
                "resources":["arn:aws:scheduler:eu-west-1:111122223333:schedule/default/vigil-daily"],"detail":"{}"}""";
        JsonNode reply = LambdaHarness.invoke(new ScheduleHandler(h.invocations), tick, "req-tick-1");
        assertThat(reply.path("fired").asInt()).as(reply.toString()).isEqualTo(1);
        assertThat(h.findings()).extracting(f -> f.path("rule").asText()).contains("bastion-daily-report");
        long reports = published("bastion-daily-report");
        assertThat(h.scheduler.schedules.get(DAILY).expression()).isEqualTo("at(2026-05-06T07:00:00)");

        // the one-time schedule of the same instant, had Scheduler already sent it: a duplicate
        reply = LambdaHarness.invoke(new TimerHandler(h.invocations), input, "req-timer-late");
        assertThat(reply.path("fired").asBoolean()).isFalse();
        // the daily schedule again (a retry): today's has fired, tomorrow's is pending
        reply = LambdaHarness.invoke(new ScheduleHandler(h.invocations), tick, "req-tick-2");
        assertThat(reply.path("fired").asInt()).isZero();
        assertThat(published("bastion-daily-report")).isEqualTo(reports);
    }

    @Test
    void theCorpusScheduledEventIsATickAndABadTimerInputIsRejected() throws Exception {
        String sample = CorpusEventsTest.corpus("aws-lambda-java-libs/aws-lambda-java-tests/src/test/resources/cloudwatch_event.json");
        JsonNode reply = LambdaHarness.invoke(new ScheduleHandler(h.invocations), sample, "req-old-tick");
        assertThat(reply.path("time").asText()).isEqualTo("2020-09-30T15:58:34Z");
        assertThat(reply.path("fired").asInt()).isZero(); // the pending daily timer is due later

        for (String bad : List.of("", "{}", "{\"owner\":\"bastions\",\"key\":\"k\",\"due\":\"yesterday\"}", "[1,2]")) {
            reply = LambdaHarness.invoke(new TimerHandler(h.invocations), bad, "req-bad-timer");
            assertThat(reply.path("rejected").asText()).as(bad).isNotEmpty();
        }
        assertThat(h.problems).anySatisfy(p -> assertThat(p).startsWith("timer:req-bad-timer: kept as rejected: timer input field due is not an ISO instant"));
        assertThat(h.store.rejectedCount()).isEqualTo(1); // kept once per request id
    }
}
