package dev.vigil.scenario.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.NetworkInterfaceId;
import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.event.SubnetId;
import dev.vigil.core.event.VpcId;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.NetworkInterfaceInfo;
import dev.vigil.core.inventory.SecurityGroupInfo;
import dev.vigil.core.inventory.StaticInventory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuarantineInstanceTest {
    static final InstanceId I = InstanceId.of("i-0123456789abcdef0");
    static final VpcId VPC = VpcId.of("vpc-0123456789abcdef0");

    static StaticInventory inventory() {
        var eni1 = new NetworkInterfaceInfo(NetworkInterfaceId.of("eni-0000000000000000a"), SubnetId.of("subnet-0000000000000000a"), VPC,
                List.of(SecurityGroupId.of("sg-0000000000000000a"), SecurityGroupId.of("sg-0000000000000000b")));
        var eni2 = new NetworkInterfaceInfo(NetworkInterfaceId.of("eni-0000000000000000b"), SubnetId.of("subnet-0000000000000000b"), VPC,
                List.of(SecurityGroupId.of("sg-0000000000000000c")));
        return StaticInventory.empty().add(new InstanceInfo(I, "running", null, Map.of(), VPC, null, List.of(eni1, eni2), null, null));
    }

    @Test
    void configuredGroupReplacesTheGroupsOfEveryInterfaceAndRecordsThemForUndo() {
        List<ActionPlan> plans = new QuarantineInstance("sg-0123456789abcdef1").plan(I, inventory(), "test");
        assertThat(plans).hasSize(2);
        assertThat(plans.get(0).params()).containsEntry("Action", "ModifyNetworkInterfaceAttribute")
                .containsEntry("NetworkInterfaceId", "eni-0000000000000000a").containsEntry("SecurityGroupId", List.of("sg-0123456789abcdef1"));
        assertThat(plans.get(0).undo()).containsEntry("SecurityGroupId", List.of("sg-0000000000000000a", "sg-0000000000000000b"));
        assertThat(plans.get(1).undo()).containsEntry("SecurityGroupId", List.of("sg-0000000000000000c"));
        assertThat(plans).extracting(ActionPlan::idempotencyKey).doesNotHaveDuplicates();
    }

    @Test
    void withoutAGroupOneIsCreatedWithNoIngressAndNoEgress() {
        List<ActionPlan> plans = new QuarantineInstance(null).plan(I, inventory(), "test");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) plans.get(0).params().get("Steps");
        assertThat(steps).extracting(m -> m.get("Action"))
                .containsExactly("CreateSecurityGroup", "RevokeSecurityGroupEgress", "ModifyNetworkInterfaceAttribute");
        assertThat(steps.get(0)).containsEntry("VpcId", VPC.value()).containsEntry("GroupName", QuarantineInstance.GROUP_NAME);
        assertThat(steps.get(1)).containsEntry("GroupId", QuarantineInstance.CREATED);
        assertThat(steps.get(2)).containsEntry("SecurityGroupId", List.of(QuarantineInstance.CREATED));
        // the second interface does not create another group
        assertThat(plans.get(1).params()).containsEntry("Action", "ModifyNetworkInterfaceAttribute");
    }

    @Test
    void vigilsExistingGroupInTheVpcIsReused() {
        StaticInventory inv = inventory().add(new SecurityGroupInfo(SecurityGroupId.of("sg-0fff0000000000000"), "vigil-quarantine", VPC, null,
                Map.of(QuarantineInstance.TAG_KEY, "true")));
        List<ActionPlan> plans = new QuarantineInstance(null).plan(I, inv, "test");
        assertThat(plans.get(0).params()).containsEntry("SecurityGroupId", List.of("sg-0fff0000000000000")).doesNotContainKey("Steps");
    }

    @Test
    void unknownInstanceFallsBackToModifyInstanceAttribute() {
        List<ActionPlan> plans = new QuarantineInstance("sg-0123456789abcdef1").plan(InstanceId.of("i-0aaaaaaaaaaaaaaaa"), StaticInventory.empty(), "t");
        assertThat(plans).singleElement().satisfies(p -> assertThat(p.params()).containsEntry("Action", "ModifyInstanceAttribute")
                .containsEntry("GroupId", List.of("sg-0123456789abcdef1")));
    }
}
