package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.policy.PolicySet;
import dev.vigil.policy.Policies;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What makes {@code vigil run} use AWS (credentials, STS at start): each need alone, and a run that needs none. */
class AwsNeedsTest {
    static final Path FILE = Path.of("vigil-state/vigil.db");

    static PolicySet policy(String targets) {
        return Policies.parse("p.yaml", """
                version: 1
                %s
                policies:
                  - name: ssh
                    detector: ssh-intrusion
                    responses:
                      ssh-brute-force: [notify]
                """.formatted(targets));
    }

    static final PolicySet WEBHOOK = policy("""
            targets:
              team: {type: webhook, url-env: HOOK}
            """);

    @Test
    void tailingFilesWithNotifyOnlyPoliciesNeedsNoAws() {
        assertThat(StartupChecks.awsNeeds(policy("""
                targets:
                  team: {type: webhook, url-env: HOOK}
                  ops: {type: stdout}
                """), null, FILE, false)).isEmpty();
    }

    @Test
    void eachThingThatCallsAwsIsNamed() {
        assertThat(StartupChecks.awsNeeds(WEBHOOK, "https://sqs.eu-west-1.amazonaws.com/1/q", FILE, false)).containsExactly("the queue");
        assertThat(StartupChecks.awsNeeds(WEBHOOK, null, Path.of("dynamodb://vigil-state"), false)).containsExactly("the DynamoDB store");
        assertThat(StartupChecks.awsNeeds(Policies.defaults(), null, FILE, false)).as("the built-in policy notifies an SNS topic")
                .containsExactly("the sns target");
        assertThat(StartupChecks.awsNeeds(Policies.load(Path.of("examples/policies/enforce-ssh.yaml")), null, FILE, false))
                .contains("enabled AWS responses", "the sns target");
        assertThat(StartupChecks.awsNeeds(policy("""
                targets:
                  hub: {type: securityhub, account: "111122223333", region: eu-west-1}
                """), null, FILE, false)).containsExactly("the securityhub target");
        assertThat(StartupChecks.awsNeeds(WEBHOOK, null, FILE, true)).containsExactly("--all-regions");
    }

    @Test
    void aDryRunResponseStillNeedsAws() {
        PolicySet dry = Policies.parse("p.yaml", """
                version: 1
                live: {dry-run: true}
                policies:
                  - name: groups
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open]
                """);
        assertThat(StartupChecks.awsNeeds(dry, null, FILE, false)).as("EC2 checks a dry run").containsExactly("enabled AWS responses");
    }
}
