package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The daemon ({@code vigil run}'s wiring) end to end against moto's EC2 and SQS: the account set up with the SDK, the
 * scenarios' events on a queue, and afterwards the state in moto is what each response means; {@code vigil undo}
 * restores it. (WireMock tests keep the exact request shapes and AWS error bodies.)
 */
@ExtendWith(Moto.class)
class LiveOnMotoTest {
    @TempDir
    Path dir;

    Moto moto;
    MotoAccount account;
    SqsClient sqs;
    final List<Finding> out = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    /** A clock the test moves (the daemon's wall clock: ban expiry). */
    static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

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

    String queue(String name, List<String> bodies) {
        String q = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        for (String body : bodies) sqs.sendMessage(b -> b.queueUrl(q).messageBody(body));
        return q;
    }

    LiveRuntime daemon(String policy, String queueUrl, Clock clock) throws Exception {
        Path p = dir.resolve("policy.yaml");
        Files.writeString(p, policy);
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        // as `vigil run --endpoint-url MOTO --account 123456789012 --until-empty`, the account looked up at start
        return new LiveRuntime(Policies.load(p), new LiveRuntime.Options(queueUrl, List.of(), false, dir.resolve("vigil.db"), List.of(),
                moto.endpoint(), MotoAccount.REGION.id(), null, null, false, true, 0, Moto.CREDS, null, true, Moto.ACCOUNT), clock,
                k -> null, w, (where, msg) -> problems.add(where + ": " + msg));
    }

    void run(String policy, String queueUrl, Clock clock) throws Exception {
        try (LiveRuntime rt = daemon(policy, queueUrl, clock)) {
            rt.daemon().run();
            assertThat(rt.store().rejectedCount()).as(String.join("\n", problems)).isZero();
        }
    }

    List<ActionRecord> actions() {
        try (SqliteStore s = SqliteStore.open(dir.resolve("vigil.db"), Clock.systemUTC())) {
            return s.actions(100);
        }
    }

    ActionRecord action(String type, String target) {
        return actions().stream().filter(a -> a.type().equals(type) && a.target().equals(target) && a.status().equals("applied")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " on " + target + " among " + actions()));
    }

    UndoAndEndpointsTest.Run undo(long id) {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            return UndoAndEndpointsTest.cli("undo", Long.toString(id), "--store", dir.resolve("vigil.db").toString(),
                    "--endpoint-url", moto.endpoint().toString(), "--region", MotoAccount.REGION.id());
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void sgGuardRevokesExactlyTheAddedRulesAndUndoPutsThemBack() throws Exception {
        String contractor = account.authorizeIngress(account.dbAdmin, 5432, "203.0.113.0/24");
        assertThat(account.ingress(account.dbAdmin)).containsExactly("5432 10.20.0.0/16", "5432 203.0.113.0/24");
        String q = queue("sg", account.sgGuardEvents(contractor, account.sshWorldRule));
        run("""
                version: 1
                policies:
                  - name: groups
                    detector: sg-guard
                    params: {protected-groups: {names: [db-admin]}}
                    responses:
                      sg-ingress-changed: [revoke-ingress]
                      sg-open-to-world: [revoke-world-open]
                """, q, Clock.systemUTC());

        // the added rules gone, the others intact
        assertThat(account.ingress(account.dbAdmin)).containsExactly("5432 10.20.0.0/16");
        assertThat(account.ingress(account.web)).containsExactly("443 10.20.0.0/16");
        assertThat(out).extracting(Finding::rule).contains("sg-ingress-changed", "sg-open-to-world");

        // undo: the world-open rule is authorized again, the rest unchanged
        ActionRecord revoke = action("revoke-world-open", account.web);
        assertThat(revoke.status()).isEqualTo("applied");
        var undone = undo(revoke.id());
        assertThat(undone.exit()).as(undone.err() + undone.out()).isZero();
        assertThat(account.ingress(account.web)).containsExactly("22 0.0.0.0/0", "443 10.20.0.0/16");
        assertThat(undo(revoke.id()).exit()).as("undone once").isEqualTo(2);
        assertThat(account.ingress(account.web)).containsExactly("22 0.0.0.0/0", "443 10.20.0.0/16");
    }

    @Test
    void manyGuardDutyFindingsInOneSubnetPutItOnOneQuarantineAclOnceAndUndoMovesItBack() throws Exception {
        String before = account.aclOf(account.subnetA).networkAclId();
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < 3; i++) findings.add(account.guardDutyFinding(account.web1, "f0" + i));
        for (int i = 0; i < 3; i++) findings.add(account.guardDutyFinding(account.web2, "f1" + i));
        String q = queue("gd", findings);
        run("""
                version: 1
                policies:
                  - name: guardduty
                    detector: guardduty-responder
                    params: {finding-types: ["CryptoCurrency:EC2/*"], min-severity: medium}
                    responses:
                      guardduty-finding: [quarantine-subnet]
                """, q, Clock.systemUTC());

        assertThat(account.quarantineAcls()).as("one quarantine ACL, for six findings on two instances").hasSize(1);
        var quarantine = account.quarantineAcls().get(0);
        assertThat(account.aclOf(account.subnetA).networkAclId()).isEqualTo(quarantine.networkAclId());
        assertThat(account.aclOf(account.subnetB).networkAclId()).as("the other subnet untouched").isEqualTo(before);
        assertThat(quarantine.entries()).as("allows nothing").allSatisfy(e -> assertThat(e.ruleActionAsString()).isEqualTo("deny"));
        long applied = actions().stream().filter(a -> a.type().equals("quarantine-subnet") && a.status().equals("applied")).count();
        assertThat(applied).as("applied once").isEqualTo(1);

        var undone = undo(action("quarantine-subnet", account.subnetA).id());
        assertThat(undone.exit()).as(undone.err() + undone.out()).isZero();
        assertThat(account.aclOf(account.subnetA).networkAclId()).isEqualTo(before);
    }

    @Test
    void undoReArmsTheNextIncidentInTheSubnetQuarantinesItAgainRecordedAsANewActionLinkedToTheFirst() throws Exception {
        String before = account.aclOf(account.subnetA).networkAclId();
        String policy = """
                version: 1
                policies:
                  - name: guardduty
                    detector: guardduty-responder
                    params: {finding-types: ["CryptoCurrency:EC2/*"], min-severity: medium}
                    responses:
                      guardduty-finding: [quarantine-subnet]
                """;
        run(policy, queue("gd1", List.of(account.guardDutyFinding(account.web1, "f01"))), Clock.systemUTC());
        ActionRecord first = action("quarantine-subnet", account.subnetA);
        assertThat(account.aclOf(account.subnetA).networkAclId()).isNotEqualTo(before);
        var undone = undo(first.id());
        assertThat(undone.exit()).as(undone.err() + undone.out()).isZero();
        assertThat(account.aclOf(account.subnetA).networkAclId()).isEqualTo(before);

        // a new incident in the same subnet: acted on again (not "already-applied"), in the account
        out.clear();
        run(policy, queue("gd2", List.of(account.guardDutyFinding(account.web1, "f02"))), Clock.systemUTC());
        assertThat(out).flatExtracting(Finding::actions).filteredOn(a -> a.type().equals("quarantine-subnet"))
                .extracting(a -> a.status()).containsExactly(ActionStatus.APPLIED);
        String again = account.aclOf(account.subnetA).networkAclId();
        assertThat(again).as("the subnet on a quarantine ACL again").isNotEqualTo(before);
        assertThat(account.quarantineAcls()).extracting(a -> a.networkAclId()).contains(again);
        List<ActionRecord> applied = actions().stream().filter(a -> a.type().equals("quarantine-subnet") && a.status().equals("applied")).toList();
        assertThat(applied).hasSize(2);
        ActionRecord second = applied.stream().filter(a -> a.id() != first.id()).findFirst().orElseThrow();
        assertThat(second.follows()).as("recorded as a new action linked to the first").isEqualTo(first.id());
        assertThat(second.undoneBy()).isNull();
        // and it can be undone in its turn
        assertThat(undo(second.id()).exit()).isZero();
        assertThat(account.aclOf(account.subnetA).networkAclId()).isEqualTo(before);
    }

    /**
     * Interrupted means unknown: a claim a crash left in progress (the revoke's call unanswered) is checked against the
     * account when the event comes again: the rule still there, it is revoked again; gone, the claim is completed with
     * what the look-up saw, and no second call is made.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void anInterruptedRevokeIsCheckedInTheAccountAndRedoneOnlyWhenNotInPlace(boolean revokedBeforeTheCrash, Moto m) throws Exception {
        List<String> events = account.sgGuardEvents(account.authorizeIngress(account.dbAdmin, 5432, "203.0.113.0/24"), account.sshWorldRule);
        String eventId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(events.get(1)).path("detail").path("eventID").asText();
        String key = "revoke-world-open:" + account.web + ":" + eventId;
        if (revokedBeforeTheCrash) {
            account.ec2.revokeSecurityGroupIngress(b -> b.groupId(account.web).securityGroupRuleIds(account.sshWorldRule));
        }
        try (SqliteStore s = SqliteStore.open(dir.resolve("vigil.db"), Clock.systemUTC())) {
            assertThat(s.claim(key, "groups", "sg-open-to-world", Instant.now())).isEmpty(); // claimed; then the process died
        }
        // a reading command beside it leaves the claim as it is
        try (SqliteStore s = SqliteStore.openBeside(dir.resolve("vigil.db"), Clock.systemUTC())) {
            assertThat(s.claimOf(key).orElseThrow().status()).isEqualTo("in-progress");
        }
        run("""
                version: 1
                policies:
                  - name: groups
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open]
                """, queue("interrupted-" + revokedBeforeTheCrash, List.of(events.get(1))), Clock.systemUTC());
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("1 action(s) were in progress"));
        var revoke = out.stream().flatMap(f -> f.actions().stream()).filter(a -> a.type().equals("revoke-world-open")).findFirst().orElseThrow();
        assertThat(revoke.status()).as(revoke.detail()).isEqualTo(ActionStatus.APPLIED);
        if (revokedBeforeTheCrash) assertThat(revoke.detail()).contains("checked in the account: in place").contains(account.sshWorldRule);
        else assertThat(revoke.detail()).doesNotContain("interrupted");
        assertThat(account.ingress(account.web)).as("the world rule gone either way").containsExactly("443 10.20.0.0/16");
        try (SqliteStore s = SqliteStore.open(dir.resolve("vigil.db"), Clock.systemUTC())) {
            assertThat(s.claimOf(key).orElseThrow().status()).isEqualTo("applied");
        }
    }

    /**
     * Region: the daemon takes its region from the SDK's chain (here AWS_DEFAULT_REGION, no --region), an action from a
     * CloudWatch Logs payload (which names no region) is recorded with it and the daemon's account, and {@code vigil
     * undo} without --region goes there.
     */
    @Test
    void anActionFromALogPayloadRecordsTheDaemonsRegionAndUndoGoesThere() throws Exception {
        String q = queue("ssh-region", List.of(account.sshLogs(account.app1)));
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
        java.util.Map<String, String> env = java.util.Map.of("AWS_DEFAULT_REGION", MotoAccount.REGION.id());
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        try (LiveRuntime rt = new LiveRuntime(Policies.load(p), new LiveRuntime.Options(q, List.of(), false, dir.resolve("vigil.db"), List.of(),
                moto.endpoint(), null, null, null, false, true, 0, Moto.CREDS, null, true, Moto.ACCOUNT), Clock.systemUTC(), env::get, w,
                (where, msg) -> problems.add(where + ": " + msg))) {
            rt.daemon().run();
        }
        assertThat(account.groupsOf(account.app1)).containsExactly(account.isolation);
        assertThat(out).filteredOn(f -> f.rule().equals("ssh-brute-force")).isNotEmpty().allSatisfy(f -> {
            assertThat(f.region()).as("the daemon's region, the payload naming none").hasToString(MotoAccount.REGION.id());
            assertThat(f.account()).hasToString(Moto.ACCOUNT);
        });
        ActionRecord isolate = action("quarantine-instance", account.app1);
        assertThat(isolate.region()).isEqualTo(MotoAccount.REGION.id());
        assertThat(isolate.account()).isEqualTo(Moto.ACCOUNT);
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            var undone = UndoAndEndpointsTest.cli("undo", Long.toString(isolate.id()), "--store", dir.resolve("vigil.db").toString(),
                    "--endpoint-url", moto.endpoint().toString()); // no --region: the recorded one
            assertThat(undone.exit()).as(undone.err() + undone.out()).isZero();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertThat(account.groupsOf(account.app1)).containsExactly(account.web);
    }

    @Test
    void anSshBruteForceIsBannedInTheSubnetsAclUntilTheBanTimeAndTheInstanceIsolated() throws Exception {
        String q = queue("ssh", List.of(account.sshLogs(account.app1)));
        String policy = """
                version: 1
                policies:
                  - name: ssh
                    detector: ssh-intrusion
                    params:
                      strategy: escalate
                      isolation-group: %s
                      block-source: {ban-time: 1h}
                      escalate: {sources: 1, window: 10m}
                    responses:
                      ssh-brute-force: [block-source, quarantine-instance]
                      ssh-ban-expired: [unblock-source]
                """.formatted(account.isolation);
        MovableClock clock = new MovableClock(Instant.parse("2024-05-01T10:02:00Z"));
        run(policy, q, clock);

        assertThat(out).extracting(Finding::rule).contains("ssh-brute-force");
        assertThat(account.inboundDenies(account.subnetB)).as("the source banned in app-1's subnet, below the allow rules")
                .singleElement().satisfies(e -> {
                    assertThat(e).endsWith(" 198.51.100.77/32");
                    assertThat(Integer.parseInt(e.split(" ")[0])).isBetween(1, 99);
                });
        assertThat(account.groupsOf(account.app1)).as("app-1's ENI on the isolation group alone").containsExactly(account.isolation);
        assertThat(account.groupsOf(account.web1)).containsExactly(account.web);

        // the ban time passes (the daemon restarted meanwhile): the deny entry goes, the isolation stays
        clock.now = Instant.parse("2024-05-01T11:05:00Z");
        run(policy, queue("ssh-later", List.of()), clock);
        assertThat(out).extracting(Finding::rule).contains("ssh-ban-expired");
        assertThat(account.inboundDenies(account.subnetB)).isEmpty();
        assertThat(account.groupsOf(account.app1)).containsExactly(account.isolation);

        // undo the isolation: the ENI's groups back as they were
        ActionRecord isolate = action("quarantine-instance", account.app1);
        assertThat(isolate.status()).isEqualTo("applied");
        var undone = undo(isolate.id());
        assertThat(undone.exit()).as(undone.err() + undone.out()).isZero();
        assertThat(account.groupsOf(account.app1)).containsExactly(account.web);
        assertThat(out).filteredOn(f -> f.rule().equals("ssh-brute-force")).allSatisfy(f -> assertThat(f.actions())
                .noneSatisfy(a -> assertThat(a.status()).isEqualTo(ActionStatus.FAILED)));
    }
}
