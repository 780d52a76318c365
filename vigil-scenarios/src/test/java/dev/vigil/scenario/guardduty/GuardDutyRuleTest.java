package dev.vigil.scenario.guardduty;

import static dev.vigil.scenario.guardduty.GdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Origin;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.Params;
import dev.vigil.policy.Policies;
import dev.vigil.scenario.guardduty.GuardDutyResponder.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule below the responder: plans with their undo, the parser on odd input, the bounded memory. */
class GuardDutyRuleTest {

    static GuardDutyRule rule(String params, int remember) {
        var set = Policies.parse("t.yaml", "policies:\n  - name: gd\n    detector: guardduty-responder\n    params: {" + params + "}\n");
        return new GuardDutyRule(Settings.read(Params.of(set.enabled().get(0).params())), remember);
    }

    @Test
    void subnetPlanUndoMovesTheAssociationBackToThePreviousAcl() {
        Capture ctx = new Capture(StaticInventory.empty().add(instance(MINER, null, "running", SUBNET_A)).add(defaultAcl(SUBNET_A)));
        rule("", 100).onEvent(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0), ctx);
        ActionPlan p = ctx.drafts.get(0).proposals().get(0);
        assertThat(p.idempotencyKey()).isEqualTo("quarantine-subnet:" + SUBNET_A);
        assertThat(p.disruptive()).isTrue();
        assertThat(p.undo()).containsEntry("Action", "ReplaceNetworkAclAssociation")
                .containsEntry("NetworkAclId", "acl-0default000000001")
                .containsEntry("AssociationId", QuarantineSubnet.NEW_ASSOCIATION);
        @SuppressWarnings("unchecked")
        Map<String, Object> create = ((List<Map<String, Object>>) p.params().get("Steps")).get(0);
        assertThat(create.get("TagSpecification")).isEqualTo(List.of(Map.of("ResourceType", "network-acl",
                "Tag", List.of(Map.of("Key", "vigil:quarantine", "Value", "true"), Map.of("Key", "Name", "Value", "vigil-quarantine")))));
    }

    @Test
    void withoutAclInventoryThePlanSaysWhatIsLookedUpAtExecution() {
        Capture ctx = new Capture(StaticInventory.empty());
        rule("", 100).onEvent(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0), ctx);
        ActionPlan p = ctx.drafts.get(0).proposals().get(0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) p.params().get("Steps");
        assertThat(steps.get(1).get("AssociationId")).asString().contains("looked up at execution");
        assertThat(p.undo().get("NetworkAclId")).asString().contains("recorded at execution");
    }

    @Test
    void remoteAddressesComeFromEveryActionKind() throws Exception {
        JsonNode d = JSON.readTree("""
                {"id":"x","type":"Recon:EC2/PortProbeUnprotectedPort","severity":2,
                 "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0123456789abcdef0"}},
                 "service":{"count":7,"action":{"actionType":"PORT_PROBE","portProbeAction":{"portProbeDetails":[
                    {"localPortDetails":{"port":22},"remoteIpDetails":{"ipAddressV4":"203.0.113.5"}},
                    {"localPortDetails":{"port":3389},"remoteIpDetails":{"ipAddressV4":"203.0.113.9"}},
                    {"localPortDetails":{"port":22},"remoteIpDetails":{"ipAddressV4":"203.0.113.5"}}]},
                  "networkConnectionAction":{"remoteIpDetails":{"ipAddressV4":"198.51.100.77"}}}}}
                """);
        FindingDetails f = FindingDetails.of(of(d, "e", T0, Origin.record("t", 1)));
        assertThat(f.remoteIps()).containsExactly("203.0.113.5", "203.0.113.9", "198.51.100.77");
        assertThat(f.count()).isEqualTo(7);
        assertThat(f.instance()).isEqualTo(InstanceId.of("i-0123456789abcdef0"));
    }

    @Test
    void oddButWellFormedFindingsNeverThrow() throws Exception {
        List<JsonNode> odd = List.of(
                MissingNode.getInstance(), NullNode.getInstance(), JSON.createObjectNode(),
                JSON.readTree("{\"resource\":null,\"service\":\"x\",\"severity\":\"high\"}"),
                JSON.readTree("{\"resource\":{\"instanceDetails\":{\"instanceId\":\"not-an-id\",\"networkInterfaces\":{\"a\":1}}}}"),
                JSON.readTree("{\"resource\":{\"instanceDetails\":{\"instanceId\":\"i-0123456789abcdef0\",\"networkInterfaces\":[null,1,{\"subnetId\":\"bad\"},{\"subnetId\":\"" + SUBNET_A + "\"}]}},\"service\":{\"action\":[[[[[[[[{\"remoteIpDetails\":{\"ipAddressV4\":\"1.2.3.4\"}}]]]]]]]]}}"));
        GuardDutyRule r = rule("", 100);
        Capture ctx = new Capture(StaticInventory.empty());
        int n = 0;
        for (JsonNode d : odd) {
            GuardDutyFinding g = new GuardDutyFinding("e" + n, T0, null, null, Origin.record("t", ++n), null, null, Double.NaN, null,
                    false, false, 0, null, d);
            assertThatCode(() -> r.onEvent(g, ctx)).as(d.toString()).doesNotThrowAnyException();
        }
        GuardDutyFinding nullDetail = new GuardDutyFinding("n", T0, AccountId.of("111122223333"), null, Origin.record("t", 9), "fid",
                BITCOIN, 8, null, false, false, 1, InstanceId.of(MINER), null);
        assertThatCode(() -> r.onEvent(nullDetail, ctx)).doesNotThrowAnyException();
        assertThat(ctx.drafts).hasSize(odd.size() + 1);
        // the last odd one: the valid subnet is used (no VPC anywhere, so noted rather than planned)
        FindingDraft last = ctx.drafts.get(odd.size() - 1);
        assertThat(last.facts()).containsEntry("subnets", SUBNET_A);
        assertThat(last.proposals()).isEmpty();
        assertThat(last.noActionReason()).contains("VPC unknown");
    }

    @Test
    void theMemoryOfHandledFindingsIsBoundedAndTheLedgerCoversWhatFallsOut() {
        GuardDutyRule r = rule("", 3);
        Capture ctx = new Capture(StaticInventory.empty().add(instance(MINER, null, "running", SUBNET_A)).add(defaultAcl(SUBNET_A)));
        for (int i = 0; i < 10; i++) r.onEvent(finding(detail("f" + i, BITCOIN, 8, MINER, 1, SUBNET_A), T0.plusSeconds(i)), ctx);
        assertThat(r.remembered()).isEqualTo(3);
        // f0 was forgotten: its update is taken as new and proposes again (the ledger's key then says already-applied)
        r.onEvent(finding(detail("f0", BITCOIN, 8, MINER, 2, SUBNET_A), T0.plusSeconds(20)), ctx);
        assertThat(ctx.drafts.get(10).proposals()).extracting(ActionPlan::idempotencyKey).containsExactly("quarantine-subnet:" + SUBNET_A);
        // f9 is remembered: its update proposes nothing
        r.onEvent(finding(detail("f9", BITCOIN, 8, MINER, 2, SUBNET_A), T0.plusSeconds(21)), ctx);
        assertThat(ctx.drafts.get(11).proposals()).isEmpty();
        assertThat(ctx.drafts.get(11).noActionReason()).startsWith("update of GuardDuty finding f9");
        r.onEvent(finding(detail("f9", BITCOIN, 8, MINER, 2, SUBNET_A), T0.plusSeconds(22)), ctx);
        assertThat(r.repeats()).isEqualTo(1);
    }

    @Test
    void typePatternsAreGlobsOrPrefixes() {
        var star = TypePatterns.compile("CryptoCurrency:EC2/*");
        assertThat(star.matcher("CryptoCurrency:EC2/BitcoinTool.B!DNS").matches()).isTrue();
        assertThat(star.matcher("CryptoCurrency:Lambda/BitcoinTool.B").matches()).isFalse();
        var prefix = TypePatterns.compile("Backdoor:EC2/C&CActivity.B");
        assertThat(prefix.matcher("Backdoor:EC2/C&CActivity.B!DNS").matches()).isTrue();
        assertThat(prefix.matcher("Backdoor:EC2/C&CActivityXB").matches()).as("dot is literal").isFalse();
        var q = TypePatterns.compile("Trojan:EC2/DNSDataExfiltration?");
        assertThat(q.matcher("Trojan:EC2/DNSDataExfiltration!").matches()).isTrue();
        assertThat(q.matcher("Trojan:EC2/DNSDataExfiltration").matches()).isFalse();
    }

    @Test
    void findingTypesMissingFromTheRecordAreReadFromTheJson() {
        ObjectNode d = detail("f1", BITCOIN, 9.5, MINER, 4, SUBNET_A);
        GuardDutyFinding bare = new GuardDutyFinding("e", T0, null, null, Origin.record("t", 1), null, null, 0, null, false, false, 0, null, d);
        FindingDetails f = FindingDetails.of(bare);
        assertThat(f.type()).isEqualTo(BITCOIN);
        assertThat(f.findingId()).isEqualTo("f1");
        assertThat(f.score()).isEqualTo(9.5);
        assertThat(f.count()).isEqualTo(4);
        assertThat(f.instance()).isEqualTo(InstanceId.of(MINER));
        assertThat(f.interfaces()).extracting(i -> i.subnet().value()).containsExactly(SUBNET_A);
    }
}
