package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.aws.dynamo.DynamoSettings;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.store.RuntimeStore;
import dev.vigil.live.CrashEvents;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.FaultyStore;
import dev.vigil.testing.FaultyStore.Point;
import dev.vigil.testing.Moto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Issue 16's design step and a first part of its fault-injection suite, on the function's real path (the SQS handler,
 * the use case, the real store under a wrapper that fails on demand: SQLite, and the DynamoDB store on moto; EC2 and
 * Slack at local stubs): a store failure inside a response (saving the finding, claiming the action in the ledger,
 * completing the claim, marking the event processed) is not a rule bug: the message comes back (a batch item
 * failure), nothing is marked processed, no rule error is counted; once the fault clears, the redelivered message
 * ends with the finding recorded once, the revoke applied once at EC2 (recorded as applied, with its undo) and the
 * notification sent once. With a kill at the fault point (a new instance, on the same store, gets the message) the
 * revoke is still applied once and the finding recorded once, the revoke recorded as applied with its undo, and the
 * ledger's claim completed with that outcome for that finding: where the killed instance had applied the revoke but
 * not recorded its finding (the SAVE rows), from the outcome its claim kept; where it was cut short before the claim's
 * completion, from the account's look-up; on DynamoDB a claim whose lease has not yet run out brings the message back
 * ({@code ClaimHeldElsewhere}) until it has. The table of fault points and outcomes is printed after the run.
 */
@ExtendWith(Moto.class)
class StoreFaultPathTest {
    static DynamoDbClient dynamo;
    static final List<String> TABLE = new ArrayList<>();
    static int tables;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(Moto moto) {
        dynamo = moto.dynamo();
    }

    @AfterAll
    static void table() {
        dynamo.close();
        System.out.println("\nfault-injection table (StoreFaultPathTest): one message opening a group to the world; revoke + Slack");
        System.out.printf("%-13s | %-14s | %-12s | %-22s | %-19s | %-14s | %-13s%n", "store", "fault point", "message back",
                "marked/saved at fault", "findings after", "revokes at EC2", "notifications");
        TABLE.forEach(System.out::println);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (boolean restart : List.of(false, true)) {
            for (String store : List.of("sqlite", "dynamodb")) {
                for (Point p : List.of(Point.SAVE, Point.CLAIM, Point.COMPLETE, Point.MARK_PROCESSED)) out.add(Arguments.of(store, p, restart));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} restart={2}")
    @MethodSource("cases")
    void aStoreFaultInsideTheResponseBringsTheMessageBackAndTheRetryActsOnce(String kind, Point fault, boolean restart) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2024-07-02T12:00:00Z")); // the day of the events: the table lists findings by day back from it
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                targets:
                  slack: {type: slack, webhook-url-env: VIGIL_SLACK_WEBHOOK}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open, notify]
                    notify: [slack]
                """);
        SqliteStore sqlite = null;
        RuntimeStore real;
        if (kind.equals("sqlite")) {
            real = sqlite = SqliteStore.open(dir.resolve("vigil.db"), clock);
        } else {
            String table = "vigil-faults-" + (tables++);
            DynamoStore.createTable(dynamo, table);
            real = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock));
        }
        String tableName = real.name();
        FaultyStore store = new FaultyStore(real);
        try (LambdaHarness h = new LambdaHarness(dir, clock, policy, store)) {
            String body = CrashEvents.worldOpen(7);
            SqsHandler handler = new SqsHandler(h.invocations);
            store.fail(fault, 1_000); // lasting through the invocation (its housekeeping tick tries the work again)
            JsonNode reply = LambdaHarness.invoke(handler, SqsHandlerTest.batch(List.of("m-7"), List.of(body)));
            assertThat(store.thrown(fault)).isPositive();
            List<String> back = reply.path("batchItemFailures").findValuesAsText("itemIdentifier");
            int markedAtFault = store.marked();
            int savedAtFault = store.saved();
            assertThat(back).as("the message comes back").containsExactly("m-7");
            assertThat(markedAtFault).as("nothing marked processed").isZero();
            assertThat(h.wiring.metrics.prometheus()).doesNotContain("vigil_errors_total{kind=\"rule\"}");
            assertThat(h.problems).noneSatisfy(p -> assertThat(p).contains("failed: IllegalStateException"));

            // the fault clears; SQS delivers the message again (to this instance, or after a restart to a new one, which
            // knows nothing of the work the fault cut short)
            store.fail(fault, 0);
            if (restart) {
                if (sqlite != null) {
                    sqlite.close();
                    real = sqlite = SqliteStore.open(dir.resolve("vigil.db"), clock); // claims in progress: interrupted
                } else {
                    real = new DynamoStore(dynamo, tableName, DynamoSettings.defaults().withClock(clock));
                }
                FaultyStore again = new FaultyStore(real);
                try (LambdaHarness h2 = new LambdaHarness(dir.resolve("2"), clock, policy, again)) {
                    // the look-up of an interrupted revoke: the rule is gone (EC2 answers no rules for the group)
                    h2.aws.answer("DescribeSecurityGroupRules", 200, "<DescribeSecurityGroupRulesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                            + "<requestId>r-1</requestId><securityGroupRuleSet/></DescribeSecurityGroupRulesResponse>");
                    SqsHandler handler2 = new SqsHandler(h2.invocations);
                    reply = LambdaHarness.invoke(handler2, SqsHandlerTest.batch(List.of("m-7"), List.of(body)));
                    if (kind.equals("dynamodb") && !reply.path("batchItemFailures").isEmpty()) {
                        // the dead instance's claim is in progress under its lease: neither taken for done nor done again,
                        // the message comes back until the lease runs out; then the claim is interrupted and checked
                        assertThat(h2.problems).anySatisfy(p -> assertThat(p).contains("ClaimHeldElsewhere"));
                        clock.set(clock.instant().plus(DynamoSettings.defaults().lease()).plusSeconds(1));
                        reply = LambdaHarness.invoke(handler2, SqsHandlerTest.batch(List.of("m-7"), List.of(body)));
                    }
                    assertThat(reply.path("batchItemFailures")).isEmpty();
                    int revokes = h.sent("RevokeSecurityGroupIngress").size() + h2.sent("RevokeSecurityGroupIngress").size();
                    int posts = h.slack.received.size() + h2.slack.received.size();
                    assertThat(revokes).as("never applied twice").isEqualTo(1);
                    assertThat(posts).as("notified at least once").isPositive();
                    assertThat(real.recent(10)).as("the finding recorded once").hasSize(1);
                    Finding f = real.recent(1).get(0);
                    ActionResult revoke = f.actions().stream().filter(a -> a.type().equals("revoke-world-open")).findFirst().orElseThrow();
                    ActionStatus st = revoke.status();
                    // the dead instance's revoke, found done: recorded with what it changed (its undo), not "already applied"
                    assertThat(st).as("recorded as applied").isEqualTo(ActionStatus.APPLIED);
                    assertThat(revoke.undo()).as("with its undo").containsEntry("Action", "AuthorizeSecurityGroupIngress");
                    assertThat(real.outcome(revoke.idempotencyKey(), f.id())).as("the claim completed with the outcome, for this finding")
                            .hasValueSatisfying(o -> assertThat(o.status()).isEqualTo(ActionStatus.APPLIED));
                    TABLE.add(String.format("%-13s | %-14s | %-12s | %-22s | %-19s | %-14s | %-13s", kind + "+kill", fault, back.isEmpty() ? "no" : "yes",
                            markedAtFault + "/" + savedAtFault, real.recent(10).size() + " (" + st.label() + ")", revokes, posts));
                }
                return;
            }
            reply = LambdaHarness.invoke(handler, SqsHandlerTest.batch(List.of("m-7"), List.of(body)));
            assertThat(reply.path("batchItemFailures")).isEmpty();
            assertThat(store.marked()).isEqualTo(1);
            assertThat(real.recent(10)).as("the finding recorded once").hasSize(1);
            assertThat(h.sent("RevokeSecurityGroupIngress")).as("the revoke applied once").hasSize(1);
            assertThat(h.slack.received).as("the notification sent once").hasSize(1);
            Finding f = real.recent(1).get(0);
            assertThat(f.actions()).anySatisfy(a -> {
                assertThat(a.type()).isEqualTo("revoke-world-open");
                assertThat(a.status()).as("recorded as applied, with what it changed").isEqualTo(ActionStatus.APPLIED);
                assertThat(a.undo()).isNotEmpty();
            });

            // and again (a late duplicate): nothing more
            reply = LambdaHarness.invoke(handler, SqsHandlerTest.batch(List.of("m-7"), List.of(body)));
            assertThat(reply.path("batchItemFailures")).isEmpty();
            assertThat(h.sent("RevokeSecurityGroupIngress")).hasSize(1);
            assertThat(h.slack.received).hasSize(1);
            assertThat(real.recent(10)).hasSize(1);
            TABLE.add(String.format("%-13s | %-14s | %-12s | %-22s | %-19s | %-14s | %-13s", kind, fault, back.isEmpty() ? "no" : "yes",
                    markedAtFault + "/" + savedAtFault, real.recent(10).size() + " (applied)", h.sent("RevokeSecurityGroupIngress").size(),
                    h.slack.received.size()));
        } finally {
            if (sqlite != null) sqlite.close();
        }
    }
}
