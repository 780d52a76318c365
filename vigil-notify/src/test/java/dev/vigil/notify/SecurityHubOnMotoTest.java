package dev.vigil.notify;

import static dev.vigil.notify.SecurityHubNotifierTest.CLOCK;
import static dev.vigil.notify.SecurityHubNotifierTest.TARGET;
import static dev.vigil.notify.SecurityHubNotifierTest.findings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.aws.RetryBudget;
import dev.vigil.core.finding.Finding;
import dev.vigil.output.AsffFinding;
import dev.vigil.testing.Moto;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

/**
 * The securityhub target against moto's server (the shared extension): BatchImportFindings in batches, re-imports
 * that update in place, the undo's archive, read back with GetFindings.
 */
@ExtendWith(Moto.class)
class SecurityHubOnMotoTest {
    static final AwsCredentialsProvider CREDS = Moto.CREDS;

    @Test
    void importsIntoMotoOnceEachAndArchivesOnUndo(Moto moto) {
        try (SecurityHubNotifier hub = new SecurityHubNotifier(new SecurityHubImporter(moto.endpoint(), CREDS, RetryBudget.DEFAULT), CLOCK);
             SecurityHubClient read = SecurityHubClient.builder().region(software.amazon.awssdk.regions.Region.US_EAST_1)
                     .endpointOverride(moto.endpoint()).credentialsProvider(CREDS).httpClient(UrlConnectionHttpClient.create()).build()) {
            List<Finding> all = findings(150, "");
            Delivery d = hub.sendAll(TARGET, all);
            assertThat(d.ok()).as(d.detail()).isTrue();
            assertThat(d.attempts()).isEqualTo(2); // 100 + 50
            assertThat(d.detail()).contains("imported 150 in 2 call(s)");
            assertThat(stored(read)).hasSize(150);

            // the same findings again, and one through the notifier's send: updated in place, never duplicated
            assertThat(hub.sendAll(TARGET, all.subList(0, 120)).ok()).isTrue();
            assertThat(hub.send(TARGET, Notice.of(all.get(7))).ok()).isTrue();
            List<AwsSecurityFinding> after = stored(read);
            assertThat(after).hasSize(150);
            assertThat(after.stream().map(AwsSecurityFinding::id).distinct()).hasSize(150);
            AwsSecurityFinding seven = after.stream().filter(f -> f.id().equals(AsffFinding.id(all.get(7)))).findFirst().orElseThrow();
            assertThat(seven.generatorId()).isEqualTo("vigil/ssh-intrusion/ssh-brute-force");
            assertThat(seven.productArn()).isEqualTo("arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default");
            assertThat(seven.severity().labelAsString()).isEqualTo("HIGH");
            assertThat(seven.resources().getFirst().type()).isEqualTo("AwsEc2Instance");
            assertThat(seven.resources().getFirst().id()).isEqualTo("arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0");
            assertThat(seven.note().text()).contains("quarantine-instance i-0123456789abcdef0: applied");
            assertThat(seven.recordStateAsString()).isEqualTo("ACTIVE");

            assertThat(hub.undone(TARGET, all.get(7), "quarantine-instance i-0123456789abcdef0 (action 12) by operator").ok()).isTrue();
            AwsSecurityFinding undone = stored(read).stream().filter(f -> f.id().equals(AsffFinding.id(all.get(7)))).findFirst().orElseThrow();
            assertThat(undone.recordStateAsString()).isEqualTo("ARCHIVED");
            assertThat(undone.workflow().statusAsString()).isEqualTo("RESOLVED");
            assertThat(undone.note().text()).startsWith("undone at 2026-12-01T10:00:00Z: quarantine-instance");
            assertThat(stored(read)).hasSize(150);
        }
    }

    private static List<AwsSecurityFinding> stored(SecurityHubClient read) {
        List<AwsSecurityFinding> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            var r = read.getFindings(b -> b.maxResults(100).nextToken(t));
            out.addAll(r.findings());
            token = r.nextToken();
        } while (token != null && !token.isEmpty() && out.size() < 10_000);
        return out;
    }
}
