package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.aws.AccountRoutingExecutor;
import dev.vigil.aws.UndoableExecutor;
import dev.vigil.aws.dynamo.DynamoSettings;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.aws.dynamo.StateClients;
import dev.vigil.cli.Main;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.store.RuntimeStore;
import dev.vigil.metrics.Metrics;
import dev.vigil.notify.LocalHttp;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.Moto;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What became of a queued notification is written back into its finding: once the delivery worker has delivered it,
 * or given it up after its last retry, {@code vigil findings} shows {@code delivered} / {@code given-up} for that
 * target instead of {@code queued}; on the daemon's SQLite store and on the DynamoDB table (moto's server).
 */
@ExtendWith(Moto.class)
class NotifyOutcomeInFindingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sqliteFindingsShowDeliveredAndGivenUp() throws Exception {
        Path file = dir.resolve("vigil.db");
        try (SqliteStore store = SqliteStore.open(file, Clock.systemUTC())) {
            deliverThenCheck(store, List.of("findings", "--store", file.toString()));
        }
    }

    @Test
    void dynamoFindingsShowDeliveredAndGivenUp(Moto moto) throws Exception {
        String table = "vigil-notify-outcome";
        try (DynamoDbClient dynamo = StateClients.dynamo(Region.EU_WEST_1, moto.endpoint(), Moto.CREDS)) {
            DynamoStore.createTable(dynamo, table);
            DynamoStore store = new DynamoStore(dynamo, table, DynamoSettings.defaults());
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
            try {
                deliverThenCheck(store, List.of("findings", "--table", table, "--endpoint-url", moto.endpoint().toString(), "--region", "eu-west-1"));
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
        }
    }

    /** One finding queued for two targets: {@code up} answers, {@code unset} has no URL and fails every try at once. */
    private void deliverThenCheck(RuntimeStore store, List<String> findingsCommand) throws Exception {
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, """
                version: 1
                targets:
                  up: {type: webhook, url-env: UP_URL}
                  unset: {type: webhook, url-env: NOT_SET_URL}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [notify]
                    notify: [up, unset]
                """);
        try (LocalHttp up = new LocalHttp()) {
            Map<String, String> env = Map.of("UP_URL", up.url("/up"));
            PolicySet policies = Policies.load(policy);
            LiveActions wired = LiveActions.wire(policies, new NoAws(), "111122223333", "eu-west-1", null, null, env::get, new ArrayList<>(), true);
            List<Finding> recorded = new CopyOnWriteArrayList<>();
            List<String> problems = new CopyOnWriteArrayList<>();
            ReportWriter out = new ReportWriter() {
                @Override
                public void finding(Finding f) {
                    recorded.add(f);
                }

                @Override
                public void summary(RunSummary s) {}
            };
            LivePipeline pipeline = new LivePipeline(policies, store, wired.actions(), wired.notifications(), StaticInventory.empty(),
                    Clock.systemUTC(), new Metrics(), out, (where, msg) -> problems.add(where + ": " + msg));
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            pipeline.process("m-1", new ByteArrayInputStream(eventAt(now).getBytes(StandardCharsets.UTF_8)));
            pipeline.commit();
            assertThat(recorded).as("problems: %s", problems).hasSize(1);
            String id = recorded.get(0).id();
            assertThat(run(findingsCommand)).contains("notify up: queued (", "notify unset: queued (");

            now = Instant.now(); // the deliveries were queued due at once, by the wall clock
            assertThat(pipeline.deliverDue(now, "up", () -> false)).isEqualTo(1);
            pipeline.commit();
            assertThat(up.received).hasSize(1);
            assertThat(run(findingsCommand)).contains("notify up: delivered (notified up (webhook: ", "notify unset: queued (");

            int tries = 0;
            Instant t = now;
            while (!store.dueDeliveries(t.plus(Duration.ofDays(1)), "unset", 10).isEmpty() && tries < 20) {
                t = t.plus(Duration.ofHours(2)); // past any backoff (an hour at most)
                tries += pipeline.deliverDue(t, "unset", () -> false);
                pipeline.commit();
            }
            assertThat(tries).as("tries before it was given up").isBetween(LivePipeline.MAX_ATTEMPTS, LivePipeline.MAX_ATTEMPTS + 1);
            assertThat(problems).anyMatch(p -> p.startsWith("finding " + id + ": notify unset failed") && p.contains("given up"));
            String listed = run(findingsCommand);
            assertThat(listed).contains("notify up: delivered (notified up (webhook: ",
                    "notify unset: given-up (given up on unset after ").doesNotContain(": queued (");
            assertThat(listed).as("the reason, never the secret").contains("NOT_SET_URL");
            assertThat(pipeline.deliverDue(t.plus(Duration.ofDays(1)), "up", () -> false)).isZero();
            assertThat(up.received).as("delivered once").hasSize(1);
        }
    }

    /** The sg-guard example event, at {@code time} (the table's findings are listed by day back from today). */
    private static String eventAt(Instant time) throws Exception {
        ObjectNode e = (ObjectNode) JSON.readTree(CrashEvents.event(1, true));
        e.put("time", time.toString());
        ((ObjectNode) e.get("detail")).put("eventTime", time.toString());
        return e.toString();
    }

    private static String run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        assertThat(code).as("vigil %s: %s", args, err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Notifications only: no AWS client is ever asked for. */
    private static final class NoAws implements AccountRoutingExecutor.Clients {
        @Override
        public UndoableExecutor ec2(String account, String region) {
            throw new IllegalStateException("a notify-only policy makes no AWS call");
        }

        @Override
        public boolean assumesRoleIn(String account) {
            return false;
        }
    }
}
