package dev.vigil.scenario.guardduty;

import static dev.vigil.scenario.guardduty.GdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.testing.EngineHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardDutyResponderTest {
    static final String POLICY = """
            policies:
              - name: gd
                detector: guardduty-responder
                params: {%s}
                responses:
                  guardduty-finding: [quarantine-subnet, quarantine-instance, notify]
                notify: [security-team]
            """;

    static EngineHarness harness(String params, StaticInventory inv) {
        return EngineHarness.of(POLICY.formatted(params), inv);
    }

    static StaticInventory oneSubnet() {
        return StaticInventory.empty()
                .add(instance(MINER, "build-runner-3", "running", SUBNET_A))
                .add(instance(WEB, "web-2", "running", SUBNET_A))
                .add(defaultAcl(SUBNET_A, SUBNET_B));
    }

    static List<ActionResult> actions(Finding f, String type) {
        return f.actions().stream().filter(a -> a.type().equals(type)).toList();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> steps(ActionResult a) {
        return (List<Map<String, Object>>) a.params().get("Steps");
    }

    @Test
    void fiftyFindingsForOneInstanceQuarantineItsSubnetOnce() {
        EngineHarness h = harness("", oneSubnet());
        for (int i = 0; i < 50; i++) {
            h.feed(finding(detail("f" + i, BITCOIN, 8, MINER, 1, SUBNET_A), T0.plusSeconds(i * 60L)));
        }
        assertThat(h.findings).hasSize(50);
        List<ActionResult> subnet = h.findings.stream().flatMap(f -> actions(f, "quarantine-subnet").stream()).toList();
        assertThat(subnet).extracting(ActionResult::status).containsOnly(ActionStatus.PLANNED, ActionStatus.ALREADY_APPLIED);
        assertThat(subnet.stream().filter(a -> a.status() == ActionStatus.PLANNED)).hasSize(1);
        assertThat(subnet.stream().filter(a -> a.status() == ActionStatus.ALREADY_APPLIED)).hasSize(49);
        ActionResult first = actions(h.findings.get(0), "quarantine-subnet").get(0);
        assertThat(first.target()).isEqualTo(SUBNET_A);
        assertThat(steps(first)).extracting(s -> s.get("Action")).containsExactly("CreateNetworkAcl", "ReplaceNetworkAclAssociation");
        assertThat(steps(first).get(0)).containsEntry("VpcId", VPC).containsEntry("ClientToken", "vigil-quarantine-" + VPC);
        assertThat(steps(first).get(1)).containsEntry("AssociationId", "aclassoc-00000000").containsEntry("NetworkAclId", "(created)");
        assertThat(h.problems).isEmpty();
    }

    @Test
    void severityIsMappedFromGuardDutysScale() {
        EngineHarness h = harness("", oneSubnet());
        double[] scores = {1, 3.9, 4, 6.9, 7, 8.9, 9, 10};
        for (int i = 0; i < scores.length; i++) h.feed(finding(detail("s" + i, BITCOIN, scores[i], MINER, 1, SUBNET_A), T0.plusSeconds(i)));
        assertThat(h.findings).extracting(Finding::severity).containsExactly(Severity.LOW, Severity.LOW, Severity.MEDIUM, Severity.MEDIUM,
                Severity.HIGH, Severity.HIGH, Severity.CRITICAL, Severity.CRITICAL);
    }

    @Test
    void twoInstancesInOneSubnetGiveOneQuarantine() {
        EngineHarness h = harness("", oneSubnet());
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0), finding(detail("f2", BITCOIN, 8, WEB, 1, SUBNET_A), T0.plusSeconds(1)));
        assertThat(h.findings).extracting(f -> actions(f, "quarantine-subnet").get(0).status())
                .containsExactly(ActionStatus.PLANNED, ActionStatus.ALREADY_APPLIED);
    }

    @Test
    void everySubnetOfEveryInterfaceIsQuarantinedAndCollateralNamed() {
        StaticInventory inv = StaticInventory.empty()
                .add(instance(MINER, "build-runner-3", "running", SUBNET_A, SUBNET_B))
                .add(instance(WEB, "web-2", "running", SUBNET_A))
                .add(instance("i-0stopped000000001", "old", "stopped", SUBNET_B))
                .add(defaultAcl(SUBNET_A, SUBNET_B));
        EngineHarness h = harness("", inv);
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A, SUBNET_B), T0));
        Finding f = h.findings.get(0);
        assertThat(actions(f, "quarantine-subnet")).extracting(ActionResult::target, ActionResult::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SUBNET_A, ActionStatus.PLANNED),
                        org.assertj.core.groups.Tuple.tuple(SUBNET_B, ActionStatus.PLANNED));
        assertThat(f.facts().get("collateral")).isEqualTo(SUBNET_A + ": " + WEB + " (web-2); " + SUBNET_B + ": no other running instance");
        assertThat(actions(f, "quarantine-subnet").get(0).detail()).contains(WEB + " (web-2)");
        assertThat(f.facts()).containsEntry("subnets", SUBNET_A + ", " + SUBNET_B).containsEntry("vpc", VPC);
    }

    @Test
    void subnetsComeFromTheInventoryWhenTheFindingListsNoInterface() {
        StaticInventory inv = StaticInventory.empty().add(instance(MINER, null, "running", SUBNET_A, SUBNET_B)).add(defaultAcl(SUBNET_A, SUBNET_B));
        EngineHarness h = harness("", inv);
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1), T0));
        assertThat(actions(h.findings.get(0), "quarantine-subnet")).extracting(ActionResult::target).containsExactly(SUBNET_A, SUBNET_B);
    }

    @Test
    void findingWithoutSubnetsAnywhereIsReportedWithAReason() {
        EngineHarness h = harness("", StaticInventory.empty());
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1), T0));
        ActionResult a = actions(h.findings.get(0), "quarantine-subnet").get(0);
        assertThat(a.status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(a.detail()).contains("subnets of " + MINER + " unknown");
    }

    @Test
    void updatesOfAHandledFindingAreReportedButNotActedOnAgain() {
        EngineHarness h = harness("", oneSubnet());
        for (int c = 1; c <= 50; c++) h.feed(finding(detail("same", BITCOIN, 8, MINER, c, SUBNET_A), T0.plusSeconds(c * 900L)));
        assertThat(h.findings).hasSize(50);
        assertThat(actions(h.findings.get(0), "quarantine-subnet").get(0).status()).isEqualTo(ActionStatus.PLANNED);
        for (Finding f : h.findings.subList(1, 50)) {
            ActionResult a = actions(f, "quarantine-subnet").get(0);
            assertThat(a.status()).isEqualTo(ActionStatus.SKIPPED);
            assertThat(a.detail()).startsWith("update of GuardDuty finding same");
        }
        assertThat(h.findings.get(49).facts()).containsEntry("count", "50");
        // notifications still go out for updates
        assertThat(actions(h.findings.get(49), "notify")).extracting(ActionResult::status).containsExactly(ActionStatus.PLANNED);
    }

    @Test
    void updatesCanBeSilencedAndRepeatsOfTheSameCountAreIgnored() {
        EngineHarness h = harness("report-updates: false", oneSubnet());
        h.feed(finding(detail("same", BITCOIN, 8, MINER, 1, SUBNET_A), T0));
        h.feed(finding(detail("same", BITCOIN, 8, MINER, 2, SUBNET_A), T0.plusSeconds(60)));
        assertThat(h.findings).hasSize(1);

        EngineHarness r = harness("", oneSubnet());
        var first = detail("same", BITCOIN, 8, MINER, 3, SUBNET_A);
        r.feed(finding(first, T0));
        r.feed(of(first, "other-delivery", T0.plusSeconds(5), dev.vigil.core.event.Origin.record("s3.json", 1))); // same count
        r.feed(finding(detail("same", BITCOIN, 8, MINER, 2, SUBNET_A), T0.plusSeconds(10))); // older update, late
        assertThat(r.findings).hasSize(1);
    }

    @Test
    void sampleAndArchivedFindingsAreReportedNeverActedOn() {
        EngineHarness h = harness("", oneSubnet());
        var sample = detail("s1", BITCOIN, 8, MINER, 1, SUBNET_A);
        ((com.fasterxml.jackson.databind.node.ObjectNode) sample.path("service")).putObject("additionalInfo").put("sample", true);
        var archived = detail("a1", BITCOIN, 8, MINER, 1, SUBNET_A);
        ((com.fasterxml.jackson.databind.node.ObjectNode) archived.path("service")).put("archived", true);
        h.feed(finding(sample, T0), finding(archived, T0.plusSeconds(1)));
        assertThat(h.findings).hasSize(2);
        assertThat(actions(h.findings.get(0), "quarantine-subnet").get(0)).extracting(ActionResult::status, ActionResult::detail)
                .containsExactly(ActionStatus.SKIPPED, "sample finding (generated by GuardDuty): reported, not acted on (act-on-samples: false)");
        assertThat(actions(h.findings.get(1), "quarantine-subnet").get(0).detail()).startsWith("archived");
        // and neither claimed the subnet: a real finding afterwards acts
        h.feed(finding(detail("real", BITCOIN, 8, MINER, 1, SUBNET_A), T0.plusSeconds(2)));
        assertThat(actions(h.findings.get(2), "quarantine-subnet").get(0).status()).isEqualTo(ActionStatus.PLANNED);

        EngineHarness act = harness("act-on-samples: true", oneSubnet());
        act.feed(finding(sample, T0));
        assertThat(actions(act.findings.get(0), "quarantine-subnet").get(0).status()).isEqualTo(ActionStatus.PLANNED);
    }

    @Test
    void typeSeverityAndResourceFiltersSelectFindings() {
        String[][] cases = {
            {"finding-types: ['CryptoCurrency:EC2/*']", "CryptoCurrency:EC2/BitcoinTool.B!DNS,Backdoor:EC2/C&CActivity.B!DNS", "CryptoCurrency:EC2/BitcoinTool.B!DNS"},
            {"finding-types: ['backdoor:']", "CryptoCurrency:EC2/BitcoinTool.B!DNS,Backdoor:EC2/C&CActivity.B!DNS", "Backdoor:EC2/C&CActivity.B!DNS"},
            {"finding-types: ['*!DNS']", "CryptoCurrency:EC2/BitcoinTool.B,Backdoor:EC2/C&CActivity.B!DNS", "Backdoor:EC2/C&CActivity.B!DNS"},
        };
        for (String[] c : cases) {
            EngineHarness h = harness(c[0], oneSubnet());
            String[] types = c[1].split(",");
            for (int i = 0; i < types.length; i++) h.feed(finding(detail("t" + i, types[i], 8, MINER, 1, SUBNET_A), T0.plusSeconds(i)));
            assertThat(h.findings).as(c[0]).extracting(f -> f.facts().get("finding-type")).containsExactly(c[2]);
        }
        EngineHarness sev = harness("min-severity: high", oneSubnet());
        sev.feed(finding(detail("lo", BITCOIN, 6.9, MINER, 1, SUBNET_A), T0), finding(detail("hi", BITCOIN, 7, MINER, 1, SUBNET_A), T0.plusSeconds(1)));
        assertThat(sev.findings).extracting(f -> f.facts().get("finding-id")).containsExactly("hi");

        EngineHarness res = harness("resource-types: [instance]", oneSubnet());
        res.feed(finding(detail("iam", "UnauthorizedAccess:IAMUser/TorIPCaller", 5, null, 1), T0),
                finding(detail("ec2", BITCOIN, 5, MINER, 1, SUBNET_A), T0.plusSeconds(1)));
        assertThat(res.findings).extracting(f -> f.facts().get("finding-id")).containsExactly("ec2");
    }

    @Test
    void chosenTypesQuarantineTheInstanceInsteadOfTheSubnet() {
        EngineHarness h = harness("quarantine-instance-for: ['UnauthorizedAccess:EC2/SSHBruteForce'], isolation-group: sg-0150a7e0000000001", oneSubnet());
        h.feed(finding(detail("ssh", "UnauthorizedAccess:EC2/SSHBruteForce", 5, MINER, 1, SUBNET_A), T0),
                finding(detail("btc", BITCOIN, 8, MINER, 1, SUBNET_A), T0.plusSeconds(1)));
        Finding ssh = h.findings.get(0);
        assertThat(actions(ssh, "quarantine-instance")).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(ActionStatus.PLANNED);
            assertThat(a.params()).containsEntry("Action", "ModifyNetworkInterfaceAttribute").containsEntry("SecurityGroupId", List.of("sg-0150a7e0000000001"));
        });
        assertThat(actions(ssh, "quarantine-subnet")).extracting(ActionResult::status).containsExactly(ActionStatus.SKIPPED);
        Finding btc = h.findings.get(1);
        assertThat(actions(btc, "quarantine-subnet")).extracting(ActionResult::status).containsExactly(ActionStatus.PLANNED);
        assertThat(actions(btc, "quarantine-instance")).extracting(ActionResult::status).containsExactly(ActionStatus.SKIPPED);
    }

    @Test
    void anExistingQuarantineAclIsReusedAndAnOpenedOneIsNot() {
        StaticInventory inv = oneSubnet().add(quarantineAcl("acl-0quarantine00001", DENY_ALL));
        EngineHarness h = harness("", inv);
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0));
        ActionResult a = actions(h.findings.get(0), "quarantine-subnet").get(0);
        assertThat(steps(a)).singleElement().satisfies(s -> assertThat(s)
                .containsEntry("Action", "ReplaceNetworkAclAssociation").containsEntry("NetworkAclId", "acl-0quarantine00001"));

        StaticInventory opened = oneSubnet().add(quarantineAcl("acl-0quarantine00001", ALLOW_ALL));
        EngineHarness o = harness("", opened);
        o.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0));
        Finding f = o.findings.get(0);
        ActionResult b = actions(f, "quarantine-subnet").get(0);
        assertThat(steps(b)).extracting(s -> s.get("Action")).containsExactly("CreateNetworkAcl", "ReplaceNetworkAclAssociation");
        assertThat((String) steps(b).get(0).get("ClientToken")).startsWith("vigil-quarantine-" + VPC + "-").hasSizeLessThanOrEqualTo(64);
        assertThat(f.facts().get("notes")).contains("acl-0quarantine00001").contains("allow traffic: not used");
    }

    @Test
    void aSubnetAlreadyBehindTheQuarantineAclIsNotMovedAgain() {
        StaticInventory inv = StaticInventory.empty().add(instance(MINER, null, "running", SUBNET_A))
                .add(defaultAcl(SUBNET_B)).add(quarantineAcl("acl-0quarantine00001", DENY_ALL, SUBNET_A));
        EngineHarness h = harness("", inv);
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0));
        ActionResult a = actions(h.findings.get(0), "quarantine-subnet").get(0);
        assertThat(a.status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(a.detail()).contains("already behind quarantine ACL acl-0quarantine00001");
    }

    @Test
    void findingsWithoutAnInstanceGetNoSubnetResponse() {
        EngineHarness h = harness("", oneSubnet());
        h.feed(finding(detail("iam", "UnauthorizedAccess:IAMUser/TorIPCaller", 5, null, 1), T0));
        Finding f = h.findings.get(0);
        assertThat(f.resource()).isEqualTo("deploy-bot");
        assertThat(actions(f, "quarantine-subnet")).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(ActionStatus.SKIPPED);
            assertThat(a.detail()).contains("no EC2 instance");
        });
    }

    @Test
    void exemptInstancesAreNotQuarantined() {
        StaticInventory inv = StaticInventory.empty()
                .add(new dev.vigil.core.inventory.InstanceInfo(dev.vigil.core.event.InstanceId.of(MINER), "running", T0, Map.of("vigil-exempt", "true"),
                        dev.vigil.core.event.VpcId.of(VPC), dev.vigil.core.event.SubnetId.of(SUBNET_A), List.of(), null, null))
                .add(defaultAcl(SUBNET_A));
        EngineHarness h = EngineHarness.of("""
                exemptions:
                  tags: {vigil-exempt: "true"}
                """ + POLICY.formatted(""), inv);
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0));
        ActionResult a = actions(h.findings.get(0), "quarantine-subnet").get(0);
        assertThat(a.status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(a.detail()).contains("exempt");
    }

    @Test
    void anExemptSubnetIsLeftAloneAndTheOtherIsQuarantined() {
        StaticInventory inv = oneSubnet().add(instance(MINER, null, "running", SUBNET_A, SUBNET_B));
        EngineHarness h = EngineHarness.of(("""
                exemptions:
                  resources: [%s]
                """).formatted(SUBNET_B) + POLICY.formatted(""), inv);
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A, SUBNET_B), T0));
        assertThat(actions(h.findings.get(0), "quarantine-subnet")).extracting(ActionResult::target, ActionResult::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SUBNET_A, ActionStatus.PLANNED),
                        org.assertj.core.groups.Tuple.tuple(SUBNET_B, ActionStatus.SKIPPED));
    }

    @Test
    void badParametersAreRejectedWithTheirKey() {
        assertThatThrownBy(() -> harness("quarantine-instance-for: ['Recon:*']", oneSubnet()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("isolation-group");
        assertThatThrownBy(() -> harness("finding-types: ['']", oneSubnet()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("finding-types");
        assertThatThrownBy(() -> harness("min-severity: severe", oneSubnet())).isInstanceOf(PolicyException.class);
        assertThatThrownBy(() -> harness("finding-type: ['Recon:*']", oneSubnet()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("unknown key 'finding-type'");
    }

    @Test
    void theDefaultPolicyRunsThisDetector() {
        EngineHarness h = EngineHarness.defaults(oneSubnet());
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0));
        assertThat(h.findings).extracting(Finding::rule, Finding::policy)
                .contains(org.assertj.core.groups.Tuple.tuple("guardduty-finding", "guardduty-quarantine"));
        Finding f = h.findings.stream().filter(x -> x.rule().equals("guardduty-finding")).findFirst().orElseThrow();
        // enforcement is opt-in: the built-in policy reports and notifies, and never quarantines
        assertThat(f.actions()).extracting(ActionResult::type).containsExactly("notify");
        assertThat(actions(f, "quarantine-subnet")).isEmpty();

        // the original responder's behaviour is one file away, and plans the quarantine
        EngineHarness enforcing = EngineHarness.file(java.nio.file.Path.of("examples/policies/enforce-guardduty.yaml"), oneSubnet());
        enforcing.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0));
        Finding e = enforcing.findings.stream().filter(x -> x.rule().equals("guardduty-finding")).findFirst().orElseThrow();
        assertThat(actions(e, "quarantine-subnet")).extracting(ActionResult::status).containsExactly(ActionStatus.PLANNED);
    }
}
