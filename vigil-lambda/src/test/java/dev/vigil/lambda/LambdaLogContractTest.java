package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.output.JsonContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The functions' log lines (findings, then each invocation's line) follow docs/schema/vigil-output.schema.json. */
class LambdaLogContractTest {
    @TempDir
    Path dir;

    @Test
    void everyLineTheFunctionsLogFollowsTheContract() throws Exception {
        try (LambdaHarness h = new LambdaHarness(dir, Clock.fixed(Instant.parse("2024-07-02T14:00:00Z"), ZoneOffset.UTC))) {
            EventsHandler events = new EventsHandler(h.invocations);
            List<String> bodies = new ArrayList<>(EventsHandlerTest.events("examples/sg-guard/eventbridge-sg-calls.json"));
            bodies.addAll(EventsHandlerTest.events("examples/guardduty/01-bitcoin-dns-finding.json"));
            for (String e : bodies) LambdaHarness.invoke(events, e);
            LambdaHarness.invoke(events, "{\"not\": \"an event\"}", "req-bad-1"); // a rejected event's line too
            List<JsonNode> lines = h.stdout();
            assertThat(lines).anySatisfy(l -> assertThat(l.has("rule")).isTrue());
            assertThat(lines).anySatisfy(l -> assertThat(l.has("invocation")).isTrue());
            assertThat(lines).anySatisfy(l -> assertThat(l.path("invocation").has("rejected")).isTrue());
            for (JsonNode l : lines) assertThat(JsonContract.errors(l)).as(l.toString()).isEmpty();
        }
    }
}
