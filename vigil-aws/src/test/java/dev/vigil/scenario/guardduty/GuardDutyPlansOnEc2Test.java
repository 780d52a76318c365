package dev.vigil.scenario.guardduty;

import static dev.vigil.scenario.guardduty.GdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.aws.Ec2Stub;
import dev.vigil.aws.RoutingExecutor;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.testing.EngineHarness;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guardduty scenario's own plans, carried out by the EC2 executor against a local EC2 stub with the corpus' answers. */
class GuardDutyPlansOnEc2Test {
    private final Ec2Stub ec2 = Ec2Stub.start();

    @AfterEach
    void stop() {
        ec2.close();
    }

    @Test
    void quarantineSubnetReachesEc2AsTheScenarioPlannedIt() {
        ec2.answer("CreateNetworkAcl", 200, Ec2Stub.corpus(Ec2Stub.API_REF + "CreateNetworkAcl_Example_1_Response.xml"))
                .answer("ReplaceNetworkAclAssociation", 200, Ec2Stub.corpus(Ec2Stub.API_REF + "ReplaceNetworkAclAssociation_Example_1_Response.xml"));
        EngineHarness h = EngineHarness.of(GuardDutyResponderTest.POLICY.formatted("isolation-group: sg-0bad0bad0bad0bad0"),
                GuardDutyResponderTest.oneSubnet(), new RoutingExecutor(ec2.executor));
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0));
        Finding f = h.findings.get(0);

        ActionResult subnet = GuardDutyResponderTest.actions(f, "quarantine-subnet").get(0);
        assertThat(subnet.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(subnet.detail()).contains("created network ACL acl-5fb85d36", "new association aclassoc-17b85d7e");

        Map<String, String> create = form("CreateNetworkAcl");
        create.put("VpcId", VPC);
        create.put("ClientToken", "vigil-quarantine-" + VPC);
        create.put("TagSpecification.1.ResourceType", "network-acl");
        create.put("TagSpecification.1.Tag.1.Key", "vigil:quarantine");
        create.put("TagSpecification.1.Tag.1.Value", "true");
        create.put("TagSpecification.1.Tag.2.Key", "Name");
        create.put("TagSpecification.1.Tag.2.Value", "vigil-quarantine");
        Map<String, String> replace = form("ReplaceNetworkAclAssociation");
        replace.put("AssociationId", "aclassoc-00000000");
        replace.put("NetworkAclId", "acl-5fb85d36");
        assertThat(ec2.sent()).containsExactly(create, replace);
        assertThat(h.problems).isEmpty();
    }

    @Test
    void underDryRunTheCreateCarriesDryRun() {
        ec2.answer("CreateNetworkAcl", 412, Ec2Stub.corpus(Ec2Stub.JCLOUDS + "dry_run.xml"));
        String policy = GuardDutyResponderTest.POLICY.formatted("isolation-group: sg-0bad0bad0bad0bad0").replace("    detector:", "    dry-run: true\n    detector:");
        EngineHarness h = EngineHarness.of(policy, GuardDutyResponderTest.oneSubnet(), new RoutingExecutor(ec2.executor));
        h.feed(finding(detail("f1", BITCOIN, 8, MINER, 1, SUBNET_A), T0));
        ActionResult subnet = GuardDutyResponderTest.actions(h.findings.get(0), "quarantine-subnet").get(0);
        assertThat(subnet.status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(subnet.detail()).startsWith("step 1/2 CreateNetworkAcl: dry-run: would succeed");
        assertThat(ec2.sent()).singleElement().satisfies(m -> assertThat(m).containsEntry("Action", "CreateNetworkAcl").containsEntry("DryRun", "true"));
    }

    private static Map<String, String> form(String action) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Action", action);
        m.put("Version", "2016-11-15");
        return m;
    }
}
