package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.policy.PolicySet;
import dev.vigil.policy.Policies;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A securityhub target that a policy notifies grants BatchImportFindings on its integration's product, and nothing wider. */
class SecurityHubPermissionsTest {
    static PolicySet policy(String notify) {
        return Policies.parse("hub.yaml", """
                version: 1
                targets:
                  hub: {type: securityhub, account: "123456789012", region: eu-west-1}
                  other: {type: securityhub, account: "444455556666", region: us-east-1}
                policies:
                  - name: guard
                    detector: sg-guard
                    notify: [%s]
                """.formatted(notify));
    }

    @Test
    void onlyTheNotifiedTargetsProductIsGranted() {
        List<Permissions.Statement> st = Permissions.of(DeploymentPlan.of(policy("hub"), false));
        var hub = st.stream().filter(s -> s.sid().equals("ImportFindings")).toList();
        assertThat(hub).hasSize(1);
        assertThat(hub.getFirst().actions()).containsExactly("securityhub:BatchImportFindings");
        assertThat(hub.getFirst().resources()).containsExactly("arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default");
        assertThat(st).noneMatch(s -> s.actions().stream().anyMatch(a -> a.startsWith("securityhub:") && !a.equals("securityhub:BatchImportFindings")));
    }
}
