package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.aws.dynamo.StateClients;
import dev.vigil.cli.Main;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * {@code vigil findings}, {@code vigil actions} and {@code vigil undo} on the Lambda deployment's table, found by name
 * ({@code --table}) or through the stack's outputs ({@code --stack}), all on moto: the functions record a revoke, the
 * operator lists it and undoes it once, and the rule is back in EC2.
 */
@ExtendWith(Moto.class)
class DeploymentOperationsTest {
    static final String TABLE = "vigil-prod-state";
    static final String NOW = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();

    @TempDir
    Path dir;

    Moto moto;
    MotoAccount account;

    record Run(int exit, String out, String err) {}

    Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--endpoint-url", moto.endpoint().toString(), "--region", MotoAccount.REGION.id()));
            int code = Main.run(all.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            System.setOut(o);
            System.setErr(e);
        }
    }

    @BeforeEach
    void setUp(Moto m) throws Exception {
        moto = m;
        account = new MotoAccount(m);
        try (var dynamo = StateClients.dynamo(MotoAccount.REGION, m.endpoint(), Moto.CREDS)) {
            DynamoStore.createTable(dynamo, TABLE);
        }
        // the functions handle the sg-guard example: SSH opened to the world, revoked
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                policies:
                  - name: groups
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open]
                """);
        LambdaSettings settings = new LambdaSettings(TABLE, "vigil-timers", "arn:aws:lambda:eu-west-1:123456789012:function:vigil-timer:live",
                "arn:aws:iam::123456789012:role/vigil-scheduler", null, policy, MotoAccount.REGION.id(), m.endpoint());
        try (Wiring w = new Wiring(settings, Policies.load(policy), StoreFactory.production(settings, Moto.CREDS, Clock.systemUTC()),
                Moto.CREDS, k -> null, Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                (where, msg) -> {}, x -> {
                    StaticInventory inv = StaticInventory.empty();
                    Ec2Inventory.load(account.ec2, MotoAccount.REGION.id(), inv, x.problems);
                    return inv;
                })) {
            List<String> events = account.sgGuardEvents("sgr-00000000000000000", account.sshWorldRule);
            // today's (the table's findings are listed by day from the wall clock back, 31 days by default)
            JsonNode reply = LambdaHarness.invoke(new EventsHandler(new Invocations(w)), events.get(1).replace("2024-07-02T11:40:51Z", NOW));
            assertThat(reply.toString()).doesNotContain("error");
        }
        assertThat(account.ingress(account.web)).containsExactly("443 10.20.0.0/16");
    }

    @AfterEach
    void close() {
        account.ec2.close();
    }

    @Test
    void findingsAndActionsListTheTableAndUndoReversesOnce() throws Exception {
        Run findings = cli("findings", "--table", TABLE);
        assertThat(findings.exit()).as(findings.err()).isZero();
        String[] lines = findings.out().split("\n");
        assertThat(lines[0]).isEqualTo("TIME  ID  SEVERITY  RULE  RESOURCE  SUMMARY");
        lines = java.util.Arrays.copyOfRange(lines, 1, lines.length);
        assertThat(lines[0]).matches(NOW + "  [0-9a-f]{16}  (critical|high)  sg-open-to-world  " + account.web + "  .*");
        assertThat(lines[1]).startsWith("    revoke-world-open " + account.web + ": applied (");

        Run actions = cli("actions", "--table", TABLE);
        assertThat(actions.exit()).as(actions.err()).isZero();
        String findingId = lines[0].split("  ")[1];
        String id = findingId + ".1";
        assertThat(actions.out()).startsWith("ID  TIME  TYPE  TARGET  STATUS  UNDO  DETAIL\n" + id + "  " + NOW + "  revoke-world-open  " + account.web + "  applied  undoable  ");
        Run json = cli("actions", "--table", TABLE, "--format", "json");
        assertThat(json.out()).contains("\"id\":\"" + id + "\"", "\"undone_by\":null", "\"region\":\"eu-west-1\"");

        Run undo = cli("undo", id, "--table", TABLE);
        assertThat(undo.exit()).as(undo.err() + undo.out()).isZero();
        assertThat(undo.out()).startsWith("action " + id + " (revoke-world-open " + account.web + "): applied: ");
        assertThat(account.ingress(account.web)).containsExactly("22 0.0.0.0/0", "443 10.20.0.0/16");

        Run again = cli("undo", id, "--table", TABLE);
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("already undone");
        assertThat(account.ingress(account.web)).hasSize(2);
        assertThat(cli("actions", "--table", TABLE).out()).contains("  applied  undone by undo:" + id + "  ");
        // undo re-arms: the action's own claim is gone from the table's ledger, so the next incident acts again
        try (var dynamo = StateClients.dynamo(MotoAccount.REGION, moto.endpoint(), Moto.CREDS)) {
            DynamoStore table = new DynamoStore(dynamo, TABLE);
            var recorded = new dev.vigil.aws.dynamo.RecordedActions(table).find(id).orElseThrow();
            assertThat(recorded.result().idempotencyKey()).isNotNull();
            assertThat(table.claimOf(recorded.result().idempotencyKey())).isEmpty();
            assertThat(table.claim(recorded.result().idempotencyKey(), "groups", "sg-open-to-world", java.time.Instant.now())).isEmpty();
        }

        assertThat(cli("undo", "0123456789abcdef.1", "--table", TABLE).err()).contains("no action 0123456789abcdef.1 in table " + TABLE);
        assertThat(cli("undo", "not-an-id", "--table", TABLE).exit()).isEqualTo(2);
    }

    @Test
    void theStackNameFindsTheTableThroughItsOutputs() {
        try (CloudFormationClient cfn = CloudFormationClient.builder().region(MotoAccount.REGION).endpointOverride(moto.endpoint())
                .credentialsProvider(Moto.CREDS).httpClient(UrlConnectionHttpClient.create()).build()) {
            // a stand-in for the deployed stack: moto does not run Lambda, so the stack only carries the output
            cfn.createStack(b -> b.stackName("vigil-prod").templateBody("""
                    {"Resources": {"Nothing": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
                     "Outputs": {"StateTableName": {"Value": "%s"}}}""".formatted(TABLE)));
            cfn.createStack(b -> b.stackName("other").templateBody("""
                    {"Resources": {"Nothing": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}, "Outputs": {"X": {"Value": "y"}}}"""));
        }
        Run actions = cli("actions", "--stack", "vigil-prod");
        assertThat(actions.exit()).as(actions.err()).isZero();
        assertThat(actions.out()).contains("revoke-world-open  " + account.web + "  applied  undoable");
        String id = actions.out().lines().skip(1).findFirst().orElseThrow().split("  ")[0]; // below the header
        Run undo = cli("undo", id, "--stack", "vigil-prod");
        assertThat(undo.exit()).as(undo.err() + undo.out()).isZero();
        assertThat(account.ingress(account.web)).containsExactly("22 0.0.0.0/0", "443 10.20.0.0/16");
        assertThat(cli("findings", "--stack", "vigil-prod").out()).contains("sg-open-to-world");

        Run notVigil = cli("findings", "--stack", "other");
        assertThat(notVigil.exit()).isEqualTo(2);
        assertThat(notVigil.err()).contains("stack other has no output StateTableName");
        Run absent = cli("findings", "--stack", "nope");
        assertThat(absent.exit()).isEqualTo(2);
        assertThat(absent.err()).startsWith("vigil: cloudformation DescribeStacks nope: ");
        assertThat(cli("findings", "--stack", "vigil-prod", "--table", TABLE).err()).contains("not both");
    }
}
