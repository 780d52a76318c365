package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.aws.dynamo.StateClients;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.aws.Ec2Inventory;
import dev.vigil.policy.Policies;
import dev.vigil.testing.Moto;
import dev.vigil.testing.MotoAccount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The Lambda handlers wired as in production ({@link StoreFactory#production}: the state in DynamoDB, the timers as
 * EventBridge Scheduler schedules; EC2 and SNS clients; the inventory described from EC2), every AWS call to moto: the
 * state in moto after each response is what the response means. A schedule is fired as Scheduler would, by handing
 * its target input (read back from moto) to the timer function.
 */
@ExtendWith(Moto.class)
class LambdaOnMotoTest {
    static final String TABLE = "vigil-state";
    static final String GROUP = "vigil-timers";
    static final String TIMER_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:vigil-timer:live";
    static final String ROLE_ARN = "arn:aws:iam::123456789012:role/vigil-scheduler";

    @TempDir
    Path dir;

    Moto moto;
    MotoAccount account;
    SqsClient sqs;
    SnsClient sns;
    SchedulerClient scheduler;
    String topic;
    String inbox;
    TestClock clock;
    Wiring wiring;
    Invocations invocations;
    final List<String> problems = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(Moto m) throws Exception {
        moto = m;
        account = new MotoAccount(m);
        sqs = m.sqs(MotoAccount.REGION);
        sns = m.sns(MotoAccount.REGION);
        scheduler = m.scheduler(MotoAccount.REGION);
        try (var dynamo = StateClients.dynamo(MotoAccount.REGION, m.endpoint(), Moto.CREDS)) {
            DynamoStore.createTable(dynamo, TABLE);
        }
        scheduler.createScheduleGroup(b -> b.name(GROUP));
        // the findings topic, with a queue subscribed to see what was published
        topic = sns.createTopic(b -> b.name("vigil-security")).topicArn();
        inbox = sqs.createQueue(b -> b.queueName("inbox")).queueUrl();
        String inboxArn = sqs.getQueueAttributes(b -> b.queueUrl(inbox).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(inboxArn).attributes(Map.of("RawMessageDelivery", "true")));
    }

    void wire(Instant now, String policyText) throws Exception {
        clock = new TestClock(now);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, policyText.replace("TOPIC", topic));
        LambdaSettings settings = new LambdaSettings(TABLE, GROUP, TIMER_ARN, ROLE_ARN, topic, policy, MotoAccount.REGION.id(), moto.endpoint());
        Wiring.InventorySource describe = w -> {
            StaticInventory inv = StaticInventory.empty();
            Ec2Inventory.load(account.ec2, MotoAccount.REGION.id(), inv, w.problems);
            return inv;
        };
        wiring = new Wiring(settings, Policies.load(policy), StoreFactory.production(settings, Moto.CREDS, clock), Moto.CREDS, k -> null,
                clock, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (where, msg) -> problems.add(where + ": " + msg),
                describe);
        invocations = new Invocations(wiring);
    }

    @AfterEach
    void close() {
        if (wiring != null) wiring.close();
        scheduler.close();
        sns.close();
        sqs.close();
        account.ec2.close();
    }

    /** The messages the findings topic delivered to the subscribed queue. */
    List<String> published() {
        List<String> out = new ArrayList<>();
        while (true) {
            var got = sqs.receiveMessage(b -> b.queueUrl(inbox).maxNumberOfMessages(10)).messages();
            if (got.isEmpty()) return out;
            for (var msg : got) {
                out.add(msg.body());
                sqs.deleteMessage(b -> b.queueUrl(inbox).receiptHandle(msg.receiptHandle()));
            }
        }
    }

    @Test
    void anSqsBatchRevokesTheAddedRulesQuarantinesTheSubnetOnceAndARedeliveryRepeatsNothing() throws Exception {
        wire(Instant.parse("2024-07-02T14:00:00Z"), """
                version: 1
                targets:
                  sec: {type: sns, topic-arn: TOPIC}
                policies:
                  - name: groups
                    detector: sg-guard
                    params: {protected-groups: {names: [db-admin]}}
                    responses:
                      "*": [notify]
                      sg-ingress-changed: [revoke-ingress, notify]
                      sg-open-to-world: [revoke-world-open, notify]
                    notify: [sec]
                  - name: guardduty
                    detector: guardduty-responder
                    params: {finding-types: ["CryptoCurrency:EC2/*"], min-severity: medium}
                    responses:
                      guardduty-finding: [quarantine-subnet]
                """);
        String contractor = account.authorizeIngress(account.dbAdmin, 5432, "203.0.113.0/24");
        List<String> bodies = new ArrayList<>(account.sgGuardEvents(contractor, account.sshWorldRule));
        for (int i = 0; i < 4; i++) bodies.add(account.guardDutyFinding(i % 2 == 0 ? account.web1 : account.web2, "fa" + i));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) ids.add("m-" + i);
        String before = account.aclOf(account.subnetA).networkAclId();

        JsonNode reply = LambdaHarness.invoke(new SqsHandler(invocations), SqsHandlerTest.batch(ids, bodies));
        assertThat(reply.path("batchItemFailures")).as(reply + "\n" + String.join("\n", problems)).isEmpty();

        assertThat(account.ingress(account.dbAdmin)).containsExactly("5432 10.20.0.0/16");
        assertThat(account.ingress(account.web)).containsExactly("443 10.20.0.0/16");
        assertThat(account.quarantineAcls()).hasSize(1);
        assertThat(account.aclOf(account.subnetA).networkAclId()).isEqualTo(account.quarantineAcls().get(0).networkAclId());
        assertThat(account.aclOf(account.subnetB).networkAclId()).isEqualTo(before);
        List<String> sent = published();
        assertThat(sent).anySatisfy(b -> assertThat(b).contains("sg-open-to-world"));
        assertThat(sent).anySatisfy(b -> assertThat(b).contains("sg-ingress-changed"));

        // another instance of the function, the same batch again (SQS delivers at least once): nothing repeated
        wiring.close();
        wire(clock.instant(), Files.readString(dir.resolve("policy.yaml")));
        String world = account.authorizeIngress(account.web, 22, "0.0.0.0/0"); // put back by hand meanwhile
        reply = LambdaHarness.invoke(new SqsHandler(invocations), SqsHandlerTest.batch(ids, bodies));
        assertThat(reply.path("batchItemFailures")).isEmpty();
        assertThat(wiring.metrics.duplicates()).isEqualTo(bodies.size());
        assertThat(account.ingress(account.web)).as("not revoked again: " + world).contains("22 0.0.0.0/0");
        assertThat(published()).isEmpty();
        assertThat(account.quarantineAcls()).hasSize(1);
    }

    @Test
    void anSshBanIsAScheduleInSchedulerAndItsFiringRemovesTheDenyEntry() throws Exception {
        wire(Instant.parse("2024-05-01T10:02:00Z"), """
                version: 1
                policies:
                  - name: ssh
                    detector: ssh-intrusion
                    params:
                      strategy: block
                      block-source: {ban-time: 1h}
                    responses:
                      ssh-brute-force: [block-source]
                      ssh-ban-expired: [unblock-source]
                """);
        JsonNode reply = LambdaHarness.invoke(new LogsHandler(invocations), S3AndLogsHandlersTest.awslogs(account.sshLogs(account.app1)));
        assertThat(problems).isEmpty();
        assertThat(account.inboundDenies(account.subnetB)).as(reply.toString()).singleElement()
                .satisfies(e -> assertThat(e).endsWith(" 198.51.100.77/32"));

        // the ban's end, a one-time schedule (the detector also sets one for each source its other rules would ban,
        // which this policy does not act on: their firing finds nothing to unblock)
        var schedules = scheduler.listSchedules(b -> b.groupName(GROUP)).schedules().stream()
                .filter(x -> x.name().contains("198.51.100.77")).toList();
        assertThat(schedules).hasSize(1);
        var s = scheduler.getSchedule(b -> b.groupName(GROUP).name(schedules.get(0).name()));
        assertThat(s.scheduleExpression()).isEqualTo("at(2024-05-01T11:01:06)");
        assertThat(s.target().arn()).isEqualTo(TIMER_ARN);

        // Scheduler fires it (and deletes it, ActionAfterCompletion DELETE): the timer function gets its input
        clock.set(Instant.parse("2024-05-01T11:01:07Z"));
        scheduler.deleteSchedule(b -> b.groupName(GROUP).name(s.name()));
        reply = LambdaHarness.invoke(new TimerHandler(invocations), s.target().input(), "req-timer-1");
        assertThat(reply.path("fired").asBoolean()).as(reply + "\n" + problems).isTrue();
        assertThat(account.inboundDenies(account.subnetB)).isEmpty();
        // delivered twice: nothing more
        reply = LambdaHarness.invoke(new TimerHandler(invocations), s.target().input(), "req-timer-2");
        assertThat(reply.path("fired").asBoolean()).isFalse();
    }
}
