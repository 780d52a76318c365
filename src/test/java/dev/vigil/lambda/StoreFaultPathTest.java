package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.live.CrashEvents;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.FaultyStore;
import dev.vigil.testing.FaultyStore.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's design step, on the function's real path (the SQS handler, the use case, SQLite under a store that fails
 * on demand, EC2 and Slack at local stubs): a store failure inside a response (saving the finding, claiming the
 * action in the ledger, completing the claim, marking the event processed) is not a rule bug: the message comes back
 * (a batch item failure), nothing is marked processed, no rule error is counted; once the fault clears, the
 * redelivered message ends with the finding recorded once, the revoke applied once at EC2 (and recorded as applied,
 * with its undo) and the notification sent once.
 */
class StoreFaultPathTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Point.class, names = {"SAVE", "CLAIM", "COMPLETE", "MARK_PROCESSED"})
    void aStoreFaultInsideTheResponseBringsTheMessageBackAndTheRetryActsOnce(Point fault) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
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
        try (SqliteStore sqlite = SqliteStore.open(dir.resolve("vigil.db"), clock)) {
            FaultyStore store = new FaultyStore(sqlite);
            try (LambdaHarness h = new LambdaHarness(dir, clock, policy, store)) {
                String body = CrashEvents.worldOpen(7);
                SqsHandler handler = new SqsHandler(h.invocations);
                store.fail(fault, 1_000); // lasting through the invocation (its housekeeping tick tries the work again)
                JsonNode reply = LambdaHarness.invoke(handler, SqsHandlerTest.batch(List.of("m-7"), List.of(body)));
                assertThat(store.thrown(fault)).isPositive();
                assertThat(reply.path("batchItemFailures").findValuesAsText("itemIdentifier")).as("the message comes back").containsExactly("m-7");
                assertThat(sqlite.processedCount()).as("nothing marked processed").isZero();
                assertThat(h.wiring.metrics.prometheus()).doesNotContain("vigil_errors_total{kind=\"rule\"}");
                assertThat(h.problems).noneSatisfy(p -> assertThat(p).contains("failed: IllegalStateException"));

                // the fault clears; SQS delivers the message again
                store.fail(fault, 0);
                reply = LambdaHarness.invoke(handler, SqsHandlerTest.batch(List.of("m-7"), List.of(body)));
                assertThat(reply.path("batchItemFailures")).isEmpty();
                assertThat(sqlite.processedCount()).isEqualTo(1);
                assertThat(sqlite.findingCount()).as("the finding recorded once").isEqualTo(1);
                assertThat(h.sent("RevokeSecurityGroupIngress")).as("the revoke applied once").hasSize(1);
                assertThat(h.slack.received).as("the notification sent once").hasSize(1);
                Finding f = sqlite.recent(1).get(0);
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
                assertThat(sqlite.findingCount()).isEqualTo(1);
            }
        }
    }
}
