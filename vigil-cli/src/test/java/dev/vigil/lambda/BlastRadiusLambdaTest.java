package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.aws.dynamo.DynamoSettings;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.live.BlastRadiusWallClockTest;
import dev.vigil.testing.Moto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The blast radius in the Lambda functions: counted in the function's wall clock from the DynamoDB table (on moto),
 * so old events get no more than the limit per real hour, and another function instance (a cold start, or one
 * running beside it) sees what the first applied.
 */
@ExtendWith(Moto.class)
class BlastRadiusLambdaTest {
    @TempDir
    Path dir;

    @Test
    void tenOldEventsGiveThreeRevokesAndSevenHeldAndAnotherInstanceKeepsTheCount(Moto moto) throws Exception {
        DynamoDbClient client = moto.dynamo();
        DynamoStore.createTable(client, "vigil-blast");
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        DynamoSettings settings = DynamoSettings.defaults().withClock(clock);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                live:
                  blast-radius: {max-actions: 3, per: 1h}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open]
                """);
        try (LambdaHarness a = new LambdaHarness(dir.resolve("a"), clock, policy, new DynamoStore(client, "vigil-blast", settings))) {
            // two invocations of one instance: 4 then 6 old events
            invoke(a, BlastRadiusWallClockTest.worldOpen(0, 4), 0);
            invoke(a, BlastRadiusWallClockTest.worldOpen(4, 10), 4);
            assertThat(a.sent("RevokeSecurityGroupIngress")).hasSize(3);
            List<JsonNode> actions = new ArrayList<>();
            for (JsonNode f : a.findings()) f.path("actions").forEach(actions::add);
            assertThat(actions).hasSize(10);
            assertThat(actions.stream().filter(x -> x.path("status").asText().equals("applied"))).hasSize(3);
            assertThat(actions.stream().filter(x -> x.path("status").asText().equals("skipped")))
                    .hasSize(7).allSatisfy(x -> assertThat(x.path("detail").asText()).startsWith("approval needed: blast-radius limit of 3"));

            // another instance on the same table, 10 minutes later: still held
            clock.set(clock.instant().plus(Duration.ofMinutes(10)));
            try (LambdaHarness b = new LambdaHarness(dir.resolve("b"), clock, policy, new DynamoStore(client, "vigil-blast", settings))) {
                invoke(b, BlastRadiusWallClockTest.worldOpen(10, 13), 10);
                assertThat(b.sent("RevokeSecurityGroupIngress")).isEmpty();
                // past the hour by the wall clock: both instances may act again, and one sees the other's action
                clock.set(clock.instant().plus(Duration.ofMinutes(51)));
                invoke(b, BlastRadiusWallClockTest.worldOpen(13, 15), 13);
                assertThat(b.sent("RevokeSecurityGroupIngress")).hasSize(2);
                invoke(a, BlastRadiusWallClockTest.worldOpen(15, 18), 15);
                assertThat(a.sent("RevokeSecurityGroupIngress")).as("3 before, 1 more: b's 2 count for the warm instance too").hasSize(4);
            }
        }
    }

    private static void invoke(LambdaHarness h, List<String> bodies, int first) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) ids.add("m-" + (first + i));
        JsonNode reply = LambdaHarness.invoke(new SqsHandler(h.invocations), SqsHandlerTest.batch(ids, bodies));
        assertThat(reply.path("batchItemFailures")).isEmpty();
    }
}
