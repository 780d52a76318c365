package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Issue 16, "the groups to restore are taken before the first attempt and kept across attempts", on moto's EC2 and
 * SQS. The first attempt of an SSH quarantine claimed its key (keeping the groups to restore with the claim, as the
 * responder does), its ModifyNetworkInterfaceAttribute was applied, and the process died before the call answered:
 * the claim is left in progress. The daemon started again looks the instance up afresh and finds the isolation group
 * on the interface; the retry checks the account, finds the change in place, and records the original groups (kept
 * with the claim) as the undo, never the isolation group; {@code vigil undo} then puts the original groups back.
 */
@ExtendWith(Moto.class)
class QuarantineRetryOnMotoTest {
    @TempDir
    Path dir;

    Moto moto;
    MotoAccount account;
    SqsClient sqs;
    final List<Finding> out = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(Moto m) {
        moto = m;
        account = new MotoAccount(m);
        sqs = m.sqs(MotoAccount.REGION);
    }

    @AfterEach
    void close() {
        sqs.close();
        account.ec2.close();
    }

    /**
     * @param keptWithTheClaim true: the claim carries the groups to restore (what this branch's responder writes);
     *     false: a claim without them (made by an older version): then no undo at all is recorded, rather than the
     *     isolation group
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aQuarantineRetriedAfterItsModifyWasAppliedKeepsTheOriginalGroupsAndUndoRestoresThem(boolean keptWithTheClaim) throws Exception {
        String eni = account.eniOf(account.app1);
        List<String> original = List.copyOf(account.groupsOf(account.app1));
        assertThat(original).containsExactly(account.web).doesNotContain(account.isolation);
        String key = "quarantine-instance:" + account.app1 + ":" + eni;
        // the first attempt: claimed with the groups it planned to restore, then its modify applied, then killed
        Map<String, Object> planned = Map.of("Action", "ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", eni, "SecurityGroupId", original);
        try (SqliteStore s = SqliteStore.open(dir.resolve("vigil.db"), Clock.systemUTC())) {
            assertThat(s.claim(key, "ssh", "ssh-brute-force", Instant.now(), keptWithTheClaim ? planned : Map.of())).isEmpty();
        }
        account.ec2.modifyNetworkInterfaceAttribute(b -> b.networkInterfaceId(eni).groups(account.isolation));
        assertThat(account.groupsOf(account.app1)).containsExactly(account.isolation);

        // the retry: the message comes again to a daemon started afresh (its look-ups see the isolation group now)
        String q = sqs.createQueue(b -> b.queueName("retry-" + keptWithTheClaim)).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(q).messageBody(account.sshLogs(account.app1)));
        Path p = dir.resolve("policy.yaml");
        Files.writeString(p, """
                version: 1
                policies:
                  - name: ssh
                    detector: ssh-intrusion
                    params: {isolation-group: %s}
                    responses:
                      ssh-brute-force: [quarantine-instance]
                """.formatted(account.isolation));
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        try (LiveRuntime rt = new LiveRuntime(Policies.load(p), new LiveRuntime.Options(q, List.of(), false, dir.resolve("vigil.db"), List.of(),
                moto.endpoint(), MotoAccount.REGION.id(), null, null, false, true, 0, Moto.CREDS, null, true, Moto.ACCOUNT), Clock.systemUTC(),
                k -> null, w, (where, msg) -> problems.add(where + ": " + msg))) {
            rt.daemon().run();
        }
        assertThat(problems).anySatisfy(x -> assertThat(x).contains("1 action(s) were in progress"));
        ActionResult isolate = out.stream().flatMap(f -> f.actions().stream())
                .filter(a -> a.type().equals("quarantine-instance") && a.target().equals(account.app1)).findFirst().orElseThrow();
        assertThat(isolate.status()).as(isolate.detail()).isEqualTo(ActionStatus.APPLIED);
        assertThat(isolate.detail()).contains("checked in the account: in place");
        assertThat(account.groupsOf(account.app1)).containsExactly(account.isolation);
        assertThat(String.valueOf(isolate.undo())).as("the isolation group is never the groups to restore").doesNotContain(account.isolation);

        ActionRecord recorded;
        try (SqliteStore s = SqliteStore.open(dir.resolve("vigil.db"), Clock.systemUTC())) {
            assertThat(s.claimOf(key).orElseThrow().status()).isEqualTo("applied");
            recorded = s.actions(100).stream().filter(a -> a.type().equals("quarantine-instance") && a.status().equals("applied"))
                    .findFirst().orElseThrow();
        }
        if (!keptWithTheClaim) {
            assertThat(recorded.undo()).as("not known: nothing recorded rather than the isolation group").isEmpty();
            return;
        }
        assertThat(recorded.undo()).isEqualTo(planned);
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            var undone = UndoAndEndpointsTest.cli("undo", Long.toString(recorded.id()), "--store", dir.resolve("vigil.db").toString(),
                    "--endpoint-url", moto.endpoint().toString(), "--region", MotoAccount.REGION.id());
            assertThat(undone.exit()).as(undone.err() + undone.out()).isZero();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertThat(account.groupsOf(account.app1)).as("the groups from before the first attempt").containsExactlyElementsOf(original);
    }
}
