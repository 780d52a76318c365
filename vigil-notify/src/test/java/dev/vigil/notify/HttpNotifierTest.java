package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.TargetDef;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpNotifierTest {
    private static final String SECRET_PATH = "/services/T0/B0/SeCrEtToKeN123";
    private static final HttpRetry FAST = new HttpRetry(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(5));
    private final List<Duration> sleeps = new ArrayList<>();
    private LocalHttp server;

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttp();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpPoster poster(HttpRetry retry) {
        return new HttpPoster(HttpClient.newHttpClient(), retry, sleeps::add);
    }

    private SlackNotifier slack(String url, HttpRetry retry) {
        return new SlackNotifier(poster(retry), Map.of("SLACK_URL", url)::get, new MessageFormatter());
    }

    private static TargetDef slackTarget() {
        return new TargetDef("sec", "slack", Severity.LOW, Map.of("webhook-url-env", "SLACK_URL", "channel", "#sec"));
    }

    private static void assertNoSecret(Delivery d, String url) {
        assertThat(d.detail()).doesNotContain("SeCrEt").doesNotContain(url).doesNotContain("127.0.0.1").doesNotContain("\n");
    }

    @Test
    void slackPostsTheBlockKitMessage() throws Exception {
        Delivery d = slack(server.url(SECRET_PATH), FAST).send(slackTarget(), Notice.of(NotifyFixtures.hostile()));
        assertThat(d.ok()).isTrue();
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(server.received).hasSize(1);
        var got = server.received.get(0);
        assertThat(got.path()).isEqualTo(SECRET_PATH);
        assertThat(got.headers().get("Content-type").get(0)).startsWith("application/json");
        var json = new ObjectMapper().readTree(got.body());
        assertThat(json.path("channel").asText()).isEqualTo("#sec");
        assertThat(got.body()).isEqualTo(new MessageFormatter().slack(Notice.of(NotifyFixtures.hostile()), "#sec").get(0));
        assertNoSecret(d, server.url(SECRET_PATH));
    }

    @Test
    void slack429HonoursRetryAfter() {
        server.then(new LocalHttp.Reply(429, Map.of("Retry-After", "7"), "rate_limited"));
        Delivery d = slack(server.url(SECRET_PATH), FAST).send(slackTarget(), Notice.of(NotifyFixtures.hostile()));
        assertThat(d.ok()).isTrue();
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(server.received).hasSize(2);
    }

    @Test
    void slack429BeyondTheBoundFailsWithoutWaiting() {
        server.then(new LocalHttp.Reply(429, Map.of("Retry-After", "3600"), "rate_limited"));
        Delivery d = slack(server.url(SECRET_PATH), FAST).send(slackTarget(), Notice.of(NotifyFixtures.hostile()));
        assertThat(d.ok()).isFalse();
        assertThat(d.detail()).contains("HTTP 429 rate_limited").contains("Retry-After 3600 s exceeds the 30 s bound");
        assertThat(sleeps).isEmpty();
        assertNoSecret(d, server.url(SECRET_PATH));
    }

    @Test
    void serverErrorsAreRetriedWithBackoffWithinTheBudget() {
        server.then(LocalHttp.Reply.of(500), LocalHttp.Reply.of(503));
        Delivery d = slack(server.url(SECRET_PATH), FAST).send(slackTarget(), Notice.of(NotifyFixtures.hostile()));
        assertThat(d.ok()).isTrue();
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));

        sleeps.clear();
        server.received.clear();
        server.then(LocalHttp.Reply.of(500), LocalHttp.Reply.of(500), LocalHttp.Reply.of(500), LocalHttp.Reply.of(500), LocalHttp.Reply.of(200));
        Delivery failed = slack(server.url(SECRET_PATH), FAST).send(slackTarget(), Notice.of(NotifyFixtures.hostile()));
        assertThat(failed.ok()).isFalse();
        assertThat(failed.detail()).isEqualTo("slack: HTTP 500 after 4 attempts");
        assertThat(server.received).hasSize(4);
        assertNoSecret(failed, server.url(SECRET_PATH));
    }

    @Test
    void waitBudgetStopsRetriesEarly() {
        var tight = new HttpRetry(10, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5));
        for (int i = 0; i < 10; i++) server.then(LocalHttp.Reply.of(502));
        Delivery d = slack(server.url(SECRET_PATH), tight).send(slackTarget(), Notice.of(NotifyFixtures.hostile()));
        assertThat(d.ok()).isFalse();
        assertThat(d.detail()).contains("retry wait budget spent");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2)); // 1+2, then 4 would exceed 5
    }

    @Test
    void clientErrorIsNotRetried() {
        server.then(new LocalHttp.Reply(404, Map.of(), "no_service"));
        Delivery d = slack(server.url(SECRET_PATH), FAST).send(slackTarget(), Notice.of(NotifyFixtures.hostile()));
        assertThat(d.ok()).isFalse();
        assertThat(d.detail()).isEqualTo("slack: HTTP 404 no_service");
        assertThat(server.received).hasSize(1);
    }

    @Test
    void urlNeverAppearsForUnreachableOrBrokenUrls() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort + SECRET_PATH;
        Delivery d = slack(unreachable, FAST).send(slackTarget(), Notice.of(NotifyFixtures.hostile()));
        assertThat(d.ok()).isFalse();
        assertThat(d.detail()).contains("after 4 attempts");
        assertNoSecret(d, unreachable);

        String broken = "http://exa mple/" + SECRET_PATH;
        Delivery b = slack(broken, FAST).send(slackTarget(), Notice.of(NotifyFixtures.hostile()));
        assertThat(b.detail()).isEqualTo("environment variable SLACK_URL does not hold an http(s) URL");
        assertNoSecret(b, broken);

        Delivery unset = new SlackNotifier(poster(FAST), k -> null, new MessageFormatter()).send(slackTarget(), Notice.of(NotifyFixtures.hostile()));
        assertThat(unset.detail()).isEqualTo("environment variable SLACK_URL is not set");
    }

    @Test
    void webhookPostsContractJsonWithTokenHeader() throws Exception {
        var target = new TargetDef("hook", "webhook", Severity.LOW,
                Map.of("url-env", "HOOK_URL", "header-name", "X-Token", "header-value-env", "HOOK_TOKEN"));
        Map<String, String> env = Map.of("HOOK_URL", server.url(SECRET_PATH), "HOOK_TOKEN", "tok-SeCrEt");
        var n = new WebhookNotifier(poster(FAST), env::get, new MessageFormatter());
        Delivery d = n.send(target, Notice.of(NotifyFixtures.hostile()));
        assertThat(d.ok()).isTrue();
        assertThat(d.detail()).isEqualTo("webhook: HTTP 200");
        var got = server.received.get(0);
        assertThat(got.headers().get("X-token")).containsExactly("tok-SeCrEt");
        var json = new ObjectMapper().readTree(got.body());
        assertThat(json.path("facts").path("who").asText()).isEqualTo(NotifyFixtures.HOSTILE);

        server.then(LocalHttp.Reply.of(500), LocalHttp.Reply.of(500), LocalHttp.Reply.of(500), LocalHttp.Reply.of(500));
        Delivery f = n.send(target, Notice.of(NotifyFixtures.hostile()));
        assertThat(f.detail()).isEqualTo("webhook: HTTP 500 after 4 attempts");
        assertThat(f.detail()).doesNotContain("tok-");

        Delivery noToken = new WebhookNotifier(poster(FAST), Map.of("HOOK_URL", server.url(SECRET_PATH))::get, new MessageFormatter())
                .send(target, Notice.of(NotifyFixtures.hostile()));
        assertThat(noToken.ok()).isFalse();
        assertThat(noToken.detail()).isEqualTo("environment variable HOOK_TOKEN for header X-Token is not set");
    }
}
