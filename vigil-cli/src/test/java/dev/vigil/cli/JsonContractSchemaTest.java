package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.output.JsonContract;
import dev.vigil.store.ActionRecord;
import dev.vigil.store.FindingCodec;
import dev.vigil.store.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's JSON contract: every line of every command's JSON output (replay, findings, actions in
 * {@code --format json}; events) over the bundled examples and the corpus samples validates against
 * docs/schema/vigil-output.schema.json, and the schema does reject a line whose key is not snake_case.
 */
class JsonContractSchemaTest {
    static final Path CORPUS = Path.of("../shared/corpus");
    static final ObjectMapper JSON = new ObjectMapper();

    static List<String> errors(JsonNode line) {
        return JsonContract.errors(line);
    }

    /** Each stdout line of the command is JSON and valid; returns the lines. */
    static List<JsonNode> valid(String... args) throws IOException {
        ReplayCommandTest.Run r = ReplayCommandTest.run(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isIn(0, 1);
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.isBlank()) continue;
            JsonNode n = JSON.readTree(line);
            assertThat(errors(n)).as(String.join(" ", args) + "\n" + line).isEmpty();
            out.add(n);
        }
        return out;
    }

    static List<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("examples"))) {
            return s.filter(Files::isDirectory).filter(p -> !p.endsWith("policies") && !p.endsWith("tests")).sorted().toList();
        }
    }

    static List<String> policies() throws IOException {
        List<String> out = new ArrayList<>(List.of("examples/policy.yaml"));
        try (Stream<Path> s = Files.list(Path.of("examples/policies"))) {
            s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> out.add(p.toString()));
        }
        return out;
    }

    /** Corpus samples of every input kind (skipped one by one when absent). */
    static List<Path> corpus() {
        return Stream.of("loghub/OpenSSH/OpenSSH_2k.log", "fail2ban", "stratus-red-team", "cloud-custodian/tests/data/cwe",
                        "cloud-snitch/backend/report/testdata")
                .map(CORPUS::resolve).filter(Files::exists).toList();
    }

    @Test
    void replayOfEveryExampleUnderEveryPolicyIsValid() throws IOException {
        Set<String> kinds = new LinkedHashSet<>();
        for (Path dir : examples()) {
            for (JsonNode n : valid("replay", "--format", "json", dir.toString())) kinds.add(n.has("summary") && n.get("summary").isObject() ? "summary" : "finding");
        }
        for (String policy : policies()) {
            List<JsonNode> lines = valid("replay", "--format", "json", "--policy", policy, "examples/");
            assertThat(lines.get(lines.size() - 1).has("summary")).as(policy).isTrue();
        }
        assertThat(kinds).containsExactly("finding", "summary");
        List<JsonNode> all = valid("replay", "--format", "json", "examples/");
        JsonNode summary = all.get(all.size() - 1).get("summary");
        assertThat(summary.has("ssh_lines")).isTrue(); // the counters renamed from ssh-lines, failed-calls-ignored
        assertThat(summary.has("failed_calls_ignored")).isTrue();
        assertThat(all).anySatisfy(f -> assertThat(f.path("actions").path(0).path("params").has("target_type")).isTrue());
    }

    @Test
    void replayOfTheCorpusSamplesIsValid() throws IOException {
        List<Path> samples = corpus();
        assumeTrue(!samples.isEmpty(), "../shared/corpus is absent: the corpus part of the JSON contract check skipped");
        for (Path p : samples) valid("replay", "--format", "json", p.toString());
        Path sigma = CORPUS.resolve("sigma/sigma/rules/cloud");
        Path stratus = CORPUS.resolve("stratus-red-team");
        assumeTrue(Files.isDirectory(sigma) && Files.isDirectory(stratus), "sigma rules or stratus-red-team absent: sigma findings skipped");
        List<JsonNode> lines = valid("replay", "--format", "json", "--sigma", sigma.toString(), stratus.toString());
        assertThat(lines).anySatisfy(f -> assertThat(f.has("sigma")).isTrue());
    }

    @Test
    void eventsOfEveryExampleAndCorpusSampleAreValid() throws IOException {
        Set<String> kinds = new LinkedHashSet<>();
        for (JsonNode n : valid("events", "examples/")) kinds.add(n.get("kind").asText());
        assertThat(kinds).contains("cloudtrail-call", "guardduty-finding", "instance-state-change", "ssh-log-line");
        for (Path p : corpus()) valid("events", p.toString());
        JsonNode call = valid("events", "examples/cloudtrail").get(0);
        assertThat(call.has("event_source")).isTrue();
        assertThat(call.has("eventSource")).isFalse();
        assertThat(call.path("principal").has("account_id")).isTrue();
    }

    @Test
    void findingsAndActionsOfAStoreAreValidAndAnOldRecordReadsBackInTheNewNames(@TempDir Path tmp) throws Exception {
        List<JsonNode> replayed = valid("replay", "--format", "json", "examples/");
        Path store = tmp.resolve("vigil.db");
        try (SqliteStore s = SqliteStore.open(store, Clock.systemUTC())) {
            for (JsonNode n : replayed) if (!n.has("summary") || n.get("summary").isTextual()) s.save(FindingCodec.read(n.toString()));
            // a record the release before wrote: the notify action's params under the old kebab-case key
            s.save(new Finding("old-rule", "old-policy", Severity.HIGH, Instant.parse("2026-01-01T00:00:00Z"), AccountId.of("111122223333"),
                    Region.of("us-east-1"), "i-0123456789abcdef0", null, "written by the release before", List.of("e-1"),
                    List.of(new ActionResult("notify", "ops", ActionStatus.APPLIED, "sent", Map.of("target-type", "sns"))), Map.of()));
            s.commit();
            ActionRecord first = s.actions(1).get(0);
            s.recordUndo(first, new ActionResult("undo", first.target(), ActionStatus.APPLIED, "undone", Map.of()));
            s.commit();
        }
        List<JsonNode> findings = valid("findings", "--format", "json", "--limit", "1000", "--store", store.toString());
        assertThat(findings).hasSize(replayed.size()); // every finding, plus the old one, less the summary line
        JsonNode old = findings.stream().filter(f -> f.get("rule").asText().equals("old-rule")).findFirst().orElseThrow();
        assertThat(old.at("/actions/0/params").toString()).isEqualTo("{\"target_type\":\"sns\"}");
        List<JsonNode> actions = valid("actions", "--format", "json", "--limit", "1000", "--store", store.toString());
        assertThat(actions).anySatisfy(a -> assertThat(a.get("undoes").isNull()).isFalse());
        assertThat(actions).anySatisfy(a -> assertThat(a.get("params").toString()).isEqualTo("{\"target_type\":\"sns\"}"));
    }

    @Test
    void aKeyThatIsNotSnakeCaseIsRejected() throws IOException {
        ObjectNode finding = (ObjectNode) valid("replay", "--format", "json", "examples/guardduty").get(0);
        assertThat(errors(finding)).isEmpty();
        ObjectNode camel = finding.deepCopy();
        camel.set("eventIds", camel.remove("event_ids"));
        assertThat(errors(camel)).isNotEmpty();
        ObjectNode kebabParam = finding.deepCopy();
        ((ObjectNode) kebabParam.at("/actions/0/params")).put("target-type", "sns");
        assertThat(errors(kebabParam)).isNotEmpty();
        assertThat(errors(JSON.readTree("{\"summary\":{\"inputs\":1,\"events\":1,\"findings\":0,\"errors\":0,\"ssh_lines\":1}}"))).isEmpty();
        assertThat(errors(JSON.readTree("{\"summary\":{\"inputs\":1,\"events\":1,\"findings\":0,\"errors\":0,\"ssh-lines\":1}}"))).isNotEmpty();
        assertThat(errors(JSON.readTree("{\"summary\":{\"inputs\":1,\"events\":1,\"findings\":0,\"errors\":0,\"sshLines\":1}}"))).isNotEmpty();
        ObjectNode event = (ObjectNode) valid("events", "examples/cloudtrail").get(0);
        ObjectNode camelEvent = event.deepCopy();
        camelEvent.set("eventSource", camelEvent.remove("event_source"));
        assertThat(errors(camelEvent)).isNotEmpty();
        ObjectNode camelPrincipal = event.deepCopy();
        ((ObjectNode) camelPrincipal.get("principal")).set("accountId", ((ObjectNode) camelPrincipal.get("principal")).remove("account_id"));
        assertThat(errors(camelPrincipal)).isNotEmpty();
    }
}
