package dev.vigil.scenario.sg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.aws.Ec2Stub;
import dev.vigil.aws.RoutingExecutor;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.testing.EngineHarness;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** sg-guard's revokes carried out by the EC2 executor against a local EC2 stub answering with libcloud's recorded response. */
class SgPlansOnEc2Test {
    private final Ec2Stub ec2 = Ec2Stub.start();

    @AfterEach
    void stop() {
        ec2.close();
    }

    private EngineHarness harness() {
        ec2.answer("RevokeSecurityGroupIngress", 200, Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"));
        return EngineHarness.of(SgGuardTest.POLICY, StaticInventory.empty(), new RoutingExecutor(ec2.executor));
    }

    private static Map<String, String> form() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Action", "RevokeSecurityGroupIngress");
        m.put("Version", "2016-11-15");
        m.put("GroupId", SgGuardTest.G);
        return m;
    }

    @Test
    void everyPeerKindIsRevokedExactly() {
        EngineHarness h = harness().feed(SgGuardTest.call("AuthorizeSecurityGroupIngress", """
                {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[
                  {"ipProtocol":"tcp","fromPort":5432,"toPort":5432,"prefixListIds":{"items":[{"prefixListId":"pl-0123abcd","description":"corp"}]},
                   "groups":{"items":[{"groupId":"sg-0fedcba9876543210","userId":"444455556666","vpcId":"vpc-0bbbbbbbbbbbbbbbb","vpcPeeringConnectionId":"pcx-0123"}]}},
                  {"ipProtocol":"-1","ipv6Ranges":{"items":[{"cidrIpv6":"2001:db8::/32","description":"lab"}]}}]}}""", null));
        ActionResult r = SgGuardTest.action(h.findings(SgGuard.INGRESS_CHANGED).get(0), SgGuard.REVOKE_INGRESS);
        assertThat(r.status()).as(r.detail()).isEqualTo(ActionStatus.APPLIED);
        Map<String, String> sent = form();
        sent.put("IpPermissions.1.IpProtocol", "tcp");
        sent.put("IpPermissions.1.FromPort", "5432");
        sent.put("IpPermissions.1.ToPort", "5432");
        sent.put("IpPermissions.1.PrefixListIds.1.PrefixListId", "pl-0123abcd");
        sent.put("IpPermissions.1.PrefixListIds.1.Description", "corp");
        sent.put("IpPermissions.1.Groups.1.GroupId", "sg-0fedcba9876543210");
        sent.put("IpPermissions.1.Groups.1.UserId", "444455556666");
        sent.put("IpPermissions.1.Groups.1.VpcId", "vpc-0bbbbbbbbbbbbbbbb");
        sent.put("IpPermissions.1.Groups.1.VpcPeeringConnectionId", "pcx-0123");
        sent.put("IpPermissions.2.IpProtocol", "-1");
        sent.put("IpPermissions.2.Ipv6Ranges.1.CidrIpv6", "2001:db8::/32");
        sent.put("IpPermissions.2.Ipv6Ranges.1.Description", "lab");
        assertThat(ec2.sent()).containsExactly(sent);
    }

    @Test
    void ruleIdsAndTheLegacyFlatForm() {
        EngineHarness h = harness().feed(
                SgGuardTest.call("AuthorizeSecurityGroupIngress", """
                        {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"10.0.0.0/8"}]}}]}}""",
                        "{\"securityGroupRuleSet\":{\"items\":[{\"securityGroupRuleId\":\"sgr-0abc\",\"cidrIpv4\":\"10.0.0.0/8\"}]}}"),
                SgGuardTest.call("AuthorizeSecurityGroupIngress", """
                        {"groupId":"sg-0123456789abcdef0","ipPermissions":{},"cidrIp":"10.5.0.0/16","fromPort":3389,"toPort":3389,"ipProtocol":"tcp"}""", null));
        Map<String, String> byId = form();
        byId.put("SecurityGroupRuleId.1", "sgr-0abc");
        Map<String, String> flat = form();
        flat.put("IpPermissions.1.IpProtocol", "tcp");
        flat.put("IpPermissions.1.FromPort", "3389");
        flat.put("IpPermissions.1.ToPort", "3389");
        flat.put("IpPermissions.1.IpRanges.1.CidrIp", "10.5.0.0/16");
        assertThat(ec2.sent()).containsExactly(byId, flat);
        assertThat(h.findings(SgGuard.INGRESS_CHANGED)).allSatisfy(f ->
                assertThat(SgGuardTest.action(f, SgGuard.REVOKE_INGRESS).status()).isEqualTo(ActionStatus.APPLIED));
    }

    @Test
    void failedCallsSendNothing() {
        harness().feed(SgGuardTest.call("AuthorizeSecurityGroupIngress", """
                {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}""",
                null, "Client.UnauthorizedOperation", "arn:aws:iam::111122223333:user/mallory"));
        assertThat(ec2.sent()).isEmpty();
    }
}
