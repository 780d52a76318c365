package dev.vigil.scenario.sg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.event.VpcId;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.SecurityGroupInfo;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.testing.EngineHarness;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SgGuardTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String G = "sg-0123456789abcdef0";
    static final String POLICY = """
            self: {role-arns: ["arn:aws:iam::111122223333:role/vigil"]}
            policies:
              - name: sg
                detector: sg-guard
                params:
                  protected-groups: {ids: [sg-0123456789abcdef0], names: [vpc-0aaaaaaaaaaaaaaaa/admins], tags: {tier: core}}
                responses:
                  "*": [notify]
                  sg-ingress-changed: [revoke-ingress, revoke-egress]
                  sg-open-to-world: [revoke-world-open]
                notify: [security-team]
            """;

    static int seq;

    static CloudTrailCall call(String name, String request, String response, String error, String arn) {
        try {
            return new CloudTrailCall("ev-" + (++seq), Instant.parse("2024-05-01T10:00:00Z").plusSeconds(seq), AccountId.of("111122223333"),
                    Region.of("us-east-1"), Origin.record("t.json", seq), "ec2.amazonaws.com", name,
                    new Principal("IAMUser", arn, "111122223333", "alice", null, null), "198.51.100.7", "aws-cli", error, null,
                    JSON.readTree(request), response == null ? JSON.missingNode() : JSON.readTree(response), true);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static CloudTrailCall call(String name, String request, String response) {
        return call(name, request, response, null, "arn:aws:iam::111122223333:user/alice");
    }

    static ActionResult action(Finding f, String type) {
        return f.actions().stream().filter(a -> a.type().equals(type)).findFirst().orElseThrow();
    }

    /** CloudTrail requestParameters in, the exact EC2 IpPermissions out (as the SDK names them). */
    static Stream<Arguments> inverses() {
        return Stream.of(
                Arguments.of("ipv4 with description", """
                        {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"groups":{},
                         "ipRanges":{"items":[{"cidrIp":"10.0.0.0/8","description":"office"}]},"ipv6Ranges":{},"prefixListIds":{}}]}}""",
                        List.of(Map.of("IpProtocol", "tcp", "FromPort", 22, "ToPort", 22, "IpRanges", List.of(Map.of("CidrIp", "10.0.0.0/8", "Description", "office"))))),
                Arguments.of("ipv6", """
                        {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":443,"toPort":443,
                         "ipv6Ranges":{"items":[{"cidrIpv6":"2001:db8::/32"}]}}]}}""",
                        List.of(Map.of("IpProtocol", "tcp", "FromPort", 443, "ToPort", 443, "Ipv6Ranges", List.of(Map.of("CidrIpv6", "2001:db8::/32"))))),
                Arguments.of("prefix list", """
                        {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":5432,"toPort":5432,
                         "prefixListIds":{"items":[{"prefixListId":"pl-0123abcd","description":"corp"}]}}]}}""",
                        List.of(Map.of("IpProtocol", "tcp", "FromPort", 5432, "ToPort", 5432, "PrefixListIds", List.of(Map.of("PrefixListId", "pl-0123abcd", "Description", "corp"))))),
                Arguments.of("group of another account across a peering", """
                        {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":8080,"toPort":8080,
                         "groups":{"items":[{"groupId":"sg-0fedcba9876543210","userId":"444455556666","vpcId":"vpc-0bbbbbbbbbbbbbbbb","vpcPeeringConnectionId":"pcx-0123"}]}}]}}""",
                        List.of(Map.of("IpProtocol", "tcp", "FromPort", 8080, "ToPort", 8080, "UserIdGroupPairs", List.of(Map.of("GroupId", "sg-0fedcba9876543210",
                                "UserId", "444455556666", "VpcId", "vpc-0bbbbbbbbbbbbbbbb", "VpcPeeringConnectionId", "pcx-0123"))))),
                Arguments.of("all traffic, no ports", """
                        {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"-1","ipRanges":{"items":[{"cidrIp":"10.1.0.0/16"}]}}]}}""",
                        List.of(Map.of("IpProtocol", "-1", "IpRanges", List.of(Map.of("CidrIp", "10.1.0.0/16"))))),
                Arguments.of("icmp type and code", """
                        {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"icmp","fromPort":8,"toPort":0,"ipRanges":{"items":[{"cidrIp":"10.2.0.0/16"}]}}]}}""",
                        List.of(Map.of("IpProtocol", "icmp", "FromPort", 8, "ToPort", 0, "IpRanges", List.of(Map.of("CidrIp", "10.2.0.0/16"))))),
                Arguments.of("two permissions, mixed peers", """
                        {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[
                          {"ipProtocol":"udp","fromPort":1000,"toPort":2000,"ipRanges":{"items":[{"cidrIp":"10.3.0.0/16"},{"cidrIp":"10.4.0.0/16"}]}},
                          {"ipProtocol":"tcp","fromPort":3306,"toPort":3306,"groups":{"items":[{"groupId":"sg-0aaaaaaaaaaaaaaaa","description":"app"}]}}]}}""",
                        List.of(Map.of("IpProtocol", "udp", "FromPort", 1000, "ToPort", 2000, "IpRanges", List.of(Map.of("CidrIp", "10.3.0.0/16"), Map.of("CidrIp", "10.4.0.0/16"))),
                                Map.of("IpProtocol", "tcp", "FromPort", 3306, "ToPort", 3306, "UserIdGroupPairs", List.of(Map.of("GroupId", "sg-0aaaaaaaaaaaaaaaa", "Description", "app"))))),
                Arguments.of("legacy flat form with cidrIp", """
                        {"groupId":"sg-0123456789abcdef0","ipPermissions":{},"cidrIp":"10.5.0.0/16","fromPort":22,"toPort":22,"ipProtocol":"tcp"}""",
                        List.of(Map.of("IpProtocol", "tcp", "FromPort", 22, "ToPort", 22, "IpRanges", List.of(Map.of("CidrIp", "10.5.0.0/16"))))),
                Arguments.of("legacy flat form with a source group", """
                        {"groupId":"sg-0123456789abcdef0","sourceSecurityGroupName":"web","sourceSecurityGroupOwnerId":"444455556666"}""",
                        List.of(Map.of("IpProtocol", "-1", "UserIdGroupPairs", List.of(Map.of("GroupName", "web", "UserId", "444455556666"))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inverses")
    void revokeIsTheExactInverseOfWhatWasAdded(String name, String request, List<Map<String, Object>> expected) {
        EngineHarness h = EngineHarness.of(POLICY).feed(call("AuthorizeSecurityGroupIngress", request, "{\"_return\":true}"));
        Finding f = h.findings(SgGuard.INGRESS_CHANGED).get(0);
        ActionResult revoke = action(f, SgGuard.REVOKE_INGRESS);
        assertThat(revoke.status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(revoke.params()).containsEntry("Action", "RevokeSecurityGroupIngress").containsEntry("GroupId", G)
                .containsEntry("IpPermissions", expected).doesNotContainKey("SecurityGroupRuleId");
    }

    @Test
    void ruleIdsFromTheResponseArePreferred() {
        EngineHarness h = EngineHarness.of(POLICY).feed(call("AuthorizeSecurityGroupIngress", """
                {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"10.0.0.0/8"}]}}]}}""",
                """
                {"_return":true,"securityGroupRuleSet":{"items":[{"groupId":"sg-0123456789abcdef0","securityGroupRuleId":"sgr-0abc","isEgress":false,"cidrIpv4":"10.0.0.0/8"}]}}"""));
        ActionResult revoke = action(h.findings(SgGuard.INGRESS_CHANGED).get(0), SgGuard.REVOKE_INGRESS);
        assertThat(revoke.params()).containsEntry("SecurityGroupRuleId", List.of("sgr-0abc")).doesNotContainKey("IpPermissions");
        assertThat(h.findings(SgGuard.INGRESS_CHANGED).get(0).summary()).contains("tcp 22 from 10.0.0.0/8").contains("alice").contains("198.51.100.7");
    }

    @Test
    void unprotectedGroupWithPrivateRangeGivesNothing() {
        EngineHarness h = EngineHarness.of(POLICY).feed(call("AuthorizeSecurityGroupIngress", """
                {"groupId":"sg-0bbbbbbbbbbbbbbbb","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"10.0.0.0/8"}]}}]}}""", null));
        assertThat(h.findings).isEmpty();
    }

    @Test
    void worldOpenOnAnyGroupRevokesOnlyTheWorldRanges() {
        EngineHarness h = EngineHarness.of(POLICY).feed(call("AuthorizeSecurityGroupIngress", """
                {"groupId":"sg-0bbbbbbbbbbbbbbbb","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,
                 "ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"},{"cidrIp":"10.0.0.0/8"}]},"ipv6Ranges":{"items":[{"cidrIpv6":"::/0"}]}}]}}""", null));
        Finding f = h.findings(SgGuard.OPEN_TO_WORLD).get(0);
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.summary()).contains("tcp 22 from 0.0.0.0/0").contains("tcp 22 from ::/0").doesNotContain("10.0.0.0/8");
        assertThat(action(f, SgGuard.REVOKE_WORLD_OPEN).params()).containsEntry("IpPermissions", List.of(Map.of("IpProtocol", "tcp", "FromPort", 22,
                "ToPort", 22, "IpRanges", List.of(Map.of("CidrIp", "0.0.0.0/0")), "Ipv6Ranges", List.of(Map.of("CidrIpv6", "::/0")))));
        assertThat(h.findings(SgGuard.INGRESS_CHANGED)).isEmpty();
    }

    @Test
    void severityFollowsPorts() {
        String tmpl = "{\"groupId\":\"sg-0bbbbbbbbbbbbbbbb\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"%s\",\"fromPort\":%d,\"toPort\":%d,\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\"}]}}]}}";
        EngineHarness h = EngineHarness.of(POLICY).feed(
                call("AuthorizeSecurityGroupIngress", String.format(tmpl, "tcp", 443, 443), null),
                call("AuthorizeSecurityGroupIngress", String.format(tmpl, "tcp", 3300, 3400), null),
                call("AuthorizeSecurityGroupIngress", String.format(tmpl, "tcp", 0, 65535), null),
                call("AuthorizeSecurityGroupIngress", String.format(tmpl, "icmp", 8, 0), null));
        assertThat(h.findings(SgGuard.OPEN_TO_WORLD)).extracting(Finding::severity)
                .containsExactly(Severity.MEDIUM, Severity.HIGH, Severity.HIGH, Severity.MEDIUM);
    }

    @Test
    void failedCallsAreAttemptsNeverActedOn() {
        EngineHarness h = EngineHarness.of(POLICY).feed(call("AuthorizeSecurityGroupIngress", """
                {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}""",
                null, "Client.UnauthorizedOperation", "arn:aws:iam::111122223333:user/mallory"));
        assertThat(h.findings).hasSize(2);
        for (Finding f : h.findings) {
            assertThat(f.summary()).startsWith("attempt (failed: Client.UnauthorizedOperation)");
            assertThat(f.actions()).filteredOn(a -> !a.type().equals("notify")).allSatisfy(a -> assertThat(a.status()).isEqualTo(ActionStatus.SKIPPED));
        }
    }

    @Test
    void vigilsOwnCallsAreNeverAnswered() {
        CloudTrailCall own = new CloudTrailCall("own", Instant.parse("2024-05-01T10:00:00Z"), AccountId.of("111122223333"), Region.of("us-east-1"),
                Origin.record("t.json", 1), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
                new Principal("AssumedRole", "arn:aws:sts::111122223333:assumed-role/vigil/undo", "111122223333", null,
                        "arn:aws:iam::111122223333:role/vigil", null), "10.0.0.1", "aws-sdk-java", null, null,
                call("x", "{\"groupId\":\"sg-0123456789abcdef0\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,\"ipRanges\":{\"items\":[{\"cidrIp\":\"10.0.0.0/8\"}]}}]}}", null).requestParameters(),
                JSON.missingNode(), true);
        EngineHarness h = EngineHarness.of(POLICY).feed(own);
        ActionResult revoke = action(h.findings(SgGuard.INGRESS_CHANGED).get(0), SgGuard.REVOKE_INGRESS);
        assertThat(revoke.status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(revoke.detail()).contains("vigil's own principal");
    }

    @Test
    void protectionByNameInVpcAndByTagFromInventoryAndCalls() {
        StaticInventory inv = StaticInventory.empty()
                .add(new SecurityGroupInfo(SecurityGroupId.of("sg-0ccccccccccccccc1"), "admins", VpcId.of("vpc-0aaaaaaaaaaaaaaaa"), null, Map.of()))
                .add(new SecurityGroupInfo(SecurityGroupId.of("sg-0ccccccccccccccc2"), "admins", VpcId.of("vpc-0dddddddddddddddd"), null, Map.of()));
        String req = "{\"groupId\":\"%s\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,\"ipRanges\":{\"items\":[{\"cidrIp\":\"10.0.0.0/8\"}]}}]}}";
        EngineHarness h = EngineHarness.of(POLICY, inv).feed(
                call("AuthorizeSecurityGroupIngress", String.format(req, "sg-0ccccccccccccccc1"), null),
                call("AuthorizeSecurityGroupIngress", String.format(req, "sg-0ccccccccccccccc2"), null),
                call("CreateTags", "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"sg-0ccccccccccccccc3\"}]},\"tagSet\":{\"items\":[{\"key\":\"tier\",\"value\":\"Core\"}]}}", null),
                call("AuthorizeSecurityGroupIngress", String.format(req, "sg-0ccccccccccccccc3"), null));
        assertThat(h.findings(SgGuard.INGRESS_CHANGED)).extracting(Finding::resource).containsExactly("sg-0ccccccccccccccc1", "sg-0ccccccccccccccc3");
    }

    @Test
    void egressOnAProtectedGroupIsRevokedWithEgress() {
        EngineHarness h = EngineHarness.of(POLICY).feed(call("AuthorizeSecurityGroupEgress", """
                {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"-1","ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}""", null));
        Finding f = h.findings(SgGuard.INGRESS_CHANGED).get(0);
        assertThat(f.summary()).contains("egress").contains("all traffic to 0.0.0.0/0");
        assertThat(action(f, SgGuard.REVOKE_EGRESS).params()).containsEntry("Action", "RevokeSecurityGroupEgress");
        assertThat(action(f, SgGuard.REVOKE_EGRESS).status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(h.findings(SgGuard.OPEN_TO_WORLD)).as("egress to the world is not an opening").isEmpty();
    }

    @Test
    void undoIsTheMatchingAuthorize() {
        CloudTrailCall c = call("AuthorizeSecurityGroupIngress", """
                {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"10.0.0.0/8"}]}}]}}""",
                "{\"securityGroupRuleSet\":{\"items\":[{\"securityGroupRuleId\":\"sgr-0abc\",\"cidrIpv4\":\"10.0.0.0/8\"}]}}");
        var detector = new SgGuard().create(dev.vigil.core.policy.Params.of(
                dev.vigil.policy.YamlPolicyReader.read("t.yaml", "protected-groups: {ids: [sg-0123456789abcdef0]}")));
        List<dev.vigil.core.finding.FindingDraft> out = new java.util.ArrayList<>();
        detector.onEvent(c, new dev.vigil.core.engine.DetectorContext() {
            public Instant now() { return c.time(); }
            public String policy() { return "p"; }
            public dev.vigil.core.inventory.Inventory inventory() { return StaticInventory.empty(); }
            public void report(dev.vigil.core.finding.FindingDraft d) { out.add(d); }
            public void schedule(String k, Instant due, Map<String, String> data) {}
            public void cancel(String k) {}
            public java.util.Optional<dev.vigil.core.engine.Timer> timer(String k) { return java.util.Optional.empty(); }
        });
        var plan = out.get(0).proposals().get(0);
        assertThat(plan.params()).containsEntry("SecurityGroupRuleId", List.of("sgr-0abc"));
        // rule ids die with the revoke: undo re-authorizes the permissions themselves
        assertThat(plan.undo()).containsEntry("Action", "AuthorizeSecurityGroupIngress").containsEntry("GroupId", G)
                .containsEntry("IpPermissions", List.of(Map.of("IpProtocol", "tcp", "FromPort", 22, "ToPort", 22,
                        "IpRanges", List.of(Map.of("CidrIp", "10.0.0.0/8")))));
    }
}
