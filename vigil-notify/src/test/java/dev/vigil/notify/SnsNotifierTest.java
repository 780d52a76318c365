package dev.vigil.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vigil.aws.RetryBudget;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.TargetDef;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class SnsNotifierTest {
    private static final String ARN = "arn:aws:sns:eu-west-1:111122223333:vigil-alerts";
    private WireMockServer server;
    private SnsNotifier sns;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        sns = new SnsNotifier(URI.create("http://127.0.0.1:" + server.port()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID" + "EXAMPLE", "secret-example-key")),
                new RetryBudget(3, Duration.ofMillis(10), Duration.ofMillis(50)));
    }

    @AfterEach
    void stop() {
        sns.close();
        server.stop();
    }

    private void answer(int status, String body) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish&"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body)));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void publishesSubjectAndBodyToTheTopic() {
        answer(200, "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                + "<MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>"
                + "<ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata></PublishResponse>");
        var target = new TargetDef("team", "sns", Severity.LOW, Map.of("topic-arn", ARN));
        Delivery d = sns.send(target, new Notice(NotifyFixtures.hostile(), 2, NotifyFixtures.T0));
        assertThat(d.ok()).isTrue();
        assertThat(d.detail()).isEqualTo("sns: published 94f20ce6-13c5-43a0-9a9e-ca52d816e90b");
        var req = server.findAll(postRequestedFor(urlEqualTo("/"))).get(0);
        Map<String, String> f = form(req.getBodyAsString());
        assertThat(f).containsEntry("Action", "Publish").containsEntry("TopicArn", ARN).containsEntry("Version", "2010-03-31");
        assertThat(f.get("Subject")).isEqualTo("vigil [HIGH] sg-open-ssh on sg-0123456789abcdef0");
        assertThat(f.get("Message")).contains("who: <@channel> &  *fake*\n").contains("2 more finding(s)");
        assertThat(req.getHeader("Authorization")).contains("/eu-west-1/sns/"); // region taken from the ARN
    }

    @Test
    void errorsAreOneLineWithTheErrorCode() {
        answer(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>User is not authorized</Message>"
                + "</Error><RequestId>x</RequestId></ErrorResponse>");
        Delivery d = sns.send(new TargetDef("team", "sns", Severity.LOW, Map.of("topic-arn", ARN)), Notice.of(NotifyFixtures.hostile()));
        assertThat(d.ok()).isFalse();
        assertThat(d.detail()).isEqualTo("sns: AuthorizationError (HTTP 403)");
        Delivery bad = sns.send(new TargetDef("team", "sns", Severity.LOW, Map.of("topic-arn", "not-an-arn")), Notice.of(NotifyFixtures.hostile()));
        assertThat(bad.detail()).startsWith("sns: topic-arn with a region");
    }

    @Test
    void throttlingIsRetried() {
        server.stubFor(post(urlEqualTo("/")).inScenario("t").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withBody("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                        + "<Message>Rate exceeded</Message></Error></ErrorResponse>")).willSetStateTo("ok"));
        server.stubFor(post(urlEqualTo("/")).inScenario("t").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("<PublishResponse><PublishResult><MessageId>m-2</MessageId></PublishResult></PublishResponse>")));
        Delivery d = sns.send(new TargetDef("team", "sns", Severity.LOW, Map.of("topic-arn", ARN)), Notice.of(NotifyFixtures.hostile()));
        assertThat(d.detail()).isEqualTo("sns: published m-2");
        assertThat(server.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(2);
    }
}
