package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.notify.LocalHttp;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.LocalSqs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up pass re-runs the rails, in the daemon ({@code vigil run} in a JVM of its own, SQLite, ElasticMQ, EC2 on
 * WireMock): killed between the claim and the revoke, then started again after the policy was made dry-run. The
 * interrupted revoke is checked in the account (not in place) and not applied: held, with the reason on stderr; the
 * redelivered event's finding records the revoke as planned, and EC2 never sees the revoke.
 */
class RecheckRailsDaemonTest {
    @TempDir
    Path dir;

    static final String POLICY = """
            version: 1
            targets:
              hook: {type: webhook, url-env: HOOK_URL, timeout: 5s}
            policies:
              - name: world
                detector: sg-guard
                dry-run: %s
                responses:
                  sg-open-to-world: [revoke-world-open, notify]
                notify: [hook]
            """;

    @Test
    void anInterruptedRevokeIsNotAppliedAgainOnceItsPolicyIsDryRun() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY.formatted("false"));
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start(); LocalHttp hook = new LocalHttp()) {
            aws.callerIdentity("arn:aws:sts::111122223333:assumed-role/vigil-daemon/i-0123456789abcdef0");
            int number = 4242;
            String group = String.format("sg-%017x", 0x100000L + number);
            FaultTable.account(aws, group, String.format("sgr-%017x", number));
            // as EC2 answers a call made with DryRun=true that would have succeeded (and changes nothing)
            aws.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/"))
                    .atPriority(1).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("DryRun=true"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(412)
                            .withBody(Ec2Stub.error("DryRunOperation", "Request would have succeeded, but DryRun flag is set."))));
            String q = sqs.queue("recheck-rails", FaultTable.VISIBILITY);
            sqs.send(q, List.of(CrashEvents.worldOpen(number)));
            Path store = dir.resolve("vigil.db");
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-secret",
                    "AWS_REGION", "eu-west-1", "HOOK_URL", hook.url("/hook"));
            List<String> args = List.of("--policy", policy.toString(), "--queue-url", q, "--sqs-endpoint-url", sqs.endpoint.toString(),
                    "--endpoint-url", aws.endpoint().toString(), "--store", store.toString(), "--http-port", "-1", "--wait-seconds", "1",
                    "--no-look-up", "--account", "111122223333", "--until-empty");

            Path log1 = dir.resolve("first.log");
            Process first = FaultTable.daemon(log1, env, "CLAIM:kill", args);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (first.isAlive() && System.nanoTime() < deadline && !FaultTable.read(log1).contains("vigil-fault: claim reached")) Thread.sleep(20);
            assertThat(FaultTable.read(log1)).contains("vigil-fault: claim reached");
            first.destroyForcibly(); // SIGKILL between the claim and the revoke
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();

            Files.writeString(policy, POLICY.formatted("true")); // the policy made dry-run meanwhile
            Thread.sleep(TimeUnit.SECONDS.toMillis(FaultTable.VISIBILITY) + 500); // the message visible again
            Path log2 = dir.resolve("second.log");
            Process second = FaultTable.daemon(log2, env, null, args);
            assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String logs = "\n--- first run:\n" + FaultTable.read(log1) + "\n--- restart:\n" + FaultTable.read(log2);
            assertThat(second.exitValue()).as(logs).isZero();

            assertThat(FaultTable.read(log2)).as(logs).contains("interrupted action checked at start: revoke-world-open " + group)
                    .contains("skipped: held: interrupted, not in place, and not applied again: policy world is dry-run now");
            // the dry-run plan asks EC2 with DryRun=true (permissions checked, nothing changed): not a revoke
            long revokes = aws.server.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString())
                    .filter(b -> b.contains("Action=RevokeSecurityGroupIngress&") && !b.contains("DryRun=true")).count();
            long lookUps = aws.server.getAllServeEvents().stream()
                    .filter(e -> e.getRequest().getBodyAsString().contains("Action=DescribeSecurityGroupRules&")).count();
            assertThat(revokes).as("never applied" + logs).isZero();
            assertThat(lookUps).as("checked in the account first" + logs).isPositive();
            assertThat(sqs.remaining(q)).isZero();
            try (SqliteStore s = SqliteStore.openReadOnly(store, Clock.systemUTC())) {
                List<Finding> findings = s.recent(10);
                assertThat(findings).hasSize(1);
                ActionResult revoke = findings.get(0).actions().stream().filter(a -> a.type().equals("revoke-world-open")).findFirst().orElseThrow();
                assertThat(revoke.status()).as("the redelivered event meets the same rails: dry-run" + logs).isEqualTo(ActionStatus.PLANNED);
                assertThat(s.claimsWithStatus("interrupted")).as("the claim released, not left interrupted").isZero();
            }
        }
    }
}
