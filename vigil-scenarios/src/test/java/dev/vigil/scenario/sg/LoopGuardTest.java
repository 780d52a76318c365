package dev.vigil.scenario.sg;

import static dev.vigil.scenario.sg.SgGuardTest.JSON;
import static dev.vigil.scenario.sg.SgGuardTest.action;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.testing.EngineHarness;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 15's silencing through a session name, end to end: who is vigil is a matter of role, not of name. */
class LoopGuardTest {
    static final String POLICY = """
            self: {role-arns: ["arn:aws:iam::111122223333:role/vigil"], session-name: vigil}
            live:
              assume-roles: {"444455556666": "arn:aws:iam::444455556666:role/vigil-responder"}
            policies:
              - name: sg
                detector: sg-guard
                params:
                  protected-groups: {ids: [sg-0123456789abcdef0]}
                responses:
                  "*": [notify]
                  sg-ingress-changed: [revoke-ingress]
                notify: [security-team]
            """;

    private static int seq;

    static CloudTrailCall ingress(String account, String role, String session) {
        try {
            return new CloudTrailCall("lg-" + (++seq), Instant.parse("2024-05-01T10:00:00Z").plusSeconds(seq), AccountId.of(account), Region.of("us-east-1"),
                    Origin.record("t.json", seq), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
                    new Principal("AssumedRole", "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session, account, null,
                            "arn:aws:iam::" + account + ":role/" + role, null), "198.51.100.7", "aws-cli", null, null,
                    JSON.readTree("{\"groupId\":\"sg-0123456789abcdef0\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":22,"
                            + "\"toPort\":22,\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\"}]}}]}}"), JSON.missingNode(), true);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ActionResult revoke(String policy, CloudTrailCall c) {
        EngineHarness h = EngineHarness.of(policy).feed(c);
        return action(h.findings(SgGuard.INGRESS_CHANGED).get(0), SgGuard.REVOKE_INGRESS);
    }

    @Test
    void aSessionNamedVigilInAnotherRoleIsAnswered() {
        ActionResult r = revoke(POLICY, ingress("111122223333", "Admin", "vigil"));
        assertThat(r.status()).isEqualTo(ActionStatus.PLANNED);
    }

    @Test
    void vigilsOwnRoleIsNotAnswered() {
        ActionResult r = revoke(POLICY, ingress("111122223333", "vigil", "vigil"));
        assertThat(r.status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(r.detail()).contains("vigil's own principal");
    }

    @Test
    void theRoleVigilAssumesInAnotherAccountIsVigilOnlyInItsOwnSession() {
        assertThat(revoke(POLICY, ingress("444455556666", "vigil-responder", "vigil")).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(revoke(POLICY, ingress("444455556666", "vigil-responder", "mallory")).status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(revoke(POLICY, ingress("444455556666", "Admin", "vigil")).status()).isEqualTo(ActionStatus.PLANNED);
    }

    @Test
    void withNoRoleKnownEvenAVigilSessionOfAVigilRoleIsAnswered() {
        String none = POLICY.replace("self: {role-arns: [\"arn:aws:iam::111122223333:role/vigil\"], session-name: vigil}\n", "")
                .replace("live:\n  assume-roles: {\"444455556666\": \"arn:aws:iam::444455556666:role/vigil-responder\"}\n", "");
        assertThat(revoke(none, ingress("111122223333", "vigil", "vigil")).status()).isEqualTo(ActionStatus.PLANNED);
    }

    @Test
    void aRoleArnThatIsNoArnIsAPolicyError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineHarness.of(POLICY.replace("arn:aws:iam::111122223333:role/vigil", "vigil")))
                .isInstanceOf(PolicyException.class).hasMessageContaining("role-arns");
    }
}
