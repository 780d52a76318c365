package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.aws.Ec2Stub;
import dev.vigil.cli.Main;
import dev.vigil.core.finding.Finding;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.store.ActionRecord;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.LocalSqs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil actions} and {@code vigil undo} over a store the daemon wrote; {@code /healthz} and {@code /metrics}. */
class UndoAndEndpointsTest {
    static final String POLICY = """
            version: 1
            policies:
              - name: world
                detector: sg-guard
                responses:
                  sg-open-to-world: [revoke-world-open]
            """;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void aRevokeIsListedUndoneOnceByReAuthorizingTheExactRuleAndTheUndoIsRecorded() throws Exception {
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, POLICY);
        Path store = dir.resolve("vigil.db");
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start()) {
            aws.answer("RevokeSecurityGroupIngress", 200, Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"))
                    .answer("AuthorizeSecurityGroupIngress", 200, Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "authorize_security_group_ingress.xml"));
            String q = sqs.queue("undo", 30);
            sqs.send(q, List.of(CrashRecoveryTest.event(0)));
            try (LiveRuntime rt = new LiveRuntime(Policies.load(policy), new LiveRuntime.Options(q, List.of(), false, store, List.of(),
                    aws.endpoint(), "eu-west-1", null, 0, false, true, 0, LocalSqs.CREDS, sqs.endpoint), Clock.systemUTC(), k -> null,
                    new ReportWriter() {
                        @Override
                        public void finding(Finding f) {}

                        @Override
                        public void summary(RunSummary s) {}
                    }, (a, b) -> {})) {
                rt.daemon().run();
                // the endpoints, while the daemon's runtime is up
                HttpClient http = HttpClient.newHttpClient();
                var metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
                assertThat(metrics.body()).contains("vigil_events_total 1.0\n", "vigil_findings_total{severity=\"high\"} 1.0\n",
                        "vigil_actions_total{status=\"applied\",type=\"revoke-world-open\"} 1.0\n", "vigil_first_call_seconds_count 1\n", "vigil_first_call_answered_seconds_count 1\n");
                var health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).isEqualTo("ok\n");
            }
            aws.server.resetRequests();

            Run list = cli("actions", "--store", store.toString());
            assertThat(list.exit()).isZero();
            assertThat(list.out()).contains("revoke-world-open", "applied", "undoable");
            long id;
            try (SqliteStore s = SqliteStore.open(store, Clock.systemUTC())) {
                id = s.actions(10).get(0).id();
            }
            System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
            System.setProperty("aws.secretAccessKey", "example-secret");
            try {
                Run undo = cli("undo", Long.toString(id), "--store", store.toString(), "--endpoint-url", aws.endpoint().toString());
                assertThat(undo.exit()).as(undo.err()).isZero();
                assertThat(undo.out()).contains("applied");
                assertThat(aws.sent()).containsExactly(Map.of("Action", "AuthorizeSecurityGroupIngress", "Version", "2016-11-15",
                        "GroupId", "sg-00000000000100000", "IpPermissions.1.IpProtocol", "tcp", "IpPermissions.1.FromPort", "22",
                        "IpPermissions.1.ToPort", "22", "IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0",
                        "IpPermissions.1.IpRanges.1.Description", "contractor VPN"));
                Run again = cli("undo", Long.toString(id), "--store", store.toString(), "--endpoint-url", aws.endpoint().toString());
                assertThat(again.exit()).isEqualTo(2);
                assertThat(again.err()).contains("already undone");
                assertThat(aws.sent()).hasSize(1);
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
            try (SqliteStore s = SqliteStore.open(store, Clock.systemUTC())) {
                ActionRecord original = s.action(id).orElseThrow();
                assertThat(original.undoneBy()).isNotNull();
                ActionRecord undo = s.action(original.undoneBy()).orElseThrow();
                assertThat(undo.type()).isEqualTo("undo");
                assertThat(undo.status()).isEqualTo("applied");
                assertThat(undo.undoes()).isEqualTo(id);
            }
            Run missing = cli("undo", "999", "--store", store.toString());
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err()).contains("no action 999");
        }
    }
}
