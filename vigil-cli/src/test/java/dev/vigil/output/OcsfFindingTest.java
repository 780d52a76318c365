package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --format ocsf} on every example, validated against the OCSF 1.3.0 Detection Finding schema (its subset in test resources). */
class OcsfFindingTest {
    static final Schema SCHEMA;

    static {
        try (InputStream in = OcsfFindingTest.class.getResourceAsStream("/schemas/ocsf-1.3.0-detection-finding.schema.json")) {
            SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> errors(JsonNode doc) {
        return SCHEMA.validate(doc).stream().map(Error::toString).toList();
    }

    @Test
    void everyExampleFindingIsAValidDetectionFinding() throws Exception {
        Examples.Run r = Examples.run("replay", "--format", "ocsf", "examples/");
        assertThat(r.code()).isZero();
        List<JsonNode> ocsf = r.lines();
        List<JsonNode> json = Examples.jsonFindings();
        assertThat(ocsf).hasSize(json.size()).hasSizeGreaterThan(20);
        assertThat(r.err()).contains(json.size() + " finding(s)");
        for (int i = 0; i < ocsf.size(); i++) {
            JsonNode o = ocsf.get(i);
            JsonNode j = json.get(i);
            assertThat(errors(o)).as("finding %d: %s", i, o).isEmpty();
            assertThat(o.get("class_uid").asInt()).isEqualTo(2004);
            assertThat(o.get("type_uid").asInt()).isEqualTo(200401);
            assertThat(o.at("/finding_info/title").asText()).isEqualTo(j.get("rule").asText());
            assertThat(o.at("/unmapped/policy").asText()).isEqualTo(j.get("policy").asText());
            assertThat(o.get("time").asLong()).isEqualTo(java.time.Instant.parse(j.get("time").asText()).toEpochMilli());
            assertThat(o.get("severity").asText().toLowerCase()).isEqualTo(j.get("severity").asText().equals("info") ? "informational" : j.get("severity").asText());
            List<String> related = o.at("/finding_info/related_events").findValuesAsText("uid");
            List<String> ids = new java.util.ArrayList<>();
            j.get("event_ids").forEach(x -> ids.add(x.asText()));
            assertThat(related).containsExactlyElementsOf(ids);
            assertThat(o.at("/unmapped/actions")).isEqualTo(j.get("actions"));
            assertThat(o.at("/remediation/desc").asText()).isNotBlank();
            if (!j.get("source").isNull()) assertThat(o.at("/observables/0/value").asText()).isEqualTo(j.get("source").asText());
        }
        // the instance a GuardDuty finding names is an ARN-typed resource
        assertThat(ocsf).anySatisfy(o -> assertThat(o.at("/resources/0/uid").asText()).startsWith("arn:aws:ec2:us-east-1:111122223333:instance/i-"));
    }

    @Test
    void theSchemaRejectsWhatTheClassDoesNotAllow() throws Exception {
        ObjectNode good = (ObjectNode) Examples.run("replay", "--format", "ocsf", "examples/").lines().getFirst();
        assertThat(errors(good)).isEmpty();
        ObjectNode noClass = good.deepCopy();
        noClass.remove("class_uid");
        assertThat(errors(noClass)).isNotEmpty();
        ObjectNode badSeverity = good.deepCopy();
        badSeverity.put("severity_id", 7);
        assertThat(errors(badSeverity)).isNotEmpty();
        ObjectNode stringTime = good.deepCopy();
        stringTime.put("time", "2024-01-01T00:00:00Z");
        assertThat(errors(stringTime)).isNotEmpty();
        ObjectNode noUid = good.deepCopy();
        ((ObjectNode) noUid.get("finding_info")).remove("uid");
        assertThat(errors(noUid)).isNotEmpty();
        ObjectNode misspelt = good.deepCopy();
        misspelt.put("finding_infos", 1);
        assertThat(errors(misspelt)).isNotEmpty();
    }
}
