package dev.vigil.aws;

import static dev.vigil.aws.Ec2SecurityGroupCallsTest.form;
import static dev.vigil.aws.Ec2Stub.API_REF;
import static dev.vigil.aws.Ec2Stub.BOTOCORE;
import static dev.vigil.aws.Ec2Stub.JCLOUDS;
import static dev.vigil.aws.Ec2Stub.corpus;
import static dev.vigil.aws.Ec2Stub.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Ec2NetworkAclCallsTest {
    static final String SUBNET = "subnet-0931fc2fa5EXAMPLE"; // the subnet DescribeNetworkAcls_Example_1 associates
    private final Ec2Stub ec2 = Ec2Stub.start();

    @AfterEach
    void stop() {
        ec2.close();
    }

    /** The steps QuarantineSubnet writes (guardduty scenario), with the association known or left to look up. */
    static Map<String, Object> quarantineSteps(String association) {
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("Action", "CreateNetworkAcl");
        create.put("VpcId", "vpc-11ad4878");
        create.put("ClientToken", "vigil-quarantine-vpc-11ad4878");
        create.put("TagSpecification", List.of(Map.of("ResourceType", "network-acl", "Tag",
                List.of(Map.of("Key", "vigil:quarantine", "Value", "true"), Map.of("Key", "Name", "Value", "vigil-quarantine")))));
        Map<String, Object> replace = new LinkedHashMap<>();
        replace.put("Action", "ReplaceNetworkAclAssociation");
        replace.put("AssociationId", association);
        replace.put("NetworkAclId", "(created)");
        return Map.of("Steps", List.of(create, replace));
    }

    static final Map<String, String> CREATE_FORM = form("CreateNetworkAcl", Map.of(
            "VpcId", "vpc-11ad4878",
            "ClientToken", "vigil-quarantine-vpc-11ad4878",
            "TagSpecification.1.ResourceType", "network-acl",
            "TagSpecification.1.Tag.1.Key", "vigil:quarantine",
            "TagSpecification.1.Tag.1.Value", "true",
            "TagSpecification.1.Tag.2.Key", "Name",
            "TagSpecification.1.Tag.2.Value", "vigil-quarantine"));

    @Test
    void quarantineStepsCreateTheAclThenMoveTheAssociationToTheCreatedId() {
        ec2.answer("CreateNetworkAcl", 200, corpus(API_REF + "CreateNetworkAcl_Example_1_Response.xml"))
                .answer("ReplaceNetworkAclAssociation", 200, corpus(API_REF + "ReplaceNetworkAclAssociation_Example_1_Response.xml"));
        ActionResult r = ec2.run(plan("quarantine-subnet", SUBNET, quarantineSteps("aclassoc-0c1679dc41EXAMPLE")), false);
        assertThat(ec2.sent()).containsExactly(CREATE_FORM, form("ReplaceNetworkAclAssociation",
                Map.of("AssociationId", "aclassoc-0c1679dc41EXAMPLE", "NetworkAclId", "acl-5fb85d36")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).isEqualTo("step 1/2 CreateNetworkAcl: created network ACL acl-5fb85d36 in vpc-11ad4878 (4 entries, all deny: true); "
                + "step 2/2 ReplaceNetworkAclAssociation: association aclassoc-0c1679dc41EXAMPLE moved to acl-5fb85d36, new association aclassoc-17b85d7e");
    }

    @Test
    void theOlderBotocoreAnswersParseTheSame() {
        ec2.answer("CreateNetworkAcl", 200, corpus(BOTOCORE + "responses/ec2-create-network-acl.xml"))
                .answer("ReplaceNetworkAclAssociation", 200, corpus(BOTOCORE + "responses/ec2-replace-network-acl-association.xml"));
        ActionResult r = ec2.run(plan("quarantine-subnet", SUBNET, quarantineSteps("aclassoc-0c1679dc41EXAMPLE")), false);
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).contains("created network ACL acl-5fb85d36 in vpc-11ad4878 (2 entries, all deny: true)", "new association aclassoc-17b85d7e");
    }

    @Test
    void anAssociationUnknownToTheInventoryIsLookedUpByTheSubnet() {
        ec2.answer("DescribeNetworkAcls", 200, corpus(API_REF + "DescribeNetworkAcls_Example_1_Response.xml"))
                .answer("CreateNetworkAcl", 200, corpus(API_REF + "CreateNetworkAcl_Example_1_Response.xml"))
                .answer("ReplaceNetworkAclAssociation", 200, corpus(API_REF + "ReplaceNetworkAclAssociation_Example_1_Response.xml"));
        ActionResult r = ec2.run(plan("quarantine-subnet", SUBNET,
                quarantineSteps("(association of " + SUBNET + ", looked up at execution)")), false);
        assertThat(ec2.sent()).containsExactly(
                form("DescribeNetworkAcls", Map.of("Filter.1.Name", "association.subnet-id", "Filter.1.Value.1", SUBNET)),
                CREATE_FORM,
                form("ReplaceNetworkAclAssociation", Map.of("AssociationId", "aclassoc-0c1679dc41EXAMPLE", "NetworkAclId", "acl-5fb85d36")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).startsWith(SUBNET + " was on acl-0ea1f54ca7EXAMPLE (association aclassoc-0c1679dc41EXAMPLE); step 1/2");
    }

    @Test
    void aSubnetWithoutAssociationIsNotTouched() {
        // The corpus' second ACL has an empty associationSet: an answer that names no association for the subnet.
        String xml = corpus(API_REF + "DescribeNetworkAcls_Example_1_Response.xml");
        String noAssociation = xml.substring(0, xml.indexOf("<networkAclSet>") + "<networkAclSet>".length())
                + xml.substring(xml.indexOf("</item>\n        <item>") + "</item>\n".length());
        ec2.answer("DescribeNetworkAcls", 200, noAssociation);
        ActionResult r = ec2.run(plan("quarantine-subnet", SUBNET,
                quarantineSteps("(association of " + SUBNET + ", looked up at execution)")), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("no network ACL association found for " + SUBNET + ": nothing changed");
        assertThat(ec2.sent()).extracting(m -> m.get("Action")).containsExactly("DescribeNetworkAcls");
    }

    @Test
    void aFailedStepStopsTheSequence() {
        ec2.answer("CreateNetworkAcl", 400, Ec2Stub.error("NetworkAclLimitExceeded",
                "You've reached the limit on the number of network ACLs you can create for the specified VPC."));
        ActionResult r = ec2.run(plan("quarantine-subnet", SUBNET, quarantineSteps("aclassoc-0c1679dc41EXAMPLE")), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).startsWith("step 1/2 CreateNetworkAcl: NetworkAclLimitExceeded: You've reached the limit");
        assertThat(ec2.sent()).hasSize(1);
    }

    @Test
    void dryRunChecksTheCreateAndSaysTheReplaceWasNotChecked() {
        ec2.answer("CreateNetworkAcl", 412, corpus(JCLOUDS + "dry_run.xml"));
        ActionResult r = ec2.run(plan("quarantine-subnet", SUBNET, quarantineSteps("aclassoc-0c1679dc41EXAMPLE")), true);
        Map<String, String> dry = new LinkedHashMap<>(CREATE_FORM);
        dry.put("DryRun", "true");
        assertThat(ec2.sent()).containsExactly(dry);
        assertThat(r.status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(r.detail()).isEqualTo("step 1/2 CreateNetworkAcl: dry-run: would succeed; "
                + "step 2/2 ReplaceNetworkAclAssociation: not checked (needs the id an earlier step creates)");
    }

    @Test
    void withoutAnEarlierCreateThePlaceholderIsNeverSent() {
        Map<String, Object> replace = Map.of("Action", "ReplaceNetworkAclAssociation", "AssociationId", "aclassoc-0c1679dc41EXAMPLE",
                "NetworkAclId", "(created)");
        ActionResult r = ec2.run(plan("quarantine-subnet", SUBNET, replace), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("invalid plan: ReplaceNetworkAclAssociation: NetworkAclId is still the placeholder '(created)'");
        assertThat(ec2.sent()).isEmpty();
    }

    /** What SourceBlocks (ssh scenario) writes for block-source. */
    static Map<String, Object> denyEntry(String acl, int rule, String cidr) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Action", "CreateNetworkAclEntry");
        p.put("NetworkAclId", acl);
        p.put("RuleNumber", rule);
        p.put("Protocol", "-1");
        p.put("RuleAction", "deny");
        p.put("Egress", false);
        p.put(cidr.contains(":") ? "Ipv6CidrBlock" : "CidrBlock", cidr);
        return p;
    }

    @Test
    void createEntrySendsTheDenyRule() {
        ec2.answer("CreateNetworkAclEntry", 200, Ec2Stub.ok("CreateNetworkAclEntry"));
        ActionResult r = ec2.run(plan("block-source", "acl-0ea1f54ca7EXAMPLE", denyEntry("acl-0ea1f54ca7EXAMPLE", 10, "203.0.113.7/32")), false);
        assertThat(ec2.sent()).containsExactly(form("CreateNetworkAclEntry", Map.of("NetworkAclId", "acl-0ea1f54ca7EXAMPLE",
                "RuleNumber", "10", "Protocol", "-1", "RuleAction", "deny", "Egress", "false", "CidrBlock", "203.0.113.7/32")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).isEqualTo("added ingress rule 10 deny protocol -1 203.0.113.7/32 to acl-0ea1f54ca7EXAMPLE");
    }

    @Test
    void createEntryWithPortsAndIpv6() {
        ec2.answer("CreateNetworkAclEntry", 200, Ec2Stub.ok("CreateNetworkAclEntry"));
        Map<String, Object> p = denyEntry("acl-0ea1f54ca7EXAMPLE", 11, "2001:db8::7/128");
        p.put("Protocol", "6");
        p.put("PortRange", Map.of("From", 22, "To", 22));
        ec2.run(plan("block-source", "acl-0ea1f54ca7EXAMPLE", p), false);
        assertThat(ec2.sent()).containsExactly(form("CreateNetworkAclEntry", Map.of("NetworkAclId", "acl-0ea1f54ca7EXAMPLE",
                "RuleNumber", "11", "Protocol", "6", "RuleAction", "deny", "Egress", "false", "Ipv6CidrBlock", "2001:db8::7/128",
                "PortRange.From", "22", "PortRange.To", "22")));
    }

    @Test
    void createEntryWithIcmp() {
        ec2.answer("CreateNetworkAclEntry", 200, Ec2Stub.ok("CreateNetworkAclEntry"));
        Map<String, Object> p = denyEntry("acl-0ea1f54ca7EXAMPLE", 12, "198.51.100.0/24");
        p.put("Protocol", "1");
        p.put("IcmpTypeCode", Map.of("Type", 8, "Code", -1));
        ec2.run(plan("block-source", "acl-0ea1f54ca7EXAMPLE", p), false);
        assertThat(ec2.sent()).containsExactly(form("CreateNetworkAclEntry", Map.of("NetworkAclId", "acl-0ea1f54ca7EXAMPLE",
                "RuleNumber", "12", "Protocol", "1", "RuleAction", "deny", "Egress", "false", "CidrBlock", "198.51.100.0/24",
                "Icmp.Type", "8", "Icmp.Code", "-1")));
    }

    @Test
    void aTakenRuleNumberHoldingTheSameEntryIsAlreadyApplied() {
        // DescribeNetworkAcls_Example_1: acl-0ea1f54ca7EXAMPLE has inbound rule 100 allow -1 0.0.0.0/0.
        ec2.answer("CreateNetworkAclEntry", 400, Ec2Stub.error("NetworkAclEntryAlreadyExists",
                        "The network acl entry identified by 100 already exists."))
                .answer("DescribeNetworkAcls", 200, corpus(API_REF + "DescribeNetworkAcls_Example_1_Response.xml"));
        Map<String, Object> same = denyEntry("acl-0ea1f54ca7EXAMPLE", 100, "0.0.0.0/0");
        same.put("RuleAction", "allow");
        ActionResult r = ec2.run(plan("block-source", "acl-0ea1f54ca7EXAMPLE", same), false);
        assertThat(r.status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(r.detail()).isEqualTo("ingress rule 100 allow protocol -1 0.0.0.0/0 to acl-0ea1f54ca7EXAMPLE is already there");
        assertThat(ec2.sent().get(1)).isEqualTo(form("DescribeNetworkAcls", Map.of("NetworkAclId.1", "acl-0ea1f54ca7EXAMPLE")));
    }

    @Test
    void aTakenRuleNumberHoldingAnotherEntryFails() {
        ec2.answer("CreateNetworkAclEntry", 400, Ec2Stub.error("NetworkAclEntryAlreadyExists",
                        "The network acl entry identified by 100 already exists."))
                .answer("DescribeNetworkAcls", 200, corpus(API_REF + "DescribeNetworkAcls_Example_1_Response.xml"));
        ActionResult r = ec2.run(plan("block-source", "acl-0ea1f54ca7EXAMPLE", denyEntry("acl-0ea1f54ca7EXAMPLE", 100, "203.0.113.7/32")), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("NetworkAclEntryAlreadyExists: rule 100 of acl-0ea1f54ca7EXAMPLE holds a different entry "
                + "(ingress rule 100 allow protocol -1 0.0.0.0/0)");
    }

    @Test
    void deleteEntrySendsRuleAndDirectionAndAMissingEntryIsAlreadyApplied() {
        ec2.answer("DeleteNetworkAclEntry", 400, Ec2Stub.error("InvalidNetworkAclEntry.NotFound",
                "The specified network ACL entry (ingress rule 10) does not exist."));
        Map<String, Object> p = Map.of("Action", "DeleteNetworkAclEntry", "NetworkAclId", "acl-0ea1f54ca7EXAMPLE", "RuleNumber", 10, "Egress", false);
        ActionResult r = ec2.run(plan("unblock-source", "acl-0ea1f54ca7EXAMPLE", p), false);
        assertThat(ec2.sent()).containsExactly(form("DeleteNetworkAclEntry",
                Map.of("NetworkAclId", "acl-0ea1f54ca7EXAMPLE", "RuleNumber", "10", "Egress", "false")));
        assertThat(r.status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(r.detail()).startsWith("InvalidNetworkAclEntry.NotFound: ");
    }

    @Test
    void deleteEntryApplied() {
        ec2.answer("DeleteNetworkAclEntry", 200, Ec2Stub.ok("DeleteNetworkAclEntry"));
        Map<String, Object> p = Map.of("Action", "DeleteNetworkAclEntry", "NetworkAclId", "acl-0ea1f54ca7EXAMPLE", "RuleNumber", "10", "Egress", "false");
        ActionResult r = ec2.run(plan("unblock-source", "acl-0ea1f54ca7EXAMPLE", p), false);
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).isEqualTo("removed ingress rule 10 from acl-0ea1f54ca7EXAMPLE");
    }

    @Test
    void describeAsAnActionSaysWhatItFound() {
        ec2.answer("DescribeNetworkAcls", 200, corpus(API_REF + "DescribeNetworkAcls_Example_1_Response.xml"));
        Map<String, Object> p = Map.of("Action", "DescribeNetworkAcls", "Filter", List.of(Map.of("Name", "vpc-id",
                "Value", List.of("vpc-06e4ab6c6cEXAMPLE", "vpc-06b7830650EXAMPLE"))));
        ActionResult r = ec2.run(plan("describe", "vpc-06e4ab6c6cEXAMPLE", p), false);
        assertThat(ec2.sent()).containsExactly(form("DescribeNetworkAcls", Map.of("Filter.1.Name", "vpc-id",
                "Filter.1.Value.1", "vpc-06e4ab6c6cEXAMPLE", "Filter.1.Value.2", "vpc-06b7830650EXAMPLE")));
        assertThat(r.detail()).isEqualTo("2 network ACL(s): acl-0ea1f54ca7EXAMPLE (vpc-06e4ab6c6cEXAMPLE, 4 entries, 1 associations); "
                + "acl-09a47ac966EXAMPLE (vpc-06b7830650EXAMPLE, 4 entries, 0 associations)");
    }
}
