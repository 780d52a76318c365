package dev.vigil.scenario.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.deploy.DeploymentPlan;
import dev.vigil.deploy.Permissions;
import dev.vigil.policy.Policies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The responses a Sigma finding carries: opt-in per rule or per tag, planned from who made the call. */
class SigmaResponsesTest {
    static final Path PACK = StratusCoverageTest.PACK;
    static final Path DETONATIONS = StratusCoverageTest.STRATUS;

    static PolicySet policy(String responses) {
        return Policies.parse("p.yaml", """
                targets:
                  team: {type: stdout}
                policies:
                  - name: sigma
                    detector: sigma
                    params:
                      rules: ['%s', '%s']
                    responses:
                %s
                    notify: [team]
                """.formatted(PACK.toAbsolutePath(), SigmaCorpusTest.AWS.toAbsolutePath(), responses.indent(6)));
    }

    static List<ActionResult> actions(SigmaRun run, String rule) {
        return run.findings.stream().filter(f -> f.rule().equals(rule)).flatMap(f -> f.actions().stream()).toList();
    }

    @Test
    void aTagOptsEveryRuleCarryingItIn() throws IOException {
        SigmaCorpusTest.assumeCorpus();
        PolicySet set = policy("attack.persistence: [deactivate-access-key, block-ip]");
        assertThat(set.policies().get(0).responsesFor("vigil_iam_admin_policy_attached")).contains("deactivate-access-key", "block-ip");
        assertThat(set.policies().get(0).responsesFor("vigil_ec2_get_password_data")).isEmpty(); // credential-access, not persistence
        Path rec = write("""
                [{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/mallory","accountId":"111122223333",
                  "accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"mallory"},"eventTime":"2025-01-15T10:00:00Z","eventSource":"iam.amazonaws.com",
                  "eventName":"AttachUserPolicy","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli",
                  "requestParameters":{"userName":"mallory","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},"responseElements":null,
                  "eventID":"e1","recipientAccountId":"111122223333"}]""");
        SigmaRun run = SigmaRun.of(set, List.of(rec));
        List<ActionResult> a = actions(run, "vigil_iam_admin_policy_attached");
        assertThat(a).extracting(ActionResult::type).containsExactly("deactivate-access-key", "block-ip");
        assertThat(a).allMatch(x -> x.status() == ActionStatus.PLANNED);
        assertThat(a.get(0).params()).containsEntry("Action", "UpdateAccessKey").containsEntry("AccessKeyId", "AKIAIOSFODNN7EXAMPLE")
                .containsEntry("UserName", "mallory").containsEntry("Status", "Inactive");
        assertThat(a.get(0).undo()).containsEntry("Status", "Active");
        assertThat(a.get(1).params()).containsEntry("Action", "PutUserPolicy").containsEntry("UserName", "mallory");
        assertThat(String.valueOf(a.get(1).params().get("PolicyDocument"))).contains("\"aws:SourceIp\":\"198.51.100.7/32\"");
    }

    @Test
    void revokeRoleSessionsAndRestartTrailOverTheDetonations() {
        SigmaCorpusTest.assumeCorpus();
        PolicySet set = policy("""
                "*": [revoke-role-sessions, notify]
                aws_cloudtrail_disable_logging: [restart-trail]""");
        SigmaRun stop = SigmaRun.of(set, List.of(DETONATIONS.resolve("aws.defense-evasion.cloudtrail-stop.json")));
        List<ActionResult> a = actions(stop, "aws_cloudtrail_disable_logging");
        ActionResult restart = a.stream().filter(x -> x.type().equals("restart-trail")).findFirst().orElseThrow();
        assertThat(restart.params()).containsEntry("Action", "StartLogging").containsKey("Name");
        assertThat(restart.undo()).containsEntry("Action", "StopLogging");
        // after DeleteTrail there is nothing to restart: the finding only notifies, and says why
        SigmaRun delete = SigmaRun.of(set, List.of(DETONATIONS.resolve("aws.defense-evasion.cloudtrail-delete.json")));
        Finding d = delete.findings.stream().filter(f -> f.rule().equals("aws_cloudtrail_disable_logging")).findFirst().orElseThrow();
        assertThat(d.actions()).filteredOn(x -> x.type().equals("restart-trail")).singleElement()
                .satisfies(x -> assertThat(x.status()).isEqualTo(ActionStatus.SKIPPED));
        assertThat(d.facts().get("note")).contains("nothing to restart");
        // a call made with an assumed role: the role's older sessions are denied
        SigmaRun role = SigmaRun.of(set, List.of(DETONATIONS.resolve("aws.discovery.ec2-download-user-data.json")));
        List<ActionResult> r = actions(role, "vigil_ec2_user_data_read");
        assertThat(r).extracting(ActionResult::type).contains("revoke-role-sessions");
        ActionResult revoke = r.stream().filter(x -> x.type().equals("revoke-role-sessions")).findFirst().orElseThrow();
        assertThat(revoke.params()).containsEntry("Action", "PutRolePolicy").containsEntry("PolicyName", "vigil-revoke-older-sessions");
        assertThat(String.valueOf(revoke.params().get("PolicyDocument"))).contains("aws:TokenIssueTime");
        assertThat(revoke.undo()).containsEntry("Action", "DeleteRolePolicy");
    }

    @Test
    void aResponseOrTagTheRulesDoNotOfferIsAnError() {
        SigmaCorpusTest.assumeCorpus();
        assertThatThrownBy(() -> policy("attack.persistence: [quarantine-instance]")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("not available");
        assertThatThrownBy(() -> policy("no_such_rule_or_tag: [notify]")).isInstanceOf(PolicyException.class).hasMessageContaining("has no rule");
    }

    @Test
    void theResponsesIamActionsReachThePermissions() {
        SigmaCorpusTest.assumeCorpus();
        PolicySet set = policy("\"*\": [deactivate-access-key, revoke-role-sessions, restart-trail, block-ip]");
        var statements = Permissions.of(DeploymentPlan.of(set, false));
        assertThat(Permissions.actions(statements)).contains("iam:UpdateAccessKey", "iam:ListAccessKeys", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
                "iam:PutUserPolicy", "cloudtrail:StartLogging", "cloudtrail:GetTrailStatus");
        assertThat(statements).noneMatch(s -> s.actions().isEmpty());
    }

    @TempDir
    Path tmp;

    private Path write(String json) throws IOException {
        Path f = tmp.resolve("records.json");
        Files.writeString(f, json);
        return f;
    }
}
