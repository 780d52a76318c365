package dev.vigil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.policy.Policies;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The start banner: every enabled disruptive response, per policy, dry-run or not, and the exemptions. */
class EnforcementBannerTest {
    @Test
    void theBuiltInPolicyEnablesNone() {
        assertThat(EnforcementBanner.none(Policies.defaults())).isTrue();
        assertThat(EnforcementBanner.lines(Policies.defaults(), false)).containsExactly(
                "enabled responses: none (default policy): detect and notify only; a disruptive response runs only where a policy"
                        + " file names it (examples/policies/)",
                "exemptions: tags vigil-exempt=true");
    }

    @Test
    void theExamplePolicyListsEachPolicyDryRunOrNotAndItsExemptions() {
        PolicySet set = Policies.load(Path.of("examples/policy.yaml"));
        assertThat(EnforcementBanner.lines(set, false)).containsExactly(
                "enabled responses (examples/policy.yaml):",
                "  ssh [ssh-intrusion] ENFORCING: ssh-ban-expired -> unblock-source; ssh-brute-force -> block-source, quarantine-instance;"
                        + " ssh-login-after-failures -> quarantine-instance",
                "  admin-groups [sg-guard] ENFORCING: sg-ingress-changed -> revoke-ingress; sg-open-to-world -> revoke-world-open",
                "  guardduty [guardduty-responder] dry-run: guardduty-finding -> quarantine-subnet",
                "exemptions: resources i-0c5d6e7f8091a2b3c; tags vigil-exempt=true");
        // --dry-run on the command line: everything is dry-run, and the heading says so
        assertThat(EnforcementBanner.lines(set, true)).first().isEqualTo("enabled responses (examples/policy.yaml), all DRY-RUN (checked, never carried out):");
        assertThat(EnforcementBanner.lines(set, true)).filteredOn(l -> l.startsWith("  ")).allMatch(l -> l.contains("] dry-run: "));
    }

    @Test
    void disabledPoliciesAreNotListedAndPolicyExemptionsAre() {
        PolicySet set = Policies.parse("p.yaml", """
                targets: {t: {type: stdout}}
                policies:
                  - name: off
                    detector: sg-guard
                    enabled: false
                    responses: {sg-ingress-changed: [revoke-ingress]}
                  - name: on
                    detector: sg-guard
                    responses: {"*": [notify], sg-open-to-world: [revoke-world-open]}
                    exemptions: {resources: [sg-0123456789abcdef0]}
                """);
        assertThat(EnforcementBanner.lines(set, false)).containsExactly(
                "enabled responses (p.yaml):",
                "  on [sg-guard] ENFORCING: sg-open-to-world -> revoke-world-open",
                "exemptions: none; policy on: resources sg-0123456789abcdef0");
    }
}
