package dev.vigil.aws;

import static dev.vigil.aws.Ec2SecurityGroupCallsTest.form;
import static dev.vigil.aws.Ec2Stub.BOTOCORE;
import static dev.vigil.aws.Ec2Stub.LIBCLOUD;
import static dev.vigil.aws.Ec2Stub.corpus;
import static dev.vigil.aws.Ec2Stub.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Ec2InstanceCallsTest {
    private final Ec2Stub ec2 = Ec2Stub.start();

    @AfterEach
    void stop() {
        ec2.close();
    }

    @Test
    void interfaceGroupsAreReplacedByTheIsolationGroup() {
        ec2.answer("ModifyNetworkInterfaceAttribute", 200, Ec2Stub.ok("ModifyNetworkInterfaceAttribute"));
        Map<String, Object> p = Map.of("Action", "ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", "eni-0a1b2c3d4e5f60718",
                "SecurityGroupId", List.of("sg-0000000000000000"));
        ActionResult r = ec2.run(plan("quarantine-instance", "i-0123456789abcdef0", p), false);
        assertThat(ec2.sent()).containsExactly(form("ModifyNetworkInterfaceAttribute",
                Map.of("NetworkInterfaceId", "eni-0a1b2c3d4e5f60718", "SecurityGroupId.1", "sg-0000000000000000")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).isEqualTo("groups of eni-0a1b2c3d4e5f60718 set to [sg-0000000000000000]");
    }

    @Test
    void undoRestoresSeveralGroups() {
        ec2.answer("ModifyNetworkInterfaceAttribute", 200, Ec2Stub.ok("ModifyNetworkInterfaceAttribute"));
        Map<String, Object> p = Map.of("Action", "ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", "eni-0a1b2c3d4e5f60718",
                "SecurityGroupId", List.of("sg-0aaa1111bbbb2222c", "sg-0ddd3333eeee4444f"));
        ec2.run(plan("undo", "i-0123456789abcdef0", p), false);
        assertThat(ec2.sent()).containsExactly(form("ModifyNetworkInterfaceAttribute", Map.of("NetworkInterfaceId", "eni-0a1b2c3d4e5f60718",
                "SecurityGroupId.1", "sg-0aaa1111bbbb2222c", "SecurityGroupId.2", "sg-0ddd3333eeee4444f")));
    }

    @Test
    void instanceGroupsWhenTheInterfacesAreUnknown() {
        ec2.answer("ModifyInstanceAttribute", 200, corpus(LIBCLOUD + "modify_instance_attribute.xml"));
        Map<String, Object> p = Map.of("Action", "ModifyInstanceAttribute", "InstanceId", "i-0123456789abcdef0", "GroupId", List.of("sg-0000000000000000"));
        ActionResult r = ec2.run(plan("quarantine-instance", "i-0123456789abcdef0", p), false);
        assertThat(ec2.sent()).containsExactly(form("ModifyInstanceAttribute",
                Map.of("InstanceId", "i-0123456789abcdef0", "GroupId.1", "sg-0000000000000000")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
    }

    @Test
    void stopInstancesReportsTheStateChange() {
        ec2.answer("StopInstances", 200, corpus(LIBCLOUD + "stop_instances.xml"));
        ActionResult r = ec2.run(plan("stop-instance", "i-2ba64342", Map.of("Action", "StopInstances", "InstanceId", List.of("i-2ba64342"))), false);
        assertThat(ec2.sent()).containsExactly(form("StopInstances", Map.of("InstanceId.1", "i-2ba64342")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).isEqualTo("stop i-2ba64342 running -> stopping");
    }

    @Test
    void stopInstancesFromBotocoresAnswerAndASingleId() {
        ec2.answer("StopInstances", 200, corpus(BOTOCORE + "responses/ec2-stop-instances.xml"));
        ActionResult r = ec2.run(plan("stop-instance", "i-10a64379", Map.of("Action", "StopInstances", "InstanceId", "i-10a64379", "Force", true)), false);
        assertThat(ec2.sent()).containsExactly(form("StopInstances", Map.of("InstanceId.1", "i-10a64379", "Force", "true")));
        assertThat(r.detail()).isEqualTo("stop i-10a64379 running -> stopping");
    }

    @Test
    void stoppingAStoppedInstanceIsAlreadyApplied() {
        ec2.answer("StopInstances", 200, corpus(LIBCLOUD + "stop_instances.xml").replace("<code>16</code>\n                <name>running</name>",
                "<code>80</code>\n                <name>stopped</name>"));
        ActionResult r = ec2.run(plan("stop-instance", "i-2ba64342", Map.of("Action", "StopInstances", "InstanceId", List.of("i-2ba64342"))), false);
        assertThat(r.status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(r.detail()).isEqualTo("stop i-2ba64342 stopped -> stopping: already stopping or stopped");
    }

    @Test
    void theUnsetIsolationGroupPlaceholderIsNeverSent() {
        Map<String, Object> p = Map.of("Action", "ModifyInstanceAttribute", "InstanceId", "i-0123456789abcdef0",
                "GroupId", List.of("(isolation-group not set)"));
        ActionResult r = ec2.run(plan("quarantine-instance", "i-0123456789abcdef0", p), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("invalid plan: ModifyInstanceAttribute: GroupId holds the placeholder '(isolation-group not set)'");
        assertThat(ec2.sent()).isEmpty();
    }
}
