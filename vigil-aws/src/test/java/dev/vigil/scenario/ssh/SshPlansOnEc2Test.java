package dev.vigil.scenario.ssh;

import static dev.vigil.scenario.ssh.SshIntrusionTest.action;
import static dev.vigil.scenario.ssh.SshIntrusionTest.inventory;
import static dev.vigil.scenario.ssh.SshIntrusionTest.lines;
import static dev.vigil.scenario.ssh.SshIntrusionTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.aws.Ec2Stub;
import dev.vigil.aws.RoutingExecutor;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.testing.EngineHarness;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ssh scenario's block-source / unblock-source and quarantine-instance plans, carried out against a local EC2 stub. */
class SshPlansOnEc2Test {
    private final Ec2Stub ec2 = Ec2Stub.start();

    @AfterEach
    void stop() {
        ec2.close();
    }

    @Test
    void banAndUnbanReachEc2AsPlanned() {
        ec2.answer("CreateNetworkAclEntry", 200, Ec2Stub.ok("CreateNetworkAclEntry"))
                .answer("DeleteNetworkAclEntry", 200, Ec2Stub.ok("DeleteNetworkAclEntry"));
        SshLines l = lines();
        EngineHarness h = EngineHarness.of(policy("strategy: block"), inventory(), new RoutingExecutor(ec2.executor));
        for (int i = 0; i < 5; i++) h.feed(l.at(5, 1, "Failed password for root from 203.0.113.9 port 4000 ssh2"));
        ActionResult block = action(h.findings(SshIntrusion.BRUTE_FORCE).get(0), "block-source");
        assertThat(block.status()).isEqualTo(ActionStatus.APPLIED);
        h.finish(l.now().plusSeconds(3600));
        ActionResult unblock = action(h.findings(SshIntrusion.BAN_EXPIRED).get(0), "unblock-source");
        assertThat(unblock.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(ec2.sent()).containsExactly(
                Map.of("Action", "CreateNetworkAclEntry", "Version", "2016-11-15", "NetworkAclId", "acl-0123abcd4567ef890", "RuleNumber", "2",
                        "Protocol", "-1", "RuleAction", "deny", "Egress", "false", "CidrBlock", "203.0.113.9/32"),
                Map.of("Action", "DeleteNetworkAclEntry", "Version", "2016-11-15", "NetworkAclId", "acl-0123abcd4567ef890", "RuleNumber", "2",
                        "Egress", "false"));
    }

    @Test
    void quarantineInstanceReachesEc2AsPlanned() {
        ec2.answer("ModifyNetworkInterfaceAttribute", 200, Ec2Stub.ok("ModifyNetworkInterfaceAttribute"));
        SshLines l = lines();
        EngineHarness h = EngineHarness.of(policy("{}"), inventory(), new RoutingExecutor(ec2.executor));
        h.feed(l.at(0, 100, "Invalid user oracle from 203.0.113.9 port 50022"));
        ActionResult q = action(h.findings.get(0), "quarantine-instance");
        assertThat(q.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(ec2.sent()).containsExactly(Map.of("Action", "ModifyNetworkInterfaceAttribute", "Version", "2016-11-15",
                "NetworkInterfaceId", "eni-0fedcba9876543210", "SecurityGroupId.1", "sg-0bad0bad0bad0bad0"));
    }
}
