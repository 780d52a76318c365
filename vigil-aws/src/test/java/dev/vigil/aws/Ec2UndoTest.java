package dev.vigil.aws;

import static dev.vigil.aws.Ec2SecurityGroupCallsTest.form;
import static dev.vigil.aws.Ec2Stub.API_REF;
import static dev.vigil.aws.Ec2Stub.BOTOCORE;
import static dev.vigil.aws.Ec2Stub.LIBCLOUD;
import static dev.vigil.aws.Ec2Stub.corpus;
import static dev.vigil.aws.Ec2Stub.learning;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Learnt undo (read before the change, or taken from EC2's answer) and {@link Ec2Executor#undo}, bodies checked both ways. */
class Ec2UndoTest {
    private final Ec2Stub ec2 = Ec2Stub.start();

    @AfterEach
    void stop() {
        ec2.close();
    }

    private ActionResult undo(ActionResult recorded) {
        ec2.server.resetRequests();
        return ec2.executor.undo(recorded, false);
    }

    private static Map<String, Object> isolate(String eni) {
        return Map.of("Action", "ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", eni, "SecurityGroupId", List.of("sg-0000000000000000"));
    }

    @Test
    void interfaceGroupsAreReadBeforeTheSwapAndPutBackByUndo() {
        ec2.answer("DescribeNetworkInterfaces", 200, corpus(LIBCLOUD + "describe_network_interfaces.xml"))
                .answer("ModifyNetworkInterfaceAttribute", 200, Ec2Stub.ok("ModifyNetworkInterfaceAttribute"));
        ActionResult r = ec2.run(learning("quarantine-instance", "i-caa71db1", isolate("eni-83e3c5c5")), false);
        assertThat(ec2.sent()).containsExactly(
                form("DescribeNetworkInterfaces", Map.of("NetworkInterfaceId.1", "eni-83e3c5c5")),
                form("ModifyNetworkInterfaceAttribute", Map.of("NetworkInterfaceId", "eni-83e3c5c5", "SecurityGroupId.1", "sg-0000000000000000")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.undo()).isEqualTo(Map.of("Action", "ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", "eni-83e3c5c5",
                "SecurityGroupId", List.of("sg-13e4607c", "sg-495a9926")));

        ActionResult u = undo(r);
        assertThat(ec2.sent()).containsExactly(form("ModifyNetworkInterfaceAttribute", Map.of("NetworkInterfaceId", "eni-83e3c5c5",
                "SecurityGroupId.1", "sg-13e4607c", "SecurityGroupId.2", "sg-495a9926")));
        assertThat(u.type()).isEqualTo("undo");
        assertThat(u.target()).isEqualTo("i-caa71db1");
        assertThat(u.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(u.detail()).isEqualTo("undo quarantine-instance on i-caa71db1: groups of eni-83e3c5c5 set to [sg-13e4607c, sg-495a9926]");
        assertThat(u.idempotencyKey()).isEqualTo("undo:quarantine-instance:i-caa71db1");
    }

    @Test
    void aPlanThatNamesThePreviousGroupsIsNotReadAgain() {
        ec2.answer("ModifyNetworkInterfaceAttribute", 200, Ec2Stub.ok("ModifyNetworkInterfaceAttribute"));
        Map<String, Object> planned = Map.of("Action", "ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", "eni-83e3c5c5",
                "SecurityGroupId", List.of("sg-0aaa1111bbbb2222c"));
        ActionResult r = ec2.run(new ActionPlan("quarantine-instance", "i-caa71db1", isolate("eni-83e3c5c5"), "d", "k", true, planned), false);
        assertThat(ec2.sent()).extracting(m -> m.get("Action")).containsExactly("ModifyNetworkInterfaceAttribute");
        assertThat(r.undo()).isEqualTo(planned);
    }

    @Test
    void aFailedReadStillActsAndSaysTheUndoIsUnknown() {
        ec2.answer("DescribeNetworkInterfaces", 403, Ec2Stub.error("UnauthorizedOperation", "You are not authorized to perform this operation."))
                .answer("ModifyNetworkInterfaceAttribute", 200, Ec2Stub.ok("ModifyNetworkInterfaceAttribute"));
        ActionResult r = ec2.run(learning("quarantine-instance", "i-caa71db1", isolate("eni-83e3c5c5")), false);
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).isEqualTo("groups of eni-83e3c5c5 set to [sg-0000000000000000] (no undo learnt: UnauthorizedOperation: vigil's role "
                + "lacks IAM permission ec2:DescribeNetworkInterfaces (You are not authorized to perform this operation.))");
        assertThat(r.undo()).isEmpty();
    }

    @Test
    void instanceGroupsAreReadWithDescribeInstances() {
        ec2.answer("DescribeInstances", 200, corpus(LIBCLOUD + "describe_instances.xml"))
                .answer("ModifyInstanceAttribute", 200, corpus(LIBCLOUD + "modify_instance_attribute.xml"));
        Map<String, Object> p = Map.of("Action", "ModifyInstanceAttribute", "InstanceId", "i-4382922a", "GroupId", List.of("sg-0000000000000000"));
        ActionResult r = ec2.run(learning("quarantine-instance", "i-4382922a", p), false);
        assertThat(ec2.sent()).containsExactly(form("DescribeInstances", Map.of("InstanceId.1", "i-4382922a")),
                form("ModifyInstanceAttribute", Map.of("InstanceId", "i-4382922a", "GroupId.1", "sg-0000000000000000")));
        assertThat(r.undo()).isEqualTo(Map.of("Action", "ModifyInstanceAttribute", "InstanceId", "i-4382922a",
                "GroupId", List.of("sg-42916629", "sg-42916628")));
        undo(r);
        assertThat(ec2.sent()).containsExactly(form("ModifyInstanceAttribute",
                Map.of("InstanceId", "i-4382922a", "GroupId.1", "sg-42916629", "GroupId.2", "sg-42916628")));
    }

    @Test
    void subnetQuarantineUndoMovesTheNewAssociationBackToThePreviousAcl() {
        ec2.answer("DescribeNetworkAcls", 200, corpus(API_REF + "DescribeNetworkAcls_Example_1_Response.xml"))
                .answer("CreateNetworkAcl", 200, corpus(API_REF + "CreateNetworkAcl_Example_1_Response.xml"))
                .answer("ReplaceNetworkAclAssociation", 200, corpus(API_REF + "ReplaceNetworkAclAssociation_Example_1_Response.xml"));
        String subnet = Ec2NetworkAclCallsTest.SUBNET;
        Map<String, Object> plannedUndo = Map.of("Action", "ReplaceNetworkAclAssociation", "AssociationId", "(NewAssociationId returned by the quarantine step)",
                "NetworkAclId", "(previous ACL of " + subnet + ", recorded at execution)");
        ActionPlan plan = new ActionPlan("quarantine-subnet", subnet,
                Ec2NetworkAclCallsTest.quarantineSteps("(association of " + subnet + ", looked up at execution)"), "d", "quarantine-subnet:" + subnet, true, plannedUndo);
        ActionResult r = ec2.run(plan, false);
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        // the association look-up already named the previous ACL: nothing more is read
        assertThat(ec2.sent()).extracting(m -> m.get("Action")).containsExactly("DescribeNetworkAcls", "CreateNetworkAcl", "ReplaceNetworkAclAssociation");
        assertThat(r.undo()).isEqualTo(Map.of("Action", "ReplaceNetworkAclAssociation", "AssociationId", "aclassoc-17b85d7e",
                "NetworkAclId", "acl-0ea1f54ca7EXAMPLE"));

        ActionResult u = undo(r);
        assertThat(ec2.sent()).containsExactly(form("ReplaceNetworkAclAssociation",
                Map.of("AssociationId", "aclassoc-17b85d7e", "NetworkAclId", "acl-0ea1f54ca7EXAMPLE")));
        assertThat(u.detail()).isEqualTo("undo quarantine-subnet on " + subnet
                + ": association aclassoc-17b85d7e moved to acl-0ea1f54ca7EXAMPLE, new association aclassoc-17b85d7e");
    }

    @Test
    void aKnownAssociationHasItsAclReadByAssociationId() {
        ec2.answer("DescribeNetworkAcls", 200, corpus(API_REF + "DescribeNetworkAcls_Example_1_Response.xml"))
                .answer("ReplaceNetworkAclAssociation", 200, corpus(API_REF + "ReplaceNetworkAclAssociation_Example_1_Response.xml"));
        Map<String, Object> p = Map.of("Action", "ReplaceNetworkAclAssociation", "AssociationId", "aclassoc-0c1679dc41EXAMPLE", "NetworkAclId", "acl-5fb85d36");
        ActionResult r = ec2.run(learning("quarantine-subnet", "subnet-0931fc2fa5EXAMPLE", p), false);
        assertThat(ec2.sent()).containsExactly(
                form("DescribeNetworkAcls", Map.of("Filter.1.Name", "association.association-id", "Filter.1.Value.1", "aclassoc-0c1679dc41EXAMPLE")),
                form("ReplaceNetworkAclAssociation", Map.of("AssociationId", "aclassoc-0c1679dc41EXAMPLE", "NetworkAclId", "acl-5fb85d36")));
        assertThat(r.undo()).isEqualTo(Map.of("Action", "ReplaceNetworkAclAssociation", "AssociationId", "aclassoc-17b85d7e",
                "NetworkAclId", "acl-0ea1f54ca7EXAMPLE"));
    }

    @Test
    void aRevokeByPermissionsIsUndoneByAuthorizingTheSamePermissions() {
        ec2.answer("RevokeSecurityGroupIngress", 200, corpus(LIBCLOUD + "revoke_security_group_ingress.xml"))
                .answer("AuthorizeSecurityGroupIngress", 200, corpus(LIBCLOUD + "authorize_security_group_ingress.xml"));
        Map<String, Object> p = Ec2SecurityGroupCallsTest.revoke("RevokeSecurityGroupIngress", List.of(Ec2SecurityGroupCallsTest.sshFromAnywhere()));
        ActionResult r = ec2.run(learning("revoke-ingress", "sg-0123456789abcdef0", p), false);
        assertThat(ec2.sent()).containsExactly(form("RevokeSecurityGroupIngress", Ec2SecurityGroupCallsTest.SSH_FORM));
        assertThat(r.undo()).containsEntry("Action", "AuthorizeSecurityGroupIngress").containsEntry("GroupId", "sg-0123456789abcdef0");
        undo(r);
        assertThat(ec2.sent()).containsExactly(form("AuthorizeSecurityGroupIngress", Ec2SecurityGroupCallsTest.SSH_FORM));
    }

    /** DescribeSecurityGroupRules as EC2's API reference shows it (the corpus has no file for it). */
    static final String RULES = """
            <DescribeSecurityGroupRulesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                <requestId>d7a2a9d5-4f9c-4b5a-8e3a-EXAMPLE</requestId>
                <securityGroupRuleSet>
                    <item>
                        <securityGroupRuleId>sgr-0b0e2f0cbd0a5c3e1</securityGroupRuleId>
                        <groupId>sg-0123456789abcdef0</groupId>
                        <groupOwnerId>123456789012</groupOwnerId>
                        <isEgress>false</isEgress>
                        <ipProtocol>tcp</ipProtocol>
                        <fromPort>22</fromPort>
                        <toPort>22</toPort>
                        <cidrIpv4>0.0.0.0/0</cidrIpv4>
                        <description>ssh from anywhere</description>
                        <tagSet/>
                    </item>
                </securityGroupRuleSet>
            </DescribeSecurityGroupRulesResponse>""";

    @Test
    void aRevokeByRuleIdReadsTheRuleFirst() {
        ec2.answer("DescribeSecurityGroupRules", 200, RULES)
                .answer("RevokeSecurityGroupIngress", 200, corpus(LIBCLOUD + "revoke_security_group_ingress.xml"))
                .answer("AuthorizeSecurityGroupIngress", 200, corpus(LIBCLOUD + "authorize_security_group_ingress.xml"));
        Map<String, Object> p = Map.of("Action", "RevokeSecurityGroupIngress", "GroupId", "sg-0123456789abcdef0", "SecurityGroupRuleId", List.of("sgr-0b0e2f0cbd0a5c3e1"));
        ActionResult r = ec2.run(learning("revoke-ingress", "sg-0123456789abcdef0", p), false);
        assertThat(ec2.sent()).containsExactly(form("DescribeSecurityGroupRules", Map.of("SecurityGroupRuleId.1", "sgr-0b0e2f0cbd0a5c3e1")),
                form("RevokeSecurityGroupIngress", Map.of("GroupId", "sg-0123456789abcdef0", "SecurityGroupRuleId.1", "sgr-0b0e2f0cbd0a5c3e1")));
        undo(r);
        assertThat(ec2.sent()).containsExactly(form("AuthorizeSecurityGroupIngress", Map.of("GroupId", "sg-0123456789abcdef0",
                "IpPermissions.1.IpProtocol", "tcp", "IpPermissions.1.FromPort", "22", "IpPermissions.1.ToPort", "22",
                "IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0", "IpPermissions.1.IpRanges.1.Description", "ssh from anywhere")));
    }

    @Test
    void stopIsUndoneByStartingTheInstancesThatWereRunning() {
        ec2.answer("StopInstances", 200, corpus(LIBCLOUD + "stop_instances.xml"))
                .answer("StartInstances", 200, corpus(BOTOCORE + "responses/ec2-start-instances.xml"));
        ActionResult r = ec2.run(learning("stop-instance", "i-2ba64342", Map.of("Action", "StopInstances", "InstanceId", List.of("i-2ba64342"))), false);
        assertThat(r.undo()).isEqualTo(Map.of("Action", "StartInstances", "InstanceId", List.of("i-2ba64342")));
        ActionResult u = undo(r);
        assertThat(ec2.sent()).containsExactly(form("StartInstances", Map.of("InstanceId.1", "i-2ba64342")));
        assertThat(u.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(u.detail()).isEqualTo("undo stop-instance on i-2ba64342: start i-10a64379 stopped -> pending");
    }

    @Test
    void stepsAreUndoneInReverseOrder() {
        ec2.answer("RevokeSecurityGroupIngress", 200, corpus(LIBCLOUD + "revoke_security_group_ingress.xml"))
                .answer("DescribeNetworkInterfaces", 200, corpus(LIBCLOUD + "describe_network_interfaces.xml"))
                .answer("ModifyNetworkInterfaceAttribute", 200, Ec2Stub.ok("ModifyNetworkInterfaceAttribute"))
                .answer("AuthorizeSecurityGroupIngress", 200, corpus(LIBCLOUD + "authorize_security_group_ingress.xml"));
        Map<String, Object> revoke = Ec2SecurityGroupCallsTest.revoke("RevokeSecurityGroupIngress", List.of(Ec2SecurityGroupCallsTest.sshFromAnywhere()));
        ActionResult r = ec2.run(learning("contain", "i-caa71db1", Map.of("Steps", List.of(revoke, isolate("eni-18e6c05e")))), false);
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) r.undo().get("Steps");
        assertThat(steps).extracting(m -> m.get("Action")).containsExactly("ModifyNetworkInterfaceAttribute", "AuthorizeSecurityGroupIngress");
        ActionResult u = undo(r);
        assertThat(ec2.sent()).containsExactly(
                form("ModifyNetworkInterfaceAttribute", Map.of("NetworkInterfaceId", "eni-18e6c05e", "SecurityGroupId.1", "sg-495a9926")),
                form("AuthorizeSecurityGroupIngress", Ec2SecurityGroupCallsTest.SSH_FORM));
        assertThat(u.status()).isEqualTo(ActionStatus.APPLIED);
    }

    @Test
    void nothingChangedMeansNothingToUndo() {
        ec2.answer("StopInstances", 200, corpus(LIBCLOUD + "stop_instances.xml").replace("<code>16</code>\n                <name>running</name>",
                "<code>80</code>\n                <name>stopped</name>"));
        ActionPlan plan = new ActionPlan("stop-instance", "i-2ba64342", Map.of("Action", "StopInstances", "InstanceId", List.of("i-2ba64342")),
                "d", "k", true, Map.of("Action", "StartInstances", "InstanceId", List.of("i-2ba64342")));
        ActionResult r = ec2.run(plan, false);
        assertThat(r.status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(r.undo()).isEmpty();
        ActionResult u = undo(r);
        assertThat(u.status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(u.detail()).isEqualTo("nothing to undo for stop-instance on i-2ba64342");
        assertThat(ec2.sent()).isEmpty();
    }

    @Test
    void aDryRunKeepsThePlannedUndoAndReadsNothing() {
        ec2.answer("ModifyNetworkInterfaceAttribute", 412, Ec2Stub.error("DryRunOperation", "Request would have succeeded, but DryRun flag is set."));
        ActionResult r = ec2.run(learning("quarantine-instance", "i-caa71db1", isolate("eni-83e3c5c5")), true);
        assertThat(r.status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(ec2.sent()).extracting(m -> m.get("Action")).containsExactly("ModifyNetworkInterfaceAttribute");
        assertThat(r.undo()).isEmpty();
    }

    @Test
    void anUndoWithAPlaceholderLeftFailsWithoutACall() {
        ActionResult recorded = new ActionResult("quarantine-subnet", "subnet-1", ActionStatus.APPLIED, "d", Map.of(), "k",
                new LinkedHashMap<>(Map.of("Action", "ReplaceNetworkAclAssociation", "AssociationId", "(NewAssociationId returned by the quarantine step)",
                        "NetworkAclId", "acl-1")));
        ActionResult u = ec2.executor.undo(recorded, false);
        assertThat(u.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(u.detail()).startsWith("undo quarantine-subnet on subnet-1: invalid plan: ReplaceNetworkAclAssociation: AssociationId is still the placeholder");
        assertThat(ec2.sent()).isEmpty();
    }
}
