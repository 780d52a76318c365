package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real events from other projects' test data (../shared/corpus, skipped when absent), one per EventsHandler
 * invocation: each is processed or rejected with one line naming the request, never a crash.
 */
class CorpusEventsTest {
    static final Path CORPUS = Path.of("../shared/corpus");

    @TempDir
    static Path dir;

    static LambdaHarness h;

    @BeforeAll
    static void start() throws Exception {
        // the examples' policy without bastion-watch: events years old would make it catch up on every daily report since
        String policy = Files.readString(Path.of("examples/policy.yaml"));
        policy = policy.substring(0, policy.indexOf("  - name: bastions")) + policy.substring(policy.indexOf("  - name: ssh"));
        Path file = Files.writeString(dir.resolve("policy.yaml"), policy);
        h = new LambdaHarness(dir, Clock.systemUTC(), file);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** A corpus file's text; the calling test is skipped when the corpus is not there. */
    static String corpus(String relative) {
        Path p = CORPUS.resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(p), "corpus absent: skipped (" + p + ")");
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloud-custodian/tests/data/cwe/event-instance-state.json", "cloud-custodian/tests/data/cwe/ec2-duty-event.json",
        "cloud-custodian/tests/data/cwe/event-cloud-trail-run-instances.json", "cloud-custodian/tests/data/cwe/event-cloud-trail-s3.json",
        "cloud-custodian/tests/data/cwe/event-phd-ec2-retire.json", "cloud-custodian/tests/data/cwe/event-scheduled.json",
        "aws-lambda-java-libs/aws-lambda-java-tests/src/test/resources/cloudwatch_event.json"})
    void eachIsProcessedOrRejectedNeverACrash(String file) throws Exception {
        String event = corpus(file);
        String request = "req-" + Path.of(file).getFileName();
        JsonNode reply = LambdaHarness.invoke(new EventsHandler(h.invocations), event, request);
        assertThat(reply.path("request").asText()).isEqualTo(request);
        if (reply.has("rejected")) {
            assertThat(h.problems).anySatisfy(p -> assertThat(p).startsWith("events:" + request));
        } else {
            assertThat(reply.path("events").asInt()).isPositive();
        }
        assertThat(h.problems).allSatisfy(p -> assertThat(p).doesNotContain("\n"));
    }
}
