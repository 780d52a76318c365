package dev.vigil.aws.dynamo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vigil.core.engine.Timer;
import java.net.URI;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/** SchedulerTimers against a WireMock Scheduler endpoint: the exact REST-JSON requests the SDK sends, and the answers. */
class SchedulerTimersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String LAMBDA = "arn:aws:lambda:us-east-1:111122223333:function:vigil-timer";
    private static final String ROLE = "arn:aws:iam::111122223333:role/vigil-scheduler";
    private static final String UUID_FORM = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private WireMockServer server;
    private SchedulerClient client;
    private MutableClock clock;
    private SchedulerTimers timers;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        client = SchedulerClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        clock = new MutableClock(NOW);
        timers = new SchedulerTimers(client, "vigil-timers", LAMBDA, ROLE, clock);
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop();
    }

    private void answer(com.github.tomakehurst.wiremock.client.MappingBuilder call, int status, String errorType, String body) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
        if (errorType != null) response = response.withHeader("x-amzn-ErrorType", errorType);
        server.stubFor(call.willReturn(response));
    }

    private List<LoggedRequest> sent() {
        return server.findAll(anyRequestedFor(anyUrl())).stream().sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    private static ObjectNode body(LoggedRequest r) throws Exception {
        return (ObjectNode) JSON.readTree(r.getBodyAsString());
    }

    private static String expectedScheduleBody(String description, String at, String input) throws Exception {
        ObjectNode o = JSON.createObjectNode();
        o.put("ActionAfterCompletion", "DELETE");
        o.put("Description", description);
        o.putObject("FlexibleTimeWindow").put("Mode", "OFF");
        o.put("GroupName", "vigil-timers");
        o.put("ScheduleExpression", at);
        o.put("ScheduleExpressionTimezone", "UTC");
        ObjectNode t = o.putObject("Target");
        t.put("Arn", LAMBDA);
        t.put("Input", input);
        t.put("RoleArn", ROLE);
        return o.toString();
    }

    @Test
    void scheduleCreatesAOneTimeScheduleWithTheTimerAsInput() throws Exception {
        answer(post(urlPathEqualTo("/schedules/vigil-bastion-uptime_i-0abc-" + hashOf("bastion", "uptime:i-0abc"))), 200, null,
                "{\"ScheduleArn\":\"arn:aws:scheduler:us-east-1:111122223333:schedule/vigil-timers/x\"}");
        Timer t = new Timer("bastion", "uptime:i-0abc", Instant.parse("2026-11-23T18:30:00.250Z"), Map.of("instance", "i-0abc", "az", "us-east-1a"));
        timers.schedule(t);

        List<LoggedRequest> reqs = sent();
        assertThat(reqs).hasSize(1);
        LoggedRequest r = reqs.get(0);
        assertThat(r.getMethod().getName()).isEqualTo("POST");
        assertThat(r.getUrl()).isEqualTo("/schedules/" + SchedulerTimers.scheduleName("bastion", "uptime:i-0abc"));
        ObjectNode sentBody = body(r);
        assertThat(sentBody.remove("ClientToken").asText()).matches(UUID_FORM); // the SDK's idempotency token
        String input = "{\"owner\":\"bastion\",\"key\":\"uptime:i-0abc\",\"due\":\"2026-11-23T18:30:00.250Z\","
                + "\"data\":{\"az\":\"us-east-1a\",\"instance\":\"i-0abc\"}}";
        assertThat(sentBody).isEqualTo(JSON.readTree(expectedScheduleBody("vigil timer bastion uptime:i-0abc",
                "at(2026-11-23T18:30:01)", input)));
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        assertThat(timers.nextDue()).as("nothing delivered yet: Scheduler holds it").isEmpty();
    }

    @Test
    void anExistingScheduleIsUpdatedWithTheSameFields() throws Exception {
        String name = SchedulerTimers.scheduleName("bastion", "uptime:i-1");
        answer(post(urlPathEqualTo("/schedules/" + name)), 409, "ConflictException",
                "{\"Message\":\"Schedule " + name + " already exists.\"}");
        answer(put(urlPathEqualTo("/schedules/" + name)), 200, null, "{\"ScheduleArn\":\"arn:x\"}");
        timers.schedule(new Timer("bastion", "uptime:i-1", Instant.parse("2026-11-24T00:00:00Z"), Map.of()));

        List<LoggedRequest> reqs = sent();
        assertThat(reqs).extracting(x -> x.getMethod().getName()).containsExactly("POST", "PUT");
        ObjectNode update = body(reqs.get(1));
        assertThat(update.remove("ClientToken").asText()).matches(UUID_FORM);
        assertThat(update).isEqualTo(JSON.readTree(expectedScheduleBody("vigil timer bastion uptime:i-1", "at(2026-11-24T00:00:00)",
                "{\"owner\":\"bastion\",\"key\":\"uptime:i-1\",\"due\":\"2026-11-24T00:00:00Z\",\"data\":{}}")));
    }

    @Test
    void cancelDeletesAndAMissingScheduleIsFine() {
        String name = SchedulerTimers.scheduleName("bastion", "uptime:i-1");
        answer(delete(urlPathEqualTo("/schedules/" + name)), 404, "ResourceNotFoundException",
                "{\"Message\":\"Schedule " + name + " does not exist.\"}");
        timers.cancel("bastion", "uptime:i-1");
        LoggedRequest r = sent().get(0);
        assertThat(r.getMethod().getName()).isEqualTo("DELETE");
        assertThat(r.getUrl()).startsWith("/schedules/" + name + "?");
        assertThat(r.queryParameter("groupName").firstValue()).isEqualTo("vigil-timers");
        assertThat(r.getBodyAsString()).isEmpty();
    }

    @Test
    void getReadsTheTimerBackFromTheScheduleInput() throws Exception {
        Timer t = new Timer("bastion", "uptime:i-2", Instant.parse("2026-11-23T18:30:00Z"), Map.of("instance", "i-2"));
        String name = SchedulerTimers.scheduleName("bastion", "uptime:i-2");
        ObjectNode resp = JSON.createObjectNode();
        resp.put("ActionAfterCompletion", "DELETE");
        resp.put("Arn", "arn:aws:scheduler:us-east-1:111122223333:schedule/vigil-timers/" + name);
        resp.put("CreationDate", 1.7953848E9);
        resp.putObject("FlexibleTimeWindow").put("Mode", "OFF");
        resp.put("GroupName", "vigil-timers");
        resp.put("Name", name);
        resp.put("ScheduleExpression", "at(2026-11-23T18:30:00)");
        resp.put("ScheduleExpressionTimezone", "UTC");
        resp.put("State", "ENABLED");
        ObjectNode target = resp.putObject("Target");
        target.put("Arn", LAMBDA);
        target.put("Input", TimerInput.write(t));
        target.put("RoleArn", ROLE);
        target.putObject("RetryPolicy").put("MaximumEventAgeInSeconds", 86400).put("MaximumRetryAttempts", 185);
        answer(get(urlPathEqualTo("/schedules/" + name)), 200, null, resp.toString());
        answer(get(urlPathEqualTo("/schedules/" + SchedulerTimers.scheduleName("bastion", "gone"))), 404, "ResourceNotFoundException",
                "{\"Message\":\"Schedule does not exist.\"}");

        assertThat(timers.get("bastion", "uptime:i-2")).contains(t);
        assertThat(timers.get("bastion", "gone")).isEmpty();
        LoggedRequest r = sent().get(0);
        assertThat(r.getMethod().getName()).isEqualTo("GET");
        assertThat(r.queryParameter("groupName").firstValue()).isEqualTo("vigil-timers");
    }

    @Test
    void aScheduleThatIsNotATimerIsAOneLineError() {
        String name = SchedulerTimers.scheduleName("p", "k");
        answer(get(urlPathEqualTo("/schedules/" + name)), 200, null,
                "{\"Name\":\"" + name + "\",\"Target\":{\"Arn\":\"" + LAMBDA + "\",\"RoleArn\":\"" + ROLE + "\",\"Input\":\"{\\\"owner\\\":\\\"p\\\"}\"}}");
        assertThatThrownBy(() -> timers.get("p", "k")).isInstanceOf(TimerScheduleException.class)
                .hasMessageContaining("vigil-timers/" + name).hasMessageContaining("lacks the text field key");
    }

    @Test
    void serviceErrorsNameTheCallTheScheduleAndTheCode() {
        answer(any(anyUrl()), 400, "ValidationException", "{\"Message\":\"Invalid RoleArn\"}");
        Timer t = new Timer("p", "k", NOW.plusSeconds(60), Map.of());
        assertThatThrownBy(() -> timers.schedule(t)).isInstanceOf(TimerScheduleException.class)
                .hasMessage("scheduler CreateSchedule vigil-timers/vigil-p-k: ValidationException: Invalid RoleArn");
        assertThatThrownBy(() -> timers.cancel("p", "k")).hasMessageStartingWith("scheduler DeleteSchedule vigil-timers/vigil-p-k:");
    }

    @Test
    void aTimerAlreadyDueIsDeliveredAtOnceAndAnyOldScheduleDeleted() {
        String name = SchedulerTimers.scheduleName("p", "k");
        answer(delete(urlPathEqualTo("/schedules/" + name)), 200, null, "{}");
        Timer t = new Timer("p", "k", NOW.minusSeconds(1), Map.of());
        timers.schedule(t);
        assertThat(sent()).extracting(x -> x.getMethod().getName()).containsExactly("DELETE");
        assertThat(timers.get("p", "k")).contains(t);
        assertThat(timers.takeNextDue(NOW)).contains(t);
        assertThat(timers.takeNextDue(NOW)).isEmpty();
    }

    @Test
    void deliveredTimersAreTakenInDueOrderUpToTheGivenTime() {
        Timer late = new Timer("p", "b", NOW.plusSeconds(30), Map.of());
        Timer early = new Timer("p", "a", NOW.plusSeconds(10), Map.of("x", "1"));
        timers.deliver(late);
        timers.deliver(early);
        assertThat(timers.nextDue()).contains(early.due());
        assertThat(timers.takeNextDue(NOW)).isEmpty();
        assertThat(timers.takeNextDue(NOW.plusSeconds(60))).contains(early);
        assertThat(timers.takeNextDue(NOW.plusSeconds(60))).contains(late);
        assertThat(timers.nextDue()).isEmpty();
        assertThat(sent()).as("delivery and taking never call Scheduler").isEmpty();
    }

    @Test
    void timerInputRoundTripsAndRejectsBadText() {
        Timer t = new Timer("o", "k", Instant.parse("2026-01-02T03:04:05.006Z"), Map.of("a", "1", "b", "2"));
        assertThat(TimerInput.read(TimerInput.write(t))).isEqualTo(t);
        assertThatThrownBy(() -> TimerInput.read("nope")).hasMessageStartingWith("timer input is not JSON");
        assertThatThrownBy(() -> TimerInput.read("{\"owner\":\"o\",\"key\":\"k\",\"due\":\"soon\"}")).hasMessageContaining("due");
        assertThatThrownBy(() -> TimerInput.read("[]")).hasMessage("timer input is not a JSON object");
    }

    @Test
    void scheduleNamesAreValidDistinctAndReadableWhenPossible() {
        assertThat(SchedulerTimers.scheduleName("bastion", "uptime-i-0abc")).isEqualTo("vigil-bastion-uptime-i-0abc");
        String a = SchedulerTimers.scheduleName("bastion", "uptime:i-0abc");
        String b = SchedulerTimers.scheduleName("bastion", "uptime/i-0abc");
        assertThat(a).startsWith("vigil-bastion-uptime_i-0abc-").matches("[0-9A-Za-z_.-]{1,64}").isNotEqualTo(b);
        String longKey = "x".repeat(200);
        String l1 = SchedulerTimers.scheduleName("p", longKey);
        String l2 = SchedulerTimers.scheduleName("p", longKey + "y");
        assertThat(l1).hasSize(64).matches("[0-9A-Za-z_.-]+").isNotEqualTo(l2);
        assertThat(SchedulerTimers.atExpression(Instant.parse("2026-11-23T18:30:00Z"))).isEqualTo("at(2026-11-23T18:30:00)");
        assertThat(SchedulerTimers.atExpression(Instant.parse("2026-11-23T23:59:59.001Z"))).isEqualTo("at(2026-11-24T00:00:00)");
        assertThatThrownBy(() -> new SchedulerTimers(client, "bad group", LAMBDA, ROLE)).hasMessageContaining("bad group");
    }

    private static String hashOf(String owner, String key) {
        String n = SchedulerTimers.scheduleName(owner, key);
        return n.substring(n.length() - 8);
    }

}
