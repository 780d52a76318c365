package dev.vigil.live;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.notify.LocalHttp;
import dev.vigil.output.RunSummary;
import dev.vigil.output.ReportWriter;
import dev.vigil.policy.Policies;
import dev.vigil.testing.LocalSqs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon end to end over real protocols: EventBridge-shaped messages of the examples go into ElasticMQ; EC2 and
 * SNS calls reach WireMock (answering with the corpus' XML), Slack posts reach a local HTTP server.
 */
class LiveEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    LocalSqs sqs;
    Ec2Stub aws;
    LocalHttp slack;
    final List<Finding> out = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sqs = new LocalSqs();
        aws = Ec2Stub.start();
        slack = new LocalHttp();
        aws.answer("RevokeSecurityGroupIngress", 200, Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"))
                .answer("CreateNetworkAcl", 412, Ec2Stub.corpus(Ec2Stub.JCLOUDS + "dry_run.xml"))
                .callerIdentity("arn:aws:sts::111122223333:assumed-role/vigil-daemon/i-0123456789abcdef0");
        aws.server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish&")).willReturn(aResponse().withStatus(200)
                .withBody("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId>"
                        + "</PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>")));
    }

    @AfterEach
    void stop() {
        slack.close();
        aws.close();
        sqs.close();
    }

    static List<String> messages(Path file) throws Exception {
        List<String> bodies = new ArrayList<>();
        String text = Files.readString(file);
        if (text.trim().startsWith("[")) {
            for (JsonNode n : JSON.readTree(text)) bodies.add(n.toString());
        } else if (file.toString().endsWith(".jsonl")) {
            text.lines().filter(l -> !l.isBlank()).forEach(bodies::add);
        } else {
            bodies.add(JSON.readTree(text).toString());
        }
        return bodies;
    }

    LiveRuntime runtime(String queue, Path store, List<Path> inventory) throws Exception {
        PolicySet policy = Policies.load(Path.of("examples/policy.yaml"));
        Map<String, String> env = Map.of("VIGIL_SLACK_WEBHOOK", slack.url("/hooks/T000/B000/XXXX"));
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        return new LiveRuntime(policy, new LiveRuntime.Options(queue, List.of(), false, store, inventory, aws.endpoint(), "eu-west-1",
                null, 0, false, true, 0, LocalSqs.CREDS, sqs.endpoint), Clock.systemUTC(), env::get, w, (where, msg) -> problems.add(where + ": " + msg));
    }

    @Test
    void messagesOfEachScenarioReachEc2SnsAndSlackOnceAndAreDeleted() throws Exception {
        String q = sqs.queue("vigil-events", 30);
        List<String> bodies = new ArrayList<>();
        bodies.addAll(messages(Path.of("examples/sg-guard/eventbridge-sg-calls.json")));
        bodies.addAll(messages(Path.of("examples/guardduty/01-bitcoin-dns-finding.json")));
        bodies.add("{\"not\": \"an event\"}");
        sqs.send(q, bodies);
        List<Path> inv = List.of(Path.of("examples/sg-guard/describe-security-groups.json"), Path.of("examples/guardduty/describe-instances.json"),
                Path.of("examples/guardduty/describe-network-acls.json"));
        Path store = dir.resolve("vigil.db");
        try (LiveRuntime rt = runtime(q, store, inv)) {
            rt.daemon().run();
            assertThat(rt.store().rejectedCount()).isEqualTo(1);
            assertThat(rt.store().findingCount()).isEqualTo(out.size());
        }
        assertThat(sqs.remaining(q)).isZero();

        List<Map<String, String>> sent = aws.effects();
        // sg-guard: the rule added to the protected group is revoked by its rule id, exactly once
        List<Map<String, String>> revokes = sent.stream().filter(f -> "RevokeSecurityGroupIngress".equals(f.get("Action"))).toList();
        assertThat(revokes).isNotEmpty();
        assertThat(revokes).allSatisfy(f -> assertThat(f).containsKey("GroupId"));
        assertThat(revokes.stream().map(Map::toString).distinct().count()).isEqualTo(revokes.size());
        // GuardDuty: the policy is dry-run, so the deny-all ACL is only checked (EC2 DryRun), and the plan is "planned"
        assertThat(sent).anySatisfy(f -> assertThat(f).containsEntry("Action", "CreateNetworkAcl").containsEntry("DryRun", "true"));
        assertThat(sent).noneSatisfy(f -> assertThat(f).containsEntry("Action", "ReplaceNetworkAclAssociation"));
        assertThat(out).anySatisfy(f -> assertThat(f.actions()).anySatisfy(a -> {
            assertThat(a.type()).isEqualTo("quarantine-subnet");
            assertThat(a.status()).isEqualTo(dev.vigil.core.finding.ActionStatus.PLANNED);
        }));
        assertThat(slack.received).isNotEmpty();
        assertThat(slack.received).allSatisfy(r -> assertThat(r.path()).isEqualTo("/hooks/T000/B000/XXXX"));
        // a Slack message shows what became of the revoke (notifications go last)
        assertThat(slack.bodies()).anySatisfy(b -> assertThat(b).contains("revoke-ingress").contains("applied"));
        assertThat(out).anySatisfy(f -> assertThat(f.actions()).anySatisfy(a -> assertThat(a.type()).isEqualTo("revoke-ingress")));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("sqs:"));
        assertThat(String.join("\n", problems)).doesNotContain(slack.url("/hooks"));

        // the same messages again (SQS redelivery after a crash, say): nothing is called or sent twice
        int calls = sent.size();
        int posts = slack.received.size();
        int findings = out.size();
        sqs.send(q, bodies);
        try (LiveRuntime rt = runtime(q, store, inv)) {
            rt.daemon().run();
            assertThat(rt.metrics().prometheus()).contains("vigil_duplicate_events_total " + (bodies.size() - 1));
            assertThat(rt.store().findingCount()).isEqualTo(findings);
        }
        assertThat(aws.effects()).hasSize(calls);
        assertThat(slack.received).hasSize(posts);
        assertThat(sqs.remaining(q)).isZero();
    }
}
