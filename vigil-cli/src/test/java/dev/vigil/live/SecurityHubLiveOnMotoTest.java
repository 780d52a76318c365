package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.Finding;
import dev.vigil.output.AsffFinding;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.store.ActionRecord;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.Moto;
import dev.vigil.testing.MotoAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

/**
 * The securityhub target in the daemon, on moto: a revoked world-open rule's finding is imported with the revoke in
 * its note; {@code vigil undo --policy} puts the rule back and re-imports the finding archived and resolved.
 */
@ExtendWith(Moto.class)
class SecurityHubLiveOnMotoTest {
    @TempDir
    Path dir;

    @Test
    void theDaemonImportsAndUndoArchives(Moto moto) throws Exception {
        MotoAccount account = new MotoAccount(moto);
        List<Finding> out = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        String contractor = account.authorizeIngress(account.dbAdmin, 5432, "203.0.113.0/24");
        String queue;
        try (var sqs = moto.sqs(MotoAccount.REGION)) {
            queue = sqs.createQueue(b -> b.queueName("hub")).queueUrl();
            for (String body : account.sgGuardEvents(contractor, account.sshWorldRule)) sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        }
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                targets:
                  hub: {type: securityhub, account: "%s", region: %s}
                policies:
                  - name: groups
                    detector: sg-guard
                    params: {protected-groups: {names: [db-admin]}}
                    responses:
                      "*": [notify]
                      sg-open-to-world: [revoke-world-open, notify]
                    notify: [hub]
                """.formatted(Moto.ACCOUNT, MotoAccount.REGION.id()));
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        try (LiveRuntime rt = new LiveRuntime(Policies.load(policy), new LiveRuntime.Options(queue, List.of(), false, dir.resolve("vigil.db"), List.of(),
                moto.endpoint(), MotoAccount.REGION.id(), null, null, false, true, 0, Moto.CREDS, null, true, Moto.ACCOUNT), Clock.systemUTC(),
                k -> null, w, (where, msg) -> problems.add(where + ": " + msg))) {
            rt.daemon().run();
        }
        assertThat(problems).isEmpty();
        Finding open = out.stream().filter(f -> f.rule().equals("sg-open-to-world")).findFirst().orElseThrow();
        assertThat(open.actions()).anySatisfy(a -> {
            assertThat(a.type()).isEqualTo("notify");
            // the daemon sends notifications off the processing path: the finding records it queued; the import is checked below
            assertThat(a.status().label()).isEqualTo("queued");
            assertThat(a.detail()).contains("queued for hub (securityhub)");
        });

        try (SecurityHubClient read = SecurityHubClient.builder().region(software.amazon.awssdk.regions.Region.of(MotoAccount.REGION.id()))
                .endpointOverride(moto.endpoint()).credentialsProvider(Moto.CREDS).httpClient(UrlConnectionHttpClient.create()).build()) {
            AwsSecurityFinding imported = one(read, AsffFinding.id(open));
            assertThat(imported.recordStateAsString()).isEqualTo("ACTIVE");
            assertThat(imported.note().text()).contains("revoke-world-open " + account.web + ": applied");
            assertThat(imported.resources()).extracting(r -> r.type()).contains("AwsEc2SecurityGroup");

            ActionRecord revoke;
            try (SqliteStore s = SqliteStore.open(dir.resolve("vigil.db"), Clock.systemUTC())) {
                revoke = s.actions(100).stream().filter(a -> a.type().equals("revoke-world-open") && a.status().equals("applied")).findFirst().orElseThrow();
            }
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
            UndoAndEndpointsTest.Run undo;
            try {
                undo = UndoAndEndpointsTest.cli("undo", Long.toString(revoke.id()), "--store", dir.resolve("vigil.db").toString(),
                        "--endpoint-url", moto.endpoint().toString(), "--region", MotoAccount.REGION.id(), "--policy", policy.toString());
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
            assertThat(undo.exit()).as(undo.err() + undo.out()).isZero();
            assertThat(undo.out()).contains("securityhub hub: finding archived and resolved");
            assertThat(account.ingress(account.web)).contains("22 0.0.0.0/0");
            AwsSecurityFinding archived = one(read, AsffFinding.id(open));
            assertThat(archived.recordStateAsString()).isEqualTo("ARCHIVED");
            assertThat(archived.workflow().statusAsString()).isEqualTo("RESOLVED");
            assertThat(archived.note().text()).contains("revoke-world-open " + account.web + " (action " + revoke.id() + ")");
        } finally {
            account.ec2.close();
        }
    }

    private static AwsSecurityFinding one(SecurityHubClient read, String id) {
        List<AwsSecurityFinding> all = read.getFindings(b -> b.maxResults(100)).findings().stream().filter(f -> f.id().equals(id)).toList();
        assertThat(all).hasSize(1);
        return all.getFirst();
    }
}
