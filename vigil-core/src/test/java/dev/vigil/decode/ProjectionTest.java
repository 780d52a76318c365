package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.sigma.FieldPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The decoder reads of a kept field only the paths the detectors name: whatever a named path reaches in the full
 * tree, it reaches in the projected one (keys with dots in them and arrays included), and the rest is left out.
 */
class ProjectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDENTITY = """
            {"type":"AssumedRole","principalId":"AROA:u","arn":"arn:aws:sts::111122223333:assumed-role/Admin/u",
             "accountId":"111122223333","accessKeyId":"ASIAEXAMPLE",
             "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/Admin","userName":"Admin"},
               "webIdFederationData":{},"attributes":{"creationDate":"2025-03-06T00:00:02Z","mfaAuthenticated":"false"}},
             "sessionContext.sessionIssuer.accountId":"dotted key","list":[{"a":1,"b":2},{"a":[3,{"x":4}],"c":5}],
             "invokedBy":null,"deep":{"k.l":{"m":6},"k":{"n":7}},"other":{"x.y":8,"z":9}}""";

    private static JsonNode projected(String json, Set<String> paths) throws Exception {
        Projection p = Projection.of(paths).get("userIdentity");
        try (JsonParser parser = JSON.getFactory().createParser(json)) {
            return CloudTrailRecords.tree(parser, parser.nextToken(), p);
        }
    }

    private static List<JsonNode> values(JsonNode tree, String path) {
        FieldPath f = FieldPath.of(path);
        return f.values(name -> name.equals("userIdentity") ? tree : null);
    }

    @Test
    void everyNamedPathReachesWhatItReachesInTheFullTree() throws Exception {
        JsonNode full = JSON.readTree(IDENTITY);
        List<String> paths = List.of("userIdentity.type", "userIdentity.sessionContext.sessionIssuer.type",
                "userIdentity.sessionContext.sessionIssuer.accountId", "userIdentity.list.a", "userIdentity.list.a.x",
                "userIdentity.invokedBy", "userIdentity.deep.k.l.m", "userIdentity.deep.k.n", "userIdentity.other.x.y", "userIdentity.missing.path");
        for (String path : paths) {
            JsonNode tree = projected(IDENTITY, Set.of(path));
            assertThat(values(tree, path)).as(path).isEqualTo(values(full, path));
        }
        JsonNode all = projected(IDENTITY, Set.copyOf(paths));
        for (String path : paths) assertThat(values(all, path)).as(path + " among all").isEqualTo(values(full, path));
        // a key with dots in it, where the path's next segment is absent, is read as the rest of the path
        assertThat(values(all, "userIdentity.other.x.y")).extracting(JsonNode::asText).containsExactly("8");
        assertThat(all.path("other").has("z")).isFalse();
    }

    @Test
    void whatNoPathNamesIsLeftOut() throws Exception {
        JsonNode tree = projected(IDENTITY, Set.of("userIdentity.type", "userIdentity.sessionContext.sessionIssuer.type", "userIdentity.list.a"));
        assertThat(tree.has("principalId")).isFalse();
        assertThat(tree.has("arn")).isFalse();
        assertThat(tree.path("sessionContext").has("attributes")).isFalse();
        assertThat(tree.path("sessionContext").path("sessionIssuer").has("arn")).isFalse();
        assertThat(tree.path("list").get(0).has("b")).isFalse();
        assertThat(tree.path("list").get(1).has("c")).isFalse();
        assertThat(tree.path("list").get(1).path("a")).isEqualTo(JSON.readTree("[3,{\"x\":4}]")); // a path's end: whole
        assertThat(tree.path("type").asText()).isEqualTo("AssumedRole");
    }

    @Test
    void aPlainNameKeepsTheWholeFieldWhateverElseIsNamed() throws Exception {
        JsonNode full = JSON.readTree(IDENTITY);
        assertThat(projected(IDENTITY, Set.of("userIdentity.type", "userIdentity"))).isEqualTo(full);
        assertThat(projected(IDENTITY, Set.of("userIdentity.sessionContext", "userIdentity.sessionContext.sessionIssuer.type")).path("sessionContext"))
                .isEqualTo(full.path("sessionContext"));
        Map<String, Projection> m = Projection.of(Set.of("userIdentity", "userIdentity.type", "eventType"));
        assertThat(m.get("userIdentity").whole()).isTrue();
        assertThat(m.get("eventType").whole()).isTrue();
        assertThat(m).doesNotContainKey("userIdentity.type");
    }

    @Test
    void theDecoderKeepsWhatThePrincipalReads() {
        String record = "{\"Records\":[{\"eventVersion\":\"1.09\",\"userIdentity\":" + IDENTITY + ",\"eventTime\":\"2025-03-06T00:00:02Z\","
                + "\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"GetCallerIdentity\",\"awsRegion\":\"us-east-1\","
                + "\"sourceIPAddress\":\"203.0.113.7\",\"eventID\":\"e1\",\"recipientAccountId\":\"111122223333\"}]}";
        dev.vigil.core.event.CloudTrailCall projected = decode(record, Set.of("userIdentity.type"));
        dev.vigil.core.event.CloudTrailCall full = decode(record, Set.of("*"));
        assertThat(projected.principal()).isEqualTo(full.principal());
        assertThat(projected.principal().sessionIssuerArn()).isEqualTo("arn:aws:iam::111122223333:role/Admin");
        assertThat(projected.fields().path("userIdentity").has("principalId")).isFalse();
        assertThat(projected.fields().path("userIdentity").path("type").asText()).isEqualTo("AssumedRole");
    }

    private static dev.vigil.core.event.CloudTrailCall decode(String json, Set<String> fields) {
        List<dev.vigil.core.event.SecurityEvent> out = new java.util.ArrayList<>();
        new InputDecoder(new DecodeOptions(n -> true, null, java.time.ZoneOffset.UTC, n -> true, fields)).decode("t.json",
                new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), new DecodeListener() {
                    @Override
                    public void onEvent(dev.vigil.core.event.SecurityEvent e) {
                        out.add(e);
                    }

                    @Override
                    public void onError(String where, String message) {
                        throw new AssertionError(where + ": " + message);
                    }
                });
        assertThat(out).hasSize(1);
        return (dev.vigil.core.event.CloudTrailCall) out.get(0);
    }
}
