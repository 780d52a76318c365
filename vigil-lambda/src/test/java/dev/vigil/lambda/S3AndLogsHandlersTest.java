package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3Handler (CloudTrail log files streamed from S3) and LogsHandler (CloudWatch Logs subscription payloads). */
class S3AndLogsHandlersTest {
    static final Path TRAIL = Path.of("examples/cloudtrail");
    static final String BUCKET = "trail-bucket";

    @TempDir
    Path dir;

    LambdaHarness h;

    /** Each test's clock: shortly after its events, as when they arrive live. */
    void start(String now) throws Exception {
        h = new LambdaHarness(dir, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static List<Path> logFiles() throws Exception {
        try (Stream<Path> s = Files.walk(TRAIL.resolve("AWSLogs"))) {
            return s.filter(p -> p.toString().endsWith(".json.gz")).sorted().toList();
        }
    }

    @Test
    void cloudTrailLogFilesAreStreamedFromS3AndAuditedOnce() throws Exception {
        start("2025-03-11T14:30:00Z");
        S3Handler handler = new S3Handler(h.invocations);
        List<String> notices = new java.util.ArrayList<>();
        for (Path f : logFiles()) {
            String key = TRAIL.relativize(f).toString();
            h.serveObject(BUCKET, key, Files.readAllBytes(f));
            notices.add(LambdaHarness.objectCreated(BUCKET, key));
        }
        int events = 0;
        for (String n : notices) events += LambdaHarness.invoke(handler, n).path("events").asInt();
        assertThat(events).isGreaterThan(5);
        assertThat(h.findings()).extracting(f -> f.path("rule").asText())
                .contains("iam-user-created-off-hours", "ec2-missing-required-tags", "sg-open-to-world");
        // the audit policy notifies its SNS topic; the sg-guard revoke is refused: the log files are another account's
        assertThat(h.sent("Publish")).anySatisfy(f -> assertThat(f).containsEntry("TopicArn", "arn:aws:sns:eu-west-1:111122223333:vigil-security"));
        assertThat(h.findings()).filteredOn(f -> f.path("rule").asText().equals("sg-open-to-world")).singleElement()
                .satisfies(f -> assertThat(f.path("actions").toString()).contains("no role configured for account 123456789012"));
        assertThat(h.sent("RevokeSecurityGroupIngress")).isEmpty();

        int calls = h.aws.effects().size();
        long findings = h.store.findingCount();
        for (String n : notices) LambdaHarness.invoke(handler, n); // the same notifications again
        assertThat(h.aws.effects()).hasSize(calls);
        assertThat(h.store.findingCount()).isEqualTo(findings);
    }

    @Test
    void anObjectThatCannotBeReadFailsTheInvocationSoLambdaRetriesIt() throws Exception {
        start("2025-03-11T14:30:00Z");
        S3Handler handler = new S3Handler(h.invocations);
        assertThatThrownBy(() -> LambdaHarness.invoke(handler, LambdaHarness.objectCreated(BUCKET, "AWSLogs/x.json.gz")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("s3://trail-bucket/AWSLogs/x.json.gz");
        assertThat(h.store.rejectedCount()).isZero();
    }

    /** The subscription's payload: {"awslogs":{"data": base64(gzip(DATA_MESSAGE))}}. */
    static String awslogs(String dataMessage) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(dataMessage.getBytes(StandardCharsets.UTF_8));
        }
        return LambdaHarness.JSON.writeValueAsString(Map.of("awslogs", Map.of("data", Base64.getEncoder().encodeToString(b.toByteArray()))));
    }

    @Test
    void sshdLinesFromCloudWatchLogsBlockTheSourceAndNotifyOnce() throws Exception {
        start("2024-05-01T10:05:00Z");
        LogsHandler handler = new LogsHandler(h.invocations);
        String payload = awslogs(Files.readString(Path.of("examples/ssh/cloudwatch-secure-web-1.json")));
        JsonNode reply = LambdaHarness.invoke(handler, payload, "req-logs-1");
        assertThat(reply.path("events").asInt()).as(reply + "\n" + h.problems).isEqualTo(33);
        assertThat(h.findings()).extracting(f -> f.path("rule").asText()).contains("ssh-invalid-user", "ssh-brute-force", "ssh-invalid-key");
        assertThat(h.slack.received).isNotEmpty();
        int posts = h.slack.received.size();
        int calls = h.aws.effects().size();
        reply = LambdaHarness.invoke(handler, payload, "req-logs-1"); // CloudWatch Logs retries an invocation that failed
        assertThat(reply.path("events").asInt()).isZero();
        assertThat(reply.path("duplicates").asInt()).isEqualTo(33);
        assertThat(reply.path("findings").asInt()).isZero();
        assertThat(h.slack.received).hasSize(posts);
        assertThat(h.aws.effects()).hasSize(calls);
    }

    @Test
    void theCorpusSubscriptionSampleIsReadAndMakesNoFinding() throws Exception {
        start("2015-08-24T19:10:00Z");
        String sample = CorpusEventsTest.corpus("aws-lambda-java-libs/aws-lambda-java-tests/src/test/resources/cloudwatchlogs_event.json");
        JsonNode reply = LambdaHarness.invoke(new LogsHandler(h.invocations), sample);
        assertThat(reply.path("events").asInt()).isEqualTo(2);
        assertThat(reply.path("findings").asInt()).isZero();
        assertThat(reply.has("rejected")).isFalse();
    }
}
