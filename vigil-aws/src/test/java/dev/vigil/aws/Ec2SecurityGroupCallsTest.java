package dev.vigil.aws;

import static dev.vigil.aws.Ec2Stub.LIBCLOUD;
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

class Ec2SecurityGroupCallsTest {
    private final Ec2Stub ec2 = Ec2Stub.start();

    @AfterEach
    void stop() {
        ec2.close();
    }

    static Map<String, Object> sshFromAnywhere() {
        Map<String, Object> perm = new LinkedHashMap<>();
        perm.put("IpProtocol", "tcp");
        perm.put("FromPort", 22);
        perm.put("ToPort", 22);
        perm.put("IpRanges", List.of(Map.of("CidrIp", "0.0.0.0/0", "Description", "ssh & admin, \"temp\"")));
        perm.put("Ipv6Ranges", List.of(Map.of("CidrIpv6", "::/0")));
        perm.put("PrefixListIds", List.of(Map.of("PrefixListId", "pl-63a5400a", "Description", "s3")));
        perm.put("UserIdGroupPairs", List.of(Map.of("GroupId", "sg-0bad5e1f2a3b4c5d6", "UserId", "111122223333",
                "VpcId", "vpc-06e4ab6c6cEXAMPLE", "Description", "peer")));
        return perm;
    }

    static Map<String, Object> revoke(String action, Object perms) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Action", action);
        p.put("GroupId", "sg-0123456789abcdef0");
        p.put("IpPermissions", perms);
        return p;
    }

    static final Map<String, String> SSH_FORM = Map.ofEntries(
            Map.entry("GroupId", "sg-0123456789abcdef0"),
            Map.entry("IpPermissions.1.IpProtocol", "tcp"),
            Map.entry("IpPermissions.1.FromPort", "22"),
            Map.entry("IpPermissions.1.ToPort", "22"),
            Map.entry("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"),
            Map.entry("IpPermissions.1.IpRanges.1.Description", "ssh & admin, \"temp\""),
            Map.entry("IpPermissions.1.Ipv6Ranges.1.CidrIpv6", "::/0"),
            Map.entry("IpPermissions.1.PrefixListIds.1.PrefixListId", "pl-63a5400a"),
            Map.entry("IpPermissions.1.PrefixListIds.1.Description", "s3"),
            Map.entry("IpPermissions.1.Groups.1.GroupId", "sg-0bad5e1f2a3b4c5d6"),
            Map.entry("IpPermissions.1.Groups.1.UserId", "111122223333"),
            Map.entry("IpPermissions.1.Groups.1.VpcId", "vpc-06e4ab6c6cEXAMPLE"),
            Map.entry("IpPermissions.1.Groups.1.Description", "peer"));

    static Map<String, String> form(String action, Map<String, String> rest) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Action", action);
        m.put("Version", "2016-11-15");
        m.putAll(rest);
        return m;
    }

    @Test
    void revokeIngressByPermissionsSendsEveryFieldInEc2Names() {
        ec2.answer("RevokeSecurityGroupIngress", 200, corpus(LIBCLOUD + "revoke_security_group_ingress.xml"));
        ActionResult r = ec2.run(plan("revoke-ingress", "sg-0123456789abcdef0", revoke("RevokeSecurityGroupIngress", List.of(sshFromAnywhere()))), false);
        assertThat(ec2.sent()).containsExactly(form("RevokeSecurityGroupIngress", SSH_FORM));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).isEqualTo("revoked ingress on sg-0123456789abcdef0");
        assertThat(r.type()).isEqualTo("revoke-ingress");
    }

    @Test
    void revokeEgressAndRuleIdsAndTwoPermissions() {
        ec2.answer("RevokeSecurityGroupEgress", 200, corpus(LIBCLOUD + "revoke_security_group_egress.xml"));
        Map<String, Object> second = Map.of("IpProtocol", "-1", "IpRanges", List.of(Map.of("CidrIp", "10.0.0.0/8")));
        ActionResult r = ec2.run(plan("revoke-egress", "sg-0123456789abcdef0",
                revoke("RevokeSecurityGroupEgress", List.of(sshFromAnywhere(), second))), false);
        Map<String, String> want = new LinkedHashMap<>(SSH_FORM);
        want.put("IpPermissions.2.IpProtocol", "-1");
        want.put("IpPermissions.2.IpRanges.1.CidrIp", "10.0.0.0/8");
        assertThat(ec2.sent()).containsExactly(form("RevokeSecurityGroupEgress", want));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).isEqualTo("revoked egress on sg-0123456789abcdef0");
    }

    @Test
    void revokeByRuleIds() {
        ec2.answer("RevokeSecurityGroupIngress", 200, corpus(LIBCLOUD + "revoke_security_group_ingress.xml"));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Action", "RevokeSecurityGroupIngress");
        p.put("GroupId", "sg-0123456789abcdef0");
        p.put("SecurityGroupRuleId", List.of("sgr-0a1b2c3d4e5f60718", "sgr-0fedcba9876543210"));
        ActionResult r = ec2.run(plan("revoke-ingress", "sg-0123456789abcdef0", p), false);
        assertThat(ec2.sent()).containsExactly(form("RevokeSecurityGroupIngress", Map.of("GroupId", "sg-0123456789abcdef0",
                "SecurityGroupRuleId.1", "sgr-0a1b2c3d4e5f60718", "SecurityGroupRuleId.2", "sgr-0fedcba9876543210")));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
    }

    @Test
    void authorizeIngressForUndoReportsTheNewRuleIds() {
        // libcloud's answer has no rule ids (older API); the detail then names none.
        ec2.answer("AuthorizeSecurityGroupIngress", 200, corpus(LIBCLOUD + "authorize_security_group_ingress.xml"));
        Map<String, Object> perm = new LinkedHashMap<>(sshFromAnywhere());
        perm.put("Groups", perm.remove("UserIdGroupPairs")); // EC2's query name is accepted too
        ActionResult r = ec2.run(plan("undo", "sg-0123456789abcdef0", revoke("AuthorizeSecurityGroupIngress", List.of(perm))), false);
        assertThat(ec2.sent()).containsExactly(form("AuthorizeSecurityGroupIngress", SSH_FORM));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(r.detail()).isEqualTo("authorized ingress on sg-0123456789abcdef0");
    }

    @Test
    void authorizeAnswerWithRuleIdsNamesThem() {
        // Shape of today's answer (securityGroupRuleSet); no corpus file has it (SOURCES.md gaps).
        ec2.answer("AuthorizeSecurityGroupIngress", 200, """
                <AuthorizeSecurityGroupIngressResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><return>true</return>
                  <securityGroupRuleSet><item><securityGroupRuleId>sgr-0a1b2c3d4e5f60718</securityGroupRuleId>
                  <groupId>sg-0123456789abcdef0</groupId><isEgress>false</isEgress><ipProtocol>tcp</ipProtocol>
                  <fromPort>22</fromPort><toPort>22</toPort><cidrIpv4>0.0.0.0/0</cidrIpv4></item></securityGroupRuleSet>
                </AuthorizeSecurityGroupIngressResponse>""");
        ActionResult r = ec2.run(plan("undo", "sg-0123456789abcdef0", revoke("AuthorizeSecurityGroupIngress",
                List.of(Map.of("IpProtocol", "tcp", "FromPort", "22", "ToPort", 22, "IpRanges", List.of(Map.of("CidrIp", "0.0.0.0/0")))))), false);
        assertThat(ec2.sent().get(0)).containsEntry("IpPermissions.1.FromPort", "22").containsEntry("IpPermissions.1.ToPort", "22");
        assertThat(r.detail()).isEqualTo("authorized ingress on sg-0123456789abcdef0: new rule(s) sgr-0a1b2c3d4e5f60718");
    }

    @Test
    void revokeOfRulesThatAreGoneIsAlreadyApplied() {
        // EC2 answers true and lists what it did not find (unknownIpPermissionSet) rather than an error.
        ec2.answer("RevokeSecurityGroupIngress", 200, """
                <RevokeSecurityGroupIngressResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><return>true</return>
                  <unknownIpPermissionSet><item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort>
                  <ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></unknownIpPermissionSet>
                </RevokeSecurityGroupIngressResponse>""");
        ActionResult r = ec2.run(plan("revoke-ingress", "sg-0123456789abcdef0", revoke("RevokeSecurityGroupIngress",
                List.of(Map.of("IpProtocol", "tcp", "FromPort", 22, "ToPort", 22, "IpRanges", List.of(Map.of("CidrIp", "0.0.0.0/0")))))), false);
        assertThat(r.status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(r.detail()).contains("already revoked");
    }

    @Test
    void invalidPermissionNotFoundIsAlreadyAppliedAndNotRetried() {
        ec2.answer("RevokeSecurityGroupIngress", 400, Ec2Stub.error("InvalidPermission.NotFound",
                "The specified rule does not exist in this security group."));
        ActionResult r = ec2.run(plan("revoke-ingress", "sg-0123456789abcdef0", revoke("RevokeSecurityGroupIngress", List.of(sshFromAnywhere()))), false);
        assertThat(r.status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(r.detail()).isEqualTo("InvalidPermission.NotFound: The specified rule does not exist in this security group.");
        assertThat(ec2.sent()).hasSize(1);
    }

    @Test
    void duplicateOnAuthorizeIsAlreadyApplied() {
        ec2.answer("AuthorizeSecurityGroupIngress", 400, Ec2Stub.error("InvalidPermission.Duplicate",
                "the specified rule \"peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW\" already exists"));
        ActionResult r = ec2.run(plan("undo", "sg-0123456789abcdef0", revoke("AuthorizeSecurityGroupIngress", List.of(sshFromAnywhere()))), false);
        assertThat(r.status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(r.detail()).startsWith("InvalidPermission.Duplicate: the specified rule");
    }

    @Test
    void anUnknownParameterStopsThePlanBeforeAnythingIsSent() {
        Map<String, Object> perm = new LinkedHashMap<>(sshFromAnywhere());
        perm.put("IpRange", List.of(Map.of("CidrIp", "203.0.113.0/24"))); // misspelt: would be dropped silently otherwise
        ActionResult r = ec2.run(plan("revoke-ingress", "sg-0123456789abcdef0", revoke("RevokeSecurityGroupIngress", List.of(perm))), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("invalid plan: RevokeSecurityGroupIngress.IpPermissions[1]: unknown parameter(s) IpRange");
        assertThat(ec2.sent()).isEmpty();
    }

    @Test
    void revokeNeedsPermissionsOrRuleIds() {
        Map<String, Object> p = Map.of("Action", "RevokeSecurityGroupIngress", "GroupId", "sg-0123456789abcdef0");
        ActionResult r = ec2.run(plan("revoke-ingress", "sg-0123456789abcdef0", p), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).contains("give IpPermissions or SecurityGroupRuleId");
        assertThat(ec2.sent()).isEmpty();
    }
}
