package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EventsHandler: one EventBridge event per invocation, the examples' sg-guard calls and GuardDuty finding. */
class EventsHandlerTest {
    @TempDir
    Path dir;

    LambdaHarness h;
    EventsHandler handler;

    @BeforeEach
    void start() throws Exception {
        h = new LambdaHarness(dir, Clock.fixed(Instant.parse("2024-07-02T14:00:00Z"), ZoneOffset.UTC));
        handler = new EventsHandler(h.invocations);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static List<String> events(String file) throws Exception {
        List<String> out = new ArrayList<>();
        JsonNode n = LambdaHarness.JSON.readTree(Files.readString(Path.of(file)));
        if (n.isArray()) n.forEach(e -> out.add(e.toString()));
        else out.add(n.toString());
        return out;
    }

    @Test
    void sgGuardRevokesExactlyTheRuleAddedAndNotifiesSlackOnceEvenWhenTheEventComesAgain() throws Exception {
        List<String> sg = events("examples/sg-guard/eventbridge-sg-calls.json");
        for (String e : sg) {
            JsonNode reply = LambdaHarness.invoke(handler, e);
            assertThat(reply.path("events").asInt()).as(reply.toString()).isEqualTo(1);
        }
        List<Map<String, String>> revokes = h.sent("RevokeSecurityGroupIngress");
        // the protected group loses the rule added (revoke-ingress), the other group its world-open rules (revoke-world-open)
        Map<String, String> prot = new LinkedHashMap<>();
        prot.put("Action", "RevokeSecurityGroupIngress");
        prot.put("Version", "2016-11-15");
        prot.put("GroupId", "sg-0a11b22c33d44e55f");
        prot.put("SecurityGroupRuleId.1", "sgr-0e1d2c3b4a5968778");
        Map<String, String> open = new LinkedHashMap<>();
        open.put("Action", "RevokeSecurityGroupIngress");
        open.put("Version", "2016-11-15");
        open.put("GroupId", "sg-0f9e8d7c6b5a49382");
        open.put("SecurityGroupRuleId.1", "sgr-01234abcd5678ef90");
        open.put("SecurityGroupRuleId.2", "sgr-0fedc9876ba543210");
        assertThat(revokes).containsExactly(prot, open);
        assertThat(h.slack.received).isNotEmpty().allSatisfy(r -> assertThat(r.path()).isEqualTo("/hooks/T000/B000/XXXX"));
        assertThat(h.slack.bodies()).anySatisfy(b -> assertThat(b).contains("revoke-ingress").contains("applied"));
        assertThat(h.findings()).isNotEmpty();
        // every finding is also published to the stack's findings topic, with attributes for filter policies
        List<Map<String, String>> published = h.sent("Publish").stream().filter(f -> LambdaHarness.TOPIC.equals(f.get("TopicArn"))).toList();
        assertThat(published).hasSameSizeAs(h.findings());
        assertThat(published).allSatisfy(f -> assertThat(f).containsEntry("MessageAttributes.entry.1.Name", "policy"));

        int calls = h.aws.effects().size();
        int posts = h.slack.received.size();
        long findings = h.store.findingCount();
        for (String e : sg) LambdaHarness.invoke(handler, e); // EventBridge delivers at least once
        assertThat(h.aws.effects()).hasSize(calls);
        assertThat(h.slack.received).hasSize(posts);
        assertThat(h.store.findingCount()).isEqualTo(findings);
        assertThat(h.wiring.metrics.prometheus()).contains("vigil_duplicate_events_total " + sg.size());
        assertThat(String.join("\n", h.problems)).doesNotContain(h.slack.url("/hooks"));
    }

    @Test
    void guardDutyFindingIsCheckedWithDryRunAsThePolicySays() throws Exception {
        JsonNode reply = LambdaHarness.invoke(handler, events("examples/guardduty/01-bitcoin-dns-finding.json").get(0));
        assertThat(reply.path("findings").asInt()).as(reply.toString()).isEqualTo(1);
        assertThat(h.sent("CreateNetworkAcl")).isNotEmpty().allSatisfy(f -> assertThat(f).containsEntry("DryRun", "true")
                .containsEntry("VpcId", "vpc-0e1f2a3b4c5d6e7f8"));
        assertThat(h.sent("ReplaceNetworkAclAssociation")).isEmpty();
        assertThat(h.findings()).singleElement().satisfies(f -> assertThat(f.path("actions").toString()).contains("quarantine-subnet"));
        // a dry-run policy plans its notifications too: nothing is posted
        assertThat(h.findings().get(0).path("actions").findValuesAsText("status")).containsOnly("planned");
        assertThat(h.slack.received).isEmpty();
    }

    @Test
    void anUnreadableEventIsRejectedNamingItsRequestAndTheNextOneGoesOn() throws Exception {
        JsonNode reply = LambdaHarness.invoke(handler, "{\"not\": \"an event\"}", "req-bad-1");
        assertThat(reply.path("rejected").asText()).isEqualTo("no readable event");
        reply = LambdaHarness.invoke(handler, "\u0000\u0001 binary", "req-bad-2");
        assertThat(reply.path("rejected").asText()).isEqualTo("no readable event");
        assertThat(h.store.rejectedCount()).isEqualTo(2);
        assertThat(h.problems).anySatisfy(p -> assertThat(p).startsWith("events:req-bad-1"));
        assertThat(h.wiring.metrics.prometheus()).contains("vigil_errors_total{kind=\"rejected-message\"} 2");
        reply = LambdaHarness.invoke(handler, events("examples/guardduty/01-bitcoin-dns-finding.json").get(0));
        assertThat(reply.path("findings").asInt()).isEqualTo(1);
    }
}
