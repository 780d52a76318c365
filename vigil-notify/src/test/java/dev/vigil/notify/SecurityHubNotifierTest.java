package dev.vigil.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vigil.aws.RetryBudget;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.TargetDef;
import dev.vigil.output.AsffFinding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

/**
 * The securityhub target through the real SDK client (securityhub 2.50.2 under the 2.57.8 core) against WireMock: the
 * exact request bodies, batching and a throttled first attempt ({@link SecurityHubOnMotoTest}: against moto's server).
 */
class SecurityHubNotifierTest {
    static final StaticCredentialsProvider CREDS = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret-example-key"));
    static final TargetDef TARGET = new TargetDef("hub", "securityhub", Severity.INFO, Map.of("account", "123456789012", "region", "us-east-1"));
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();

    static Finding finding(int i, String padding) {
        return new Finding("ssh-brute-force", "ssh-intrusion", Severity.HIGH, Instant.parse("2026-12-01T09:00:00Z").plusSeconds(i),
                AccountId.of("123456789012"), Region.of("us-east-1"), "i-0123456789abcdef0", "198.51.100." + (i % 250),
                "5 failed log-ins from 198.51.100." + (i % 250), List.of("event-" + i),
                List.of(new ActionResult("quarantine-instance", "i-0123456789abcdef0", ActionStatus.APPLIED, "isolated", Map.of())),
                padding.isEmpty() ? Map.of() : Map.of("a", padding, "b", padding, "c", padding, "d", padding, "e", padding));
    }

    static List<Finding> findings(int n, String padding) {
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(finding(i, padding));
        return out;
    }

    @Test
    void batchesWithinTheLimitsRetriesThrottlingAndSendsThePrintedDocuments() throws Exception {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        try (SecurityHubNotifier hub = new SecurityHubNotifier(new SecurityHubImporter(java.net.URI.create("http://127.0.0.1:" + server.port()), CREDS,
                new RetryBudget(3, Duration.ofMillis(10), Duration.ofMillis(50))), CLOCK)) {
            server.stubFor(post(urlEqualTo("/findings/import")).inScenario("throttle").whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                            .withHeader("x-amzn-ErrorType", "TooManyRequestsException").withBody("{\"Code\":\"TooManyRequestsException\",\"Message\":\"Rate exceeded\"}"))
                    .willSetStateTo("open"));
            server.stubFor(post(urlEqualTo("/findings/import")).inScenario("throttle").whenScenarioStateIs("open")
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody("{\"FailedCount\":0,\"SuccessCount\":100,\"FailedFindings\":[]}")));
            // 250 findings of ~6 KB each: 240 KB holds 39 of them, so the byte limit splits before the count limit
            List<Finding> all = findings(250, "p".repeat(1200));
            Delivery d = hub.sendAll(TARGET, all);
            assertThat(d.ok()).as(d.detail()).isTrue();
            var requests = server.findAll(postRequestedFor(urlEqualTo("/findings/import")));
            List<JsonNode> sent = new ArrayList<>();
            int first = -1;
            for (var r : requests) {
                assertThat(r.getBody().length).isLessThanOrEqualTo(240 * 1024);
                JsonNode body = JSON.readTree(r.getBody());
                assertThat(body.get("Findings").size()).isBetween(1, 100);
                if (first < 0) first = body.get("Findings").size();
                body.get("Findings").forEach(sent::add);
            }
            // the throttled first call was sent again with the same findings: one more request than batches, no finding lost
            int batches = SecurityHubImporter.batches(all.stream().map(f -> AsffFinding.of(f, SecurityHubNotifier.context(TARGET, CLOCK))).toList()).size();
            assertThat(batches).isGreaterThan(250 / 100 + 1);
            assertThat(requests).hasSize(batches + 1);
            assertThat(JSON.readTree(requests.get(0).getBody())).isEqualTo(JSON.readTree(requests.get(1).getBody()));
            List<JsonNode> unique = sent.subList(first, sent.size());
            assertThat(unique).hasSize(250);
            // what goes on the wire is exactly what --format asff prints
            for (int i = 0; i < 250; i++) {
                ObjectNode printed = AsffFinding.of(all.get(i), SecurityHubNotifier.context(TARGET, CLOCK));
                assertThat(unique.get(i)).isEqualTo(printed);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void everyFindingReachesTheTargetEvenWithinTheGroupWindow() {
        List<Finding> sent = new ArrayList<>();
        Notifier recording = (t, n) -> {
            sent.add(n.finding());
            return Delivery.sent("ok", 1);
        };
        TargetDef slack = new TargetDef("chat", "stdout", Severity.INFO, Map.of());
        NotifyExecutor notify = new NotifyExecutor(Map.of("hub", TARGET, "chat", slack), Map.of("securityhub", recording, "stdout", recording),
                Duration.ofMinutes(15));
        for (Finding f : findings(3, "")) { // same rule and resource, seconds apart
            assertThat(notify.execute(new dev.vigil.core.finding.ActionPlan("notify", "hub", Map.of(), "notify hub", null, false), f, false).status())
                    .isEqualTo(ActionStatus.APPLIED);
            notify.execute(new dev.vigil.core.finding.ActionPlan("notify", "chat", Map.of(), "notify chat", null, false), f, false);
        }
        // Security Hub got all three; the chat target, grouped, one
        assertThat(sent).hasSize(4);
    }

    @Test
    void countLimitSplitsSmallFindingsIntoHundreds() {
        var c = SecurityHubNotifier.context(TARGET, CLOCK);
        var batches = SecurityHubImporter.batches(findings(250, "").stream().map(f -> AsffFinding.of(f, c)).toList());
        assertThat(batches).extracting(List::size).containsExactly(100, 100, 50);
    }

    @Test
    void rejectedFindingsAreReportedAndATargetWithoutAccountFails() throws Exception {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        try (SecurityHubNotifier hub = new SecurityHubNotifier(new SecurityHubImporter(java.net.URI.create("http://127.0.0.1:" + server.port()), CREDS,
                new RetryBudget(2, Duration.ofMillis(10), Duration.ofMillis(20))), CLOCK)) {
            server.stubFor(post(urlEqualTo("/findings/import")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody("{\"FailedCount\":1,\"SuccessCount\":1,\"FailedFindings\":[{\"Id\":\"x\",\"ErrorCode\":\"InvalidInput\",\"ErrorMessage\":\"bad\"}]}")));
            Delivery d = hub.sendAll(TARGET, findings(2, ""));
            assertThat(d.ok()).isFalse();
            assertThat(d.detail()).contains("1 not imported").contains("x: InvalidInput");
            TargetDef noAccount = new TargetDef("hub", "securityhub", Severity.INFO, Map.of("region", "us-east-1"));
            assertThat(hub.send(noAccount, Notice.of(finding(0, ""))).detail()).contains("account and region settings are needed");
        } finally {
            server.stop();
        }
    }
}
