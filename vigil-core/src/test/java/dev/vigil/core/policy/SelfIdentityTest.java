package dev.vigil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.event.Principal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loop guard: vigil's own calls are known by role (and session), never by a session name alone. */
class SelfIdentityTest {
    static final String OWN_ROLE = "arn:aws:iam::111122223333:role/vigil";

    static Principal session(String account, String role, String session) {
        return new Principal("AssumedRole", "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session, account, null,
                "arn:aws:iam::" + account + ":role/" + role, null);
    }

    @Test
    void aSessionNamedVigilInAnotherRoleIsNotVigil() {
        SelfIdentity self = new SelfIdentity(List.of(OWN_ROLE), "vigil");
        assertThat(self.matches(session("111122223333", "Admin", "vigil"))).isFalse();
        assertThat(self.matches(session("444455556666", "Admin", "vigil"))).isFalse();
        // the same role name in another account is another role
        assertThat(self.matches(session("444455556666", "vigil", "vigil"))).isFalse();
        assertThat(self.matches(session("111122223333", "vigil", "vigil"))).isTrue();
        // with a session name configured, another session of vigil's role is not vigil either
        assertThat(self.matches(session("111122223333", "vigil", "mallory"))).isFalse();
    }

    @Test
    void withoutASessionNameEverySessionOfVigilsRoleIsVigil() {
        SelfIdentity self = new SelfIdentity(List.of(OWN_ROLE), null);
        assertThat(self.matches(session("111122223333", "vigil", "i-0123456789abcdef0"))).isTrue();
        assertThat(self.matches(session("111122223333", "VIGIL", "x"))).as("role names compare without case, as IAM keeps them").isTrue();
        assertThat(self.matches(session("111122223333", "vigil-other", "x"))).isFalse();
        assertThat(self.assumeSessionName()).isEqualTo("vigil");
    }

    @Test
    void withNoRoleKnownNothingIsVigil() {
        SelfIdentity self = SelfIdentity.defaults();
        assertThat(self.unknown()).isTrue();
        assertThat(self.matches(session("111122223333", "vigil", "vigil"))).isFalse();
        assertThat(new SelfIdentity(List.of(), "vigil").matches(session("111122223333", "vigil", "vigil"))).isFalse();
    }

    @Test
    void rolePathsAreDroppedByAssumedRoleArnsSoRolesCompareOnAccountAndName() {
        SelfIdentity self = new SelfIdentity(List.of("arn:aws:iam::111122223333:role/security/automation/vigil-responder"), null);
        assertThat(self.matches(session("111122223333", "vigil-responder", "vigil"))).isTrue();
        // a principal known only by its issuer (no session ARN) still compares on the role
        assertThat(self.matches(new Principal("AssumedRole", null, "111122223333", null,
                "arn:aws:iam::111122223333:role/security/automation/vigil-responder", null))).isTrue();
    }

    @Test
    void theRolesVigilAssumesInOtherAccountsAreItsOwnWithItsSessionName() {
        SelfIdentity self = new SelfIdentity(List.of(), null, Map.of("444455556666", "arn:aws:iam::444455556666:role/vigil-responder"));
        assertThat(self.matches(session("444455556666", "vigil-responder", "vigil"))).isTrue();
        // someone else's session of that role (vigil names its own) is answered
        assertThat(self.matches(session("444455556666", "vigil-responder", "mallory"))).isFalse();
        SelfIdentity named = new SelfIdentity(List.of(), "vigil-prod", Map.of("444455556666", "arn:aws:iam::444455556666:role/vigil-responder"));
        assertThat(named.matches(session("444455556666", "vigil-responder", "vigil-prod"))).isTrue();
        assertThat(named.matches(session("444455556666", "vigil-responder", "vigil"))).isFalse();
    }

    @Test
    void theRuntimesOwnIdentityFromGetCallerIdentity() {
        SelfIdentity self = SelfIdentity.defaults();
        assertThat(self.runsAs("arn:aws:sts::111122223333:assumed-role/vigil-fn-role/vigil-events")).isTrue();
        assertThat(self.unknown()).isFalse();
        assertThat(self.matches(session("111122223333", "vigil-fn-role", "vigil-events"))).isTrue();
        assertThat(self.matches(session("111122223333", "vigil-fn-role", "someone-else"))).isFalse();
        assertThat(self.matches(session("111122223333", "Admin", "vigil-events"))).isFalse();
        SelfIdentity user = SelfIdentity.defaults();
        assertThat(user.runsAs("arn:aws:iam::111122223333:user/vigil-ops")).isTrue();
        assertThat(user.matches(new Principal("IAMUser", "arn:aws:iam::111122223333:user/vigil-ops", "111122223333", "vigil-ops", null, null))).isTrue();
        assertThat(user.matches(new Principal("IAMUser", "arn:aws:iam::111122223333:user/vigil", "111122223333", "vigil", null, null))).isFalse();
        assertThat(SelfIdentity.defaults().runsAs("not an arn")).isFalse();
    }

    @Test
    void anAssumedRoleArnInTheListNamesThatSession() {
        SelfIdentity self = new SelfIdentity(List.of("arn:aws:sts::111122223333:assumed-role/ops/vigil-daemon"), null);
        assertThat(self.matches(session("111122223333", "ops", "vigil-daemon"))).isTrue();
        assertThat(self.matches(session("111122223333", "ops", "alice"))).isFalse();
        assertThatThrownBy(() -> new SelfIdentity(List.of("vigil"), null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vigil");
    }
}
