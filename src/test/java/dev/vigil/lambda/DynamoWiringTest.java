package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.aws.dynamo.DynamoLocal;
import dev.vigil.aws.dynamo.DynamoSettings;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.testing.LocalSqs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The production store: the factory from the template's environment, and the handlers over DynamoDB Local. */
class DynamoWiringTest {
    static DynamoLocal dynamo;
    static DynamoDbClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        dynamo = DynamoLocal.start();
        client = dynamo.client();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        dynamo.close();
    }

    static Map<String, String> env(String table) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_TABLE", table);
        env.put("VIGIL_SCHEDULE_GROUP", "vigil-timers");
        env.put("VIGIL_TIMER_FUNCTION_ARN", LambdaHarness.TIMER_ARN);
        env.put("VIGIL_SCHEDULER_ROLE_ARN", "arn:aws:iam::111122223333:role/vigil-scheduler");
        env.put("VIGIL_TOPIC_ARN", LambdaHarness.TOPIC);
        env.put("AWS_REGION", "eu-west-1");
        env.put("VIGIL_ENDPOINT_URL", dynamo.endpoint().toString());
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
        // DynamoDB Local keeps a database per access key and region: those of DynamoLocal's own client
        Map<String, String> env = env("vigil-factory");
        env.put("AWS_REGION", "us-east-1");
        StoreFactory.Store s = StoreFactory.production(LambdaSettings.from(env::get),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), Clock.systemUTC());
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
        // retention long enough that the items' TTL (from this 2024 clock) is still ahead of the wall clock: DynamoDB
        // Local sweeps items whose TTL is past in real time, and an event key swept between the deliveries reads as new
        DynamoSettings settings = DynamoSettings.defaults().withClock(clock).withEventRetention(Duration.ofDays(3650))
                .withFindingRetention(Duration.ofDays(3650));
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
