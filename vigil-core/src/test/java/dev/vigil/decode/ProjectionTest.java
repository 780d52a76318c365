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

    /** The frozen projections (keys in arrays) answer every key as the tables they were made from, seeded. */
    @Test
    void frozenProjectionsAnswerAsTheirTables() {
        long seed = System.nanoTime();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        String[] segs = {"a", "b", "c", "type", "arn", "sessionContext", "sessionIssuer", "x.y", "", "Aa", "BB"}; // "Aa" and "BB" share a hash
        for (int round = 0; round < 500; round++) {
            Set<String> paths = new java.util.HashSet<>();
            int n = r.nextInt(1, 30);
            for (int i = 0; i < n; i++) {
                StringBuilder b = new StringBuilder(segs[r.nextInt(segs.length)]);
                int depth = r.nextInt(4);
                for (int d = 0; d < depth; d++) b.append('.').append(segs[r.nextInt(segs.length)]);
                paths.add(b.toString());
            }
            Map<String, Projection> tables = Projection.of(paths);
            Projection frozen = Projection.root(Projection.of(paths));
            for (String top : segs) same(tables.get(top), frozen.child(top), segs, r, "seed " + seed + ", paths " + paths + ", at " + top);
            assertThat(frozen.child("absent")).as("seed %d", seed).isNull();
        }
    }

    private static void same(Projection table, Projection frozen, String[] segs, java.util.SplittableRandom r, String where) {
        if (table == null || frozen == null) {
            assertThat(frozen).as(where).isEqualTo(table);
            return;
        }
        assertThat(frozen.whole()).as(where).isEqualTo(table.whole());
        if (table.whole()) return;
        for (String k : segs) same(table.child(k), frozen.child(k), segs, r, where + "." + k);
        for (String k : List.of("x.y.a", "a.b", "b.c.type", "type.arn", "sessionContext.sessionIssuer")) {
            same(table.child(k), frozen.child(k), segs, r, where + "." + k);
        }
        assertThat(frozen.child(new String("a"))).as(where + ": a key equal, not the same object").isSameAs(frozen.child("a"));
    }

    /** Trees whose text nodes come from the shared last-few cache equal trees made anew, record after record (seeded). */
    @Test
    void sharedTextNodesMakeTheSameTrees() throws Exception {
        long seed = System.nanoTime();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        String[] values = {"AssumedRole", "AssumedRolf", "Role", "Rolf", "111122223333", "111122223334", "", "caf\u00e9", "\ud83d\ude00",
            "a".repeat(300), "a".repeat(299) + "b", "arn:aws:iam::111122223333:role/Admin", "arn:aws:iam::111122223333:role/Admio"};
        Projection p = Projection.root(Projection.of(Set.of("userIdentity.type", "userIdentity.arn", "userIdentity.sessionContext.sessionIssuer.type",
                "userIdentity.list", "userIdentity.accountId"))).child("userIdentity");
        CloudTrailRecords.Texts texts = new CloudTrailRecords.Texts();
        for (int i = 0; i < 5000; i++) {
            Map<String, Object> issuer = new java.util.LinkedHashMap<>();
            issuer.put("type", values[r.nextInt(values.length)]);
            issuer.put("arn", values[r.nextInt(values.length)]);
            Map<String, Object> ui = new java.util.LinkedHashMap<>();
            ui.put("type", r.nextInt(10) == 0 ? (Object) 7 : values[r.nextInt(values.length)]);
            ui.put("arn", values[r.nextInt(values.length)]);
            ui.put("accountId", r.nextBoolean() ? null : values[r.nextInt(values.length)]);
            ui.put("list", List.of(values[r.nextInt(values.length)], values[r.nextInt(values.length)], Map.of("k", values[r.nextInt(values.length)])));
            ui.put("sessionContext", Map.of("sessionIssuer", issuer));
            String json = JSON.writeValueAsString(ui);
            JsonNode fresh;
            JsonNode shared;
            try (JsonParser a = JSON.getFactory().createParser(json)) {
                fresh = CloudTrailRecords.tree(a, a.nextToken(), p);
            }
            try (JsonParser b = JSON.getFactory().createParser(json)) {
                shared = CloudTrailRecords.tree(b, b.nextToken(), p, texts);
            }
            assertThat(shared).as("seed %d, record %d: %s", seed, i, json).isEqualTo(fresh);
            assertThat(shared.toString()).as("seed %d, record %d", seed, i).isEqualTo(fresh.toString());
        }
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
