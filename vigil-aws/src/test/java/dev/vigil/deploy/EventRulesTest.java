package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.engine.Interest;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicyDef;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import dev.vigil.policy.Policies;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Each policy's EventBridge rules, read from the generated template, against the sample events in {@code examples/}:
 * a rule matches an event exactly when the policy's detector (through its {@link Interest}) wants the event as the
 * real decoder reads it. CloudTrail records delivered to S3 are wrapped in the envelope EventBridge gives them
 * ("AWS API Call via CloudTrail", detail = the record), so the auditor's rules are tested on its own samples too.
 */
class EventRulesTest {
    static final String BUCKET = "example-trail-bucket";

    /** EventBridge events of the examples: file name -> events. */
    static Map<String, List<JsonNode>> samples() throws Exception {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("examples"))) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String name = f.toString();
            List<JsonNode> events = new ArrayList<>();
            if (name.endsWith(".json.gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    for (JsonNode r : Templates.JSON.readTree(in).get("Records")) events.add(envelope(r));
                }
                events.add(s3Created(BUCKET, Path.of("examples/cloudtrail").relativize(f).toString()));
            } else if (name.endsWith(".json") || name.endsWith(".jsonl")) {
                String text = Files.readString(f);
                List<JsonNode> nodes = new ArrayList<>();
                if (name.endsWith(".jsonl")) {
                    for (String l : text.split("\n")) if (!l.isBlank()) nodes.add(Templates.JSON.readTree(l));
                } else {
                    JsonNode n = Templates.JSON.readTree(text);
                    if (n.isArray()) n.forEach(nodes::add);
                    else nodes.add(n);
                }
                nodes.stream().filter(n -> n.has("detail-type")).forEach(events::add);
            }
            if (!events.isEmpty()) out.put(name, events);
        }
        return out;
    }

    static JsonNode envelope(JsonNode record) {
        ObjectNode e = Templates.JSON.createObjectNode();
        e.put("version", "0");
        e.put("id", "wrapped-" + record.path("eventID").asText());
        e.put("detail-type", "AWS API Call via CloudTrail");
        e.put("source", "aws." + record.path("eventSource").asText().replace(".amazonaws.com", ""));
        e.put("account", record.path("recipientAccountId").asText("111122223333"));
        e.put("time", record.path("eventTime").asText());
        e.put("region", record.path("awsRegion").asText());
        e.putArray("resources");
        e.set("detail", record);
        return e;
    }

    static JsonNode s3Created(String bucket, String key) {
        ObjectNode e = Templates.JSON.createObjectNode();
        e.put("version", "0");
        e.put("detail-type", "Object Created");
        e.put("source", "aws.s3");
        ObjectNode d = e.putObject("detail");
        d.putObject("bucket").put("name", bucket);
        d.putObject("object").put("key", key);
        return e;
    }

    /** Rule resource name -> its event pattern, the trail bucket parameter filled in. */
    static Map<String, JsonNode> patterns(JsonNode template) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (var it = template.get("Resources").properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().path("Type").asText().equals("AWS::Events::Rule")) continue;
            String p = e.getValue().at("/Properties/EventPattern").toString().replace("{\"Ref\":\"TrailBucketName\"}", "\"" + BUCKET + "\"");
            out.put(e.getKey(), Templates.JSON.readTree(p));
        }
        return out;
    }

    static List<SecurityEvent> decode(JsonNode event) {
        List<SecurityEvent> out = new ArrayList<>();
        new InputDecoder(new DecodeOptions(n -> true, null, java.time.ZoneOffset.UTC)).decode("sample",
                new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), new DecodeListener() {
                    @Override
                    public void onEvent(SecurityEvent e) {
                        out.add(e);
                    }

                    @Override
                    public void onError(String where, String message) {
                        throw new AssertionError(where + ": " + message);
                    }
                });
        return out;
    }

    @Test
    void eachPolicysRulesMatchExactlyTheSampleEventsItsDetectorWants() throws Exception {
        PolicySet set = Templates.examplesPolicy();
        JsonNode template = Templates.template(set, false);
        Map<String, JsonNode> patterns = patterns(template);
        Map<String, List<JsonNode>> samples = samples();
        assertThat(samples.keySet()).anyMatch(n -> n.contains("bastion")).anyMatch(n -> n.contains("guardduty"))
                .anyMatch(n -> n.contains("sg-guard")).anyMatch(n -> n.contains("cloudtrail"));
        PolicyCompiler compiler = new PolicyCompiler(Policies.registry());
        for (PolicyDef def : set.enabled()) {
            Interest interest = compiler.instantiate(def).interest();
            String stem = DeploymentPlan.pascal(def.name());
            Map<String, JsonNode> mine = new LinkedHashMap<>();
            patterns.forEach((k, v) -> {
                if (k.startsWith(stem) && !k.startsWith("TrailObject")) mine.put(k, v);
            });
            int wanted = 0;
            int other = 0;
            for (var file : samples.entrySet()) {
                for (JsonNode event : file.getValue()) {
                    if (event.path("source").asText().equals("aws.s3")) continue; // the trail bucket rule, below
                    List<SecurityEvent> decoded = decode(event);
                    assertThat(decoded).as(file.getKey()).hasSize(1);
                    boolean wants = interest.wants(decoded.get(0));
                    boolean matched = mine.values().stream().anyMatch(p -> EventPatterns.matches(p, event));
                    assertThat(matched).as(def.name() + " rules " + mine.keySet() + " on " + file.getKey() + " " + event.path("id").asText()
                            + " (" + event.at("/detail/eventName").asText(event.path("detail-type").asText()) + ")").isEqualTo(wants);
                    if (wants) wanted++;
                    else other++;
                }
            }
            if (mine.isEmpty()) {
                assertThat(def.detector()).isEqualTo("ssh-intrusion"); // sshd logs come from the Logs subscription, not EventBridge
                assertThat(wanted).isZero();
            } else {
                assertThat(wanted).as(def.name() + ": sample events it handles").isPositive();
                assertThat(other).as(def.name() + ": sample events of other scenarios").isPositive();
            }
        }
    }

    @Test
    void trailBucketRuleMatchesLogFilesOfThatBucketOnly() throws Exception {
        JsonNode p = patterns(Templates.template(Templates.examplesPolicy(), false)).get("TrailObjectRule");
        int files = 0;
        for (List<JsonNode> events : samples().values()) {
            for (JsonNode e : events) {
                boolean s3 = e.path("source").asText().equals("aws.s3");
                assertThat(EventPatterns.matches(p, e)).isEqualTo(s3);
                if (s3) files++;
            }
        }
        assertThat(files).isEqualTo(5);
        assertThat(EventPatterns.matches(p, s3Created("another-bucket", "AWSLogs/1/CloudTrail/x.json.gz"))).isFalse();
        assertThat(EventPatterns.matches(p, s3Created(BUCKET, "exports/x.json.gz"))).isFalse();
    }
}
