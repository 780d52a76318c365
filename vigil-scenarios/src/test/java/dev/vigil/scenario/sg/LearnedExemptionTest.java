package dev.vigil.scenario.sg;

import static dev.vigil.scenario.sg.SgGuardTest.action;
import static dev.vigil.scenario.sg.SgGuardTest.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.event.VpcId;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.inventory.SecurityGroupInfo;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.testing.EngineHarness;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 15: tag exemptions learnt from the stream apply before any response, as the inventory's do; DeleteTags lifts them. */
class LearnedExemptionTest {
    static final String G = "sg-0bbbbbbbbbbbbbbbb";
    static final String POLICY = """
            exemptions: {tags: {vigil-exempt: "true"}}
            policies:
              - name: sg
                detector: sg-guard
                responses:
                  "*": [notify]
                  sg-open-to-world: [revoke-world-open]
                notify: [security-team]
            """;

    static CloudTrailCall openToWorld(String group) {
        return call("AuthorizeSecurityGroupIngress", """
                {"groupId":"%s","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,
                 "ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}""".formatted(group), null);
    }

    static CloudTrailCall tags(String op, String group, String tagItems) {
        return call(op, """
                {"resourcesSet":{"items":[{"resourceId":"%s"}]},"tagSet":{"items":[%s]}}""".formatted(group, tagItems), null);
    }

    static ActionResult revoke(EngineHarness h, int i) {
        return action(h.findings(SgGuard.OPEN_TO_WORLD).get(i), SgGuard.REVOKE_WORLD_OPEN);
    }

    @Test
    void aGroupCreatedWithTheExemptTagIsNotRevoked() {
        EngineHarness h = EngineHarness.of(POLICY).feed(
                call("CreateSecurityGroup", """
                        {"groupName":"lab","vpcId":"vpc-0aaaaaaaaaaaaaaaa","groupDescription":"lab",
                         "tagSpecificationSet":{"items":[{"resourceType":"security-group","tags":[{"key":"vigil-exempt","value":"True"}]}]}}""",
                        "{\"_return\":true,\"groupId\":\"" + G + "\"}"),
                openToWorld(G));
        ActionResult r = revoke(h, 0);
        assertThat(r.status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(r.detail()).contains("exempt").contains("vigil-exempt");
    }

    @Test
    void createTagsExemptsAndDeleteTagsLiftsTheExemption() {
        EngineHarness h = EngineHarness.of(POLICY).feed(
                openToWorld(G),
                tags("CreateTags", G, "{\"key\":\"vigil-exempt\",\"value\":\"true\"}"),
                openToWorld(G),
                tags("DeleteTags", G, "{\"key\":\"vigil-exempt\"}"),
                openToWorld(G));
        assertThat(revoke(h, 0).status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(revoke(h, 1).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(revoke(h, 1).detail()).contains("vigil-exempt");
        assertThat(revoke(h, 2).status()).isIn(ActionStatus.PLANNED, ActionStatus.ALREADY_APPLIED);
        assertThat(revoke(h, 2).detail()).doesNotContain("exempt");
    }

    @Test
    void theInventorysExemptionIsLiftedByDeleteTagsAndAFailedCallChangesNothing() {
        StaticInventory inv = StaticInventory.empty()
                .add(new SecurityGroupInfo(SecurityGroupId.of(G), "lab", VpcId.of("vpc-0aaaaaaaaaaaaaaaa"), null, Map.of("vigil-exempt", "true")));
        CloudTrailCall denied = call("DeleteTags", """
                {"resourcesSet":{"items":[{"resourceId":"%s"}]},"tagSet":{"items":[{"key":"vigil-exempt"}]}}""".formatted(G), null,
                "Client.UnauthorizedOperation", "arn:aws:iam::111122223333:user/mallory");
        EngineHarness h = EngineHarness.of(POLICY, inv).feed(openToWorld(G), denied, openToWorld(G),
                // a DeleteTags naming another value removes nothing (EC2's rule)
                tags("DeleteTags", G, "{\"key\":\"vigil-exempt\",\"value\":\"no\"}"), openToWorld(G),
                tags("DeleteTags", G, "{\"key\":\"vigil-exempt\",\"value\":\"true\"}"), openToWorld(G));
        assertThat(revoke(h, 0).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(revoke(h, 1).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(revoke(h, 2).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(revoke(h, 3).status()).isEqualTo(ActionStatus.PLANNED);
    }

    @Test
    void deleteTagsWithoutTagsClearsEveryTag() {
        EngineHarness h = EngineHarness.of(POLICY).feed(
                tags("CreateTags", G, "{\"key\":\"vigil-exempt\",\"value\":\"true\"}"), openToWorld(G),
                call("DeleteTags", "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"" + G + "\"}]}}", null), openToWorld(G));
        assertThat(revoke(h, 0).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(revoke(h, 1).status()).isEqualTo(ActionStatus.PLANNED);
    }
}
