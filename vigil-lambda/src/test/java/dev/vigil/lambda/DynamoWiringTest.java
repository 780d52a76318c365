package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.aws.dynamo.DynamoSettings;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.testing.LocalSqs;
import dev.vigil.testing.Moto;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The production store: the factory from the template's environment, and the handlers over DynamoDB on moto. */
@ExtendWith(Moto.class)
class DynamoWiringTest {
    static Moto moto;
    static DynamoDbClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(Moto server) {
        moto = server;
        client = server.dynamo();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    static Map<String, String> env(String table) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_TABLE", table);
        env.put("VIGIL_SCHEDULE_GROUP", "vigil-timers");
        env.put("VIGIL_TIMER_FUNCTION_ARN", LambdaHarness.TIMER_ARN);
        env.put("VIGIL_SCHEDULER_ROLE_ARN", "arn:aws:iam::111122223333:role/vigil-scheduler");
        env.put("VIGIL_TOPIC_ARN", LambdaHarness.TOPIC);
        env.put("AWS_REGION", "eu-west-1");
        env.put("VIGIL_ENDPOINT_URL", moto.endpoint().toString());
        return env;
    }

    @Test
    void theSettingsComeFromTheTemplatesVariables() {
        LambdaSettings s = LambdaSettings.from(env("t")::get);
        assertThat(s.policy()).isEqualTo(Path.of("/var/task/vigil-policy.yaml"));
        assertThat(s.account()).isEqualTo("111122223333");
        assertThat(s.region()).isEqualTo("eu-west-1");
        assertThat(LambdaSettings.from(Map.of("VIGIL_POLICY", "/opt/p.yaml")::get).policy()).isEqualTo(Path.of("/opt/p.yaml"));
        assertThat(LambdaSettings.from(Map.<String, String>of()::get).region()).isEqualTo("us-east-1");
    }

    @Test
    void theFactoryNamesAMissingVariable() {
        Map<String, String> env = env("t");
        env.remove("VIGIL_SCHEDULER_ROLE_ARN");
        assertThatThrownBy(() -> StoreFactory.production(LambdaSettings.from(env::get), LocalSqs.CREDS, Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("environment variable VIGIL_SCHEDULER_ROLE_ARN is not set (the deployment template sets it)");
    }

    @Test
    void theFactoryBuildsTheDynamoStore() throws Exception {
        DynamoStore.createTable(client, "vigil-factory");
        // moto keeps its state per account and region: the region of the test's own client
        Map<String, String> env = env("vigil-factory");
        env.put("AWS_REGION", "us-east-1");
        StoreFactory.Store s = StoreFactory.production(LambdaSettings.from(env::get),
                Moto.CREDS, Clock.systemUTC());
        try {
            assertThat(s.store()).isInstanceOf(DynamoStore.class);
            assertThat(s.store().name()).isEqualTo("vigil-factory");
            assertThat(s.store().markFirst("k1", Instant.parse("2026-01-01T00:00:00Z"))).isTrue();
            assertThat(s.store().isProcessed("k1")).isTrue();
        } finally {
            s.resources().close();
        }
    }

    @Test
    void theHandlersOnDynamoDbRepeatNothingOnRedelivery() throws Exception {
        DynamoStore.createTable(client, "vigil-handlers");
        Clock clock = Clock.fixed(Instant.parse("2024-07-02T14:00:00Z"), ZoneOffset.UTC);
        // the items' TTL (from this 2024 clock) is years behind the wall clock: DynamoDB would sweep them eventually,
        // moto never; the store judges expiry by its own clock, so the redelivery below is still a duplicate
        DynamoSettings settings = DynamoSettings.defaults().withClock(clock);
        DynamoStore state = new DynamoStore(client, "vigil-handlers", settings);
        try (LambdaHarness h = new LambdaHarness(dir, clock, Path.of("examples/policy.yaml"), state)) {
            List<String> bodies = new ArrayList<>(EventsHandlerTest.events("examples/sg-guard/eventbridge-sg-calls.json"));
            bodies.add("not an event");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) ids.add("m-" + i);
            SqsHandler sqs = new SqsHandler(h.invocations);
            JsonNode reply = LambdaHarness.invoke(sqs, SqsHandlerTest.batch(ids, bodies));
            assertThat(reply.path("batchItemFailures")).isEmpty();
            assertThat(h.sent("RevokeSecurityGroupIngress")).hasSize(2);
            assertThat(state.recent(10)).isNotEmpty();
            int posts = h.slack.received.size();
            assertThat(posts).isPositive();

            // another function instance (a new cold start: a new store, the same table) gets the same batch again
            DynamoStore again = new DynamoStore(client, "vigil-handlers", settings);
            try (LambdaHarness h2 = new LambdaHarness(dir.resolve("2"), clock, Path.of("examples/policy.yaml"), again)) {
                reply = LambdaHarness.invoke(new SqsHandler(h2.invocations), SqsHandlerTest.batch(ids, bodies));
                assertThat(reply.path("batchItemFailures")).isEmpty();
                assertThat(h2.sent("RevokeSecurityGroupIngress")).isEmpty();
                assertThat(h2.slack.received).isEmpty();
                assertThat(h2.wiring.metrics.duplicates()).isEqualTo(bodies.size() - 1);
            }
        }
    }
}
