package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.replay.Replay;
import dev.vigil.replay.ReplayOptions;
import dev.vigil.testing.LocalSqs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same CloudTrail records through replay (a file) and through the daemon (EventBridge events on SQS, ElasticMQ)
 * give the same Sigma findings, correlations included: both run in event time.
 */
class SigmaReplayLiveParityTest {
    static final Path STRATUS = Path.of("../shared/corpus/stratus-red-team/docs/detonation-logs");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void replayAndTheDaemonAgree() throws Exception {
        assumeTrue(Files.isDirectory(STRATUS), "Stratus Red Team detonations not found at " + STRATUS.toAbsolutePath());
        // single-record rules and two correlations (distinct secrets read, distinct SecureString parameters decrypted)
        List<String> files = List.of("aws.credential-access.secretsmanager-retrieve-secrets.json", "aws.credential-access.ssm-retrieve-securestring-parameters.json",
                "aws.persistence.iam-backdoor-role.json", "aws.defense-evasion.cloudtrail-stop.json", "aws.exfiltration.ec2-share-ami.json");
        List<JsonNode> records = new ArrayList<>();
        for (String f : files) JSON.readTree(STRATUS.resolve(f).toFile()).forEach(records::add);
        // the daemon reads the queue in the order it was written; replay reads the file in order: the same order
        records.sort(java.util.Comparator.comparing(r -> r.path("eventTime").asText()));
        Path file = dir.resolve("records.json");
        Files.writeString(file, JSON.writeValueAsString(records));

        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                policies:
                  - name: sigma
                    detector: sigma
                    params:
                      rules: ['%s']
                    responses: {"*": []}
                """.formatted(Path.of("rules/aws").toAbsolutePath()));
        PolicySet set = Policies.load(policy);

        List<Finding> replayed = new ArrayList<>();
        new Replay(set, writer(replayed), (a, b) -> {}, Replay.Progress.NONE)
                .run(new ReplayOptions(null, List.of(), List.of(file), null, null, false, null, null));

        List<Finding> live = new CopyOnWriteArrayList<>();
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start()) {
            String q = sqs.queue("sigma", 30);
            List<String> bodies = new ArrayList<>();
            for (JsonNode r : records) {
                ObjectNode e = JSON.createObjectNode();
                e.put("version", "0");
                e.put("id", "eb-" + r.path("eventID").asText());
                e.put("detail-type", "AWS API Call via CloudTrail");
                e.put("source", "aws." + r.path("eventSource").asText().replace(".amazonaws.com", ""));
                e.put("account", r.path("recipientAccountId").asText("111122223333"));
                e.put("time", r.path("eventTime").asText());
                e.put("region", "us-east-1");
                e.putArray("resources");
                e.set("detail", r);
                bodies.add(JSON.writeValueAsString(e));
            }
            for (int i = 0; i < bodies.size(); i += 10) sqs.send(q, bodies.subList(i, Math.min(bodies.size(), i + 10)));
            LiveRuntime.Options o = new LiveRuntime.Options(q, List.of(), false, dir.resolve("vigil.db"), List.of(), aws.endpoint(), "us-east-1",
                    null, null, false, true, 0, LocalSqs.CREDS, sqs.endpoint);
            try (LiveRuntime rt = new LiveRuntime(set, o, Clock.systemUTC(), k -> null, writer(live), (a, b) -> {})) {
                rt.daemon().run();
            }
        }
        assertThat(replayed).extracting(Finding::rule).contains("vigil_secretsmanager_many_secrets_read", "vigil_ssm_many_secure_parameters_read",
                "vigil_iam_role_trust_allows_aws_principal", "vigil_ec2_ami_shared");
        // single-record rules: the same findings, exactly
        assertThat(summary(live, false)).containsExactlyInAnyOrderElementsOf(summary(replayed, false));
        // correlations: the same findings per rule and group; which events of the same minute make up each window can
        // differ, since a standard SQS queue does not keep the order messages were sent in (replay reads the file's order)
        assertThat(summary(live, true)).containsExactlyInAnyOrderElementsOf(summary(replayed, true));
    }

    private static List<String> summary(List<Finding> findings, boolean correlations) {
        return findings.stream().filter(f -> f.facts().containsKey("sigma.correlation") == correlations)
                .map(f -> correlations ? f.rule() + " " + f.resource() + " " + f.time().truncatedTo(java.time.temporal.ChronoUnit.MINUTES) : summary(List.of(f)).get(0))
                .toList();
    }

    private static List<String> summary(List<Finding> findings) {
        // events of the same second may come off the queue in another order than the file's: ids compared as a set
        return findings.stream().map(f -> f.rule() + " " + f.time() + " " + f.resource() + " " + new java.util.TreeSet<>(f.eventIds()) + " "
                + f.facts().get("sigma.count")).toList();
    }

    private static ReportWriter writer(List<Finding> into) {
        return new ReportWriter() {
            @Override
            public void finding(Finding f) {
                into.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
    }
}
