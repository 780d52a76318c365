package dev.vigil.aws;

import static dev.vigil.aws.Ec2SecurityGroupCallsTest.form;
import static dev.vigil.aws.Ec2Stub.JCLOUDS;
import static dev.vigil.aws.Ec2Stub.LIBCLOUD;
import static dev.vigil.aws.Ec2Stub.corpus;
import static dev.vigil.aws.Ec2Stub.learning;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The quarantine-instance steps QuarantineInstance writes when no isolation group exists yet; CreateTags. */
class Ec2CreateGroupTest {
    private final Ec2Stub ec2 = Ec2Stub.start();

    @AfterEach
    void stop() {
        ec2.close();
    }

    /** As QuarantineInstance.createSteps + the interface swap (scenario/shared). */
    static Map<String, Object> quarantineSteps() {
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("Action", "CreateSecurityGroup");
        create.put("GroupName", "vigil-quarantine");
        create.put("GroupDescription", "vigil quarantine: no ingress, no egress");
        create.put("VpcId", "vpc-99999999");
        create.put("TagSpecification", List.of(Map.of("ResourceType", "security-group",
                "Tags", List.of(Map.of("Key", "vigil:quarantine", "Value", "true"), Map.of("Key", "Name", "Value", "vigil-quarantine")))));
        Map<String, Object> egress = Map.of("Action", "RevokeSecurityGroupEgress", "GroupId", "(created)",
                "IpPermissions", List.of(Map.of("IpProtocol", "-1", "IpRanges", List.of(Map.of("CidrIp", "0.0.0.0/0")))));
        Map<String, Object> swap = Map.of("Action", "ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", "eni-18e6c05e",
                "SecurityGroupId", List.of("(created)"));
        return Map.of("Steps", List.of(create, egress, swap));
    }

    static final Map<String, String> CREATE_FORM = form("CreateSecurityGroup", Map.of(
            "GroupName", "vigil-quarantine", "GroupDescription", "vigil quarantine: no ingress, no egress", "VpcId", "vpc-99999999",
            "TagSpecification.1.ResourceType", "security-group",
            "TagSpecification.1.Tag.1.Key", "vigil:quarantine", "TagSpecification.1.Tag.1.Value", "true",
            "TagSpecification.1.Tag.2.Key", "Name", "TagSpecification.1.Tag.2.Value", "vigil-quarantine"));

    @Test
    void createdGroupIsShutAndSwappedInAndOnlyTheSwapIsUndone() {
        ec2.answer("CreateSecurityGroup", 200, corpus(LIBCLOUD + "create_security_group.xml"))
                .answer("RevokeSecurityGroupEgress", 200, corpus(LIBCLOUD + "revoke_security_group_egress.xml"))
                .answer("DescribeNetworkInterfaces", 200, corpus(LIBCLOUD + "describe_network_interfaces.xml"))
                .answer("ModifyNetworkInterfaceAttribute", 200, Ec2Stub.ok("ModifyNetworkInterfaceAttribute"));
        ActionResult r = ec2.run(learning("quarantine-instance", "i-caa71db1", quarantineSteps()), false);
        assertThat(ec2.sent()).containsExactly(CREATE_FORM,
                form("RevokeSecurityGroupEgress", Map.of("GroupId", "sg-52e2f530", "IpPermissions.1.IpProtocol", "-1",
                        "IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0")),
                form("DescribeNetworkInterfaces", Map.of("NetworkInterfaceId.1", "eni-18e6c05e")),
                form("ModifyNetworkInterfaceAttribute", Map.of("NetworkInterfaceId", "eni-18e6c05e", "SecurityGroupId.1", "sg-52e2f530")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).startsWith("step 1/3 CreateSecurityGroup: created security group sg-52e2f530 (vigil-quarantine in vpc-99999999); ");
        // the shared quarantine group is kept: undo only gives the interface its groups back
        assertThat(r.undo()).isEqualTo(Map.of("Action", "ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", "eni-18e6c05e",
                "SecurityGroupId", List.of("sg-495a9926")));
    }

    /** jclouds' VPC group answer, renamed and with its ingress rule removed: vigil's group as found later. */
    private static String existingShutGroup(boolean withIngress) {
        String xml = corpus(JCLOUDS + "describe_security_groups_vpc.xml").replace("<groupId>sg-11111111</groupId>\n                <groupName>default</groupName>",
                "<groupId>sg-11111111</groupId>\n                <groupName>vigil-quarantine</groupName>");
        if (withIngress) return xml;
        int from = xml.indexOf("<ipPermissions>");
        int to = xml.indexOf("</ipPermissions>") + "</ipPermissions>".length();
        return xml.substring(0, from) + "<ipPermissions/>" + xml.substring(to);
    }

    @Test
    void aDuplicateNameFindsTheExistingGroupByNameAndVpc() {
        ec2.answer("CreateSecurityGroup", 400, Ec2Stub.error("InvalidGroup.Duplicate", "The security group 'vigil-quarantine' already exists for VPC 'vpc-99999999'"))
                .answer("DescribeSecurityGroups", 200, existingShutGroup(false))
                .answer("RevokeSecurityGroupEgress", 400, Ec2Stub.error("InvalidPermission.NotFound", "The specified rule does not exist in this security group."))
                .answer("DescribeNetworkInterfaces", 200, corpus(LIBCLOUD + "describe_network_interfaces.xml"))
                .answer("ModifyNetworkInterfaceAttribute", 200, Ec2Stub.ok("ModifyNetworkInterfaceAttribute"));
        ActionResult r = ec2.run(learning("quarantine-instance", "i-caa71db1", quarantineSteps()), false);
        assertThat(ec2.sent()).containsExactly(CREATE_FORM,
                form("DescribeSecurityGroups", Map.of("Filter.1.Name", "group-name", "Filter.1.Value.1", "vigil-quarantine",
                        "Filter.2.Name", "vpc-id", "Filter.2.Value.1", "vpc-99999999")),
                form("RevokeSecurityGroupEgress", Map.of("GroupId", "sg-11111111", "IpPermissions.1.IpProtocol", "-1",
                        "IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0")),
                form("DescribeNetworkInterfaces", Map.of("NetworkInterfaceId.1", "eni-18e6c05e")),
                form("ModifyNetworkInterfaceAttribute", Map.of("NetworkInterfaceId", "eni-18e6c05e", "SecurityGroupId.1", "sg-11111111")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).startsWith("step 1/3 CreateSecurityGroup: security group vigil-quarantine already exists: sg-11111111; "
                + "step 2/3 RevokeSecurityGroupEgress: InvalidPermission.NotFound");
    }

    @Test
    void anExistingGroupThatLetsTrafficInIsNotUsed() {
        ec2.answer("CreateSecurityGroup", 400, Ec2Stub.error("InvalidGroup.Duplicate", "The security group 'vigil-quarantine' already exists"))
                .answer("DescribeSecurityGroups", 200, existingShutGroup(true));
        ActionResult r = ec2.run(learning("quarantine-instance", "i-caa71db1", quarantineSteps()), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("step 1/3 CreateSecurityGroup: security group sg-11111111 (vigil-quarantine) exists but allows ingress (1 rule(s)): "
                + "not used as a quarantine group");
        assertThat(ec2.sent()).extracting(m -> m.get("Action")).containsExactly("CreateSecurityGroup", "DescribeSecurityGroups");
    }

    @Test
    void createTagsSendsResourcesAndTags() {
        ec2.answer("CreateTags", 200, corpus(LIBCLOUD + "create_tags.xml"));
        ActionResult r = ec2.run(learning("tag", "i-caa71db1", Map.of("Action", "CreateTags", "ResourceId", List.of("i-caa71db1"),
                "Tag", List.of(Map.of("Key", "vigil:quarantined", "Value", "2026-11-23T08:00:00Z")))), false);
        assertThat(ec2.sent()).containsExactly(form("CreateTags", Map.of("ResourceId.1", "i-caa71db1",
                "Tag.1.Key", "vigil:quarantined", "Tag.1.Value", "2026-11-23T08:00:00Z")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).isEqualTo("tagged i-caa71db1 with [vigil:quarantined]");
        assertThat(r.undo()).isEmpty();
    }
}
