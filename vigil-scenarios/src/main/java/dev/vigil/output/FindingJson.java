package dev.vigil.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** The output contract's JSON object for a finding (key order is part of the contract). */
public final class FindingJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private FindingJson() {}

    public static ObjectNode of(Finding f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("rule", f.rule());
        o.put("policy", f.policy());
        o.put("severity", f.severity().label());
        o.put("time", f.time().toString());
        o.put("account", f.account() == null ? null : f.account().toString());
        o.put("region", f.region() == null ? null : f.region().toString());
        o.put("resource", f.resource());
        o.put("source", f.source());
        o.put("summary", f.summary());
        ArrayNode ids = o.putArray("event_ids");
        f.eventIds().forEach(ids::add);
        ArrayNode actions = o.putArray("actions");
        for (ActionResult a : f.actions()) {
            ObjectNode x = actions.addObject();
            x.put("type", a.type());
            x.put("target", a.target());
            x.put("status", a.status().label());
            x.put("detail", a.detail());
            x.set("params", value(a.params()));
        }
        sigma(f.facts(), o);
        return o;
    }

    /**
     * The same object as {@link #of} written straight to text, without building the tree first (the JSON Lines
     * writer's path: a replay may write a million findings). {@code FindingJsonStreamTest} holds the two equal.
     */
    public static String text(Finding f) {
        StringWriter w = new StringWriter(1024);
        try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
            write(g, f);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** {@link #text}'s object, written to {@code g} (a generator the caller keeps from finding to finding). */
    static void write(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        g.writeStringField("rule", f.rule());
        g.writeStringField("policy", f.policy());
        g.writeStringField("severity", f.severity().label());
        g.writeStringField("time", timeText(f.time()));
        g.writeStringField("account", f.account() == null ? null : f.account().toString());
        g.writeStringField("region", f.region() == null ? null : f.region().toString());
        g.writeStringField("resource", f.resource());
        g.writeStringField("source", f.source());
        g.writeStringField("summary", f.summary());
        g.writeArrayFieldStart("event_ids");
        for (String id : f.eventIds()) g.writeString(id);
        g.writeEndArray();
        g.writeArrayFieldStart("actions");
        for (ActionResult a : f.actions()) {
            g.writeStartObject();
            g.writeStringField("type", a.type());
            g.writeStringField("target", a.target());
            g.writeStringField("status", a.status().label());
            g.writeStringField("detail", a.detail());
            g.writeFieldName("params");
            JSON.writeTree(g, value(a.params()));
            g.writeEndObject();
        }
        g.writeEndArray();
        Map<String, String> facts = f.facts();
        if (facts.containsKey("sigma.title")) {
            g.writeFieldName("sigma");
            g.writeRawValue(sigmaText(facts));
        }
        g.writeEndObject();
    }

    /** A rule's {@code sigma} object is the same in each of its findings: the last one's text, by its facts. */
    private record SigmaText(String[] facts, String text) {}

    private static final String[] SIGMA_FACTS = {"sigma.id", "sigma.title", "sigma.level", "sigma.tags", "sigma.references", "sigma.author", "sigma.license"};
    private static SigmaText lastSigma = new SigmaText(new String[SIGMA_FACTS.length], null);

    private static String sigmaText(Map<String, String> facts) {
        SigmaText last = lastSigma; // immutable once published: a racing writer makes a miss, never a wrong text
        String[] now = new String[SIGMA_FACTS.length];
        boolean same = last.text() != null;
        boolean cacheable = true;
        for (int i = 0; i < now.length; i++) {
            now[i] = facts.get(SIGMA_FACTS[i]);
            if (now[i] == null && facts.containsKey(SIGMA_FACTS[i])) cacheable = false; // present and null: not "absent"
            same &= java.util.Objects.equals(now[i], last.facts()[i]);
        }
        if (same && cacheable) return last.text();
        String text = sigmaJson(facts);
        if (cacheable) lastSigma = new SigmaText(now, text);
        return text;
    }

    static final int SIGMA_FACT_COUNT = SIGMA_FACTS.length;

    /** The facts a rule's {@code sigma} object is made of, into {@code into}; false when one is present and null (not to be cached). */
    static boolean sigmaFacts(Map<String, String> facts, String[] into) {
        boolean cacheable = true;
        for (int i = 0; i < into.length; i++) {
            into[i] = facts.get(SIGMA_FACTS[i]);
            if (into[i] == null && facts.containsKey(SIGMA_FACTS[i])) cacheable = false;
        }
        return cacheable;
    }

    static boolean hasSigma(Map<String, String> facts) {
        return facts.containsKey("sigma.title");
    }

    /** A rule's {@code sigma} object as text, made anew. */
    static String sigmaJson(Map<String, String> facts) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("id", facts.get("sigma.id"));
            g.writeStringField("title", facts.get("sigma.title"));
            g.writeStringField("level", facts.get("sigma.level"));
            for (String list : List.of("tags", "references")) {
                g.writeArrayFieldStart(list);
                String v = facts.get("sigma." + list);
                if (v != null) for (String line : (Iterable<String>) v.lines()::iterator) g.writeString(line);
                g.writeEndArray();
            }
            if (facts.containsKey("sigma.author")) g.writeStringField("author", facts.get("sigma.author"));
            if (facts.containsKey("sigma.license")) g.writeStringField("license", facts.get("sigma.license"));
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** The last time written and its text: findings come in runs of the same second. */
    private record TimeText(java.time.Instant time, String text) {}

    private static TimeText lastTime = new TimeText(java.time.Instant.EPOCH, java.time.Instant.EPOCH.toString());

    private static String timeText(java.time.Instant t) {
        TimeText last = lastTime; // an immutable pair: a racing writer makes a miss, never a wrong text
        if (last.time().equals(t)) return last.text();
        String text = t.toString();
        lastTime = new TimeText(t, text);
        return text;
    }

    /** A Sigma rule's finding names its rule: {@code sigma: {id, title, level, tags, references[, author, license]}}. */
    private static void sigma(Map<String, String> facts, ObjectNode o) {
        if (!facts.containsKey("sigma.title")) return;
        ObjectNode s = o.putObject("sigma");
        s.put("id", facts.get("sigma.id"));
        s.put("title", facts.get("sigma.title"));
        s.put("level", facts.get("sigma.level"));
        for (String list : List.of("tags", "references")) {
            ArrayNode a = s.putArray(list);
            String v = facts.get("sigma." + list);
            if (v != null) v.lines().forEach(a::add);
        }
        if (facts.containsKey("sigma.author")) s.put("author", facts.get("sigma.author"));
        if (facts.containsKey("sigma.license")) s.put("license", facts.get("sigma.license"));
    }

    static JsonNode value(Object v) {
        if (v == null) return JSON.nullNode();
        if (v instanceof JsonNode n) return n;
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = JSON.createObjectNode();
            m.forEach((k, val) -> o.set(String.valueOf(k), value(val)));
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = JSON.createArrayNode();
            l.forEach(x -> a.add(value(x)));
            return a;
        }
        if (v instanceof Integer i) return JSON.getNodeFactory().numberNode(i);
        if (v instanceof Long l) return JSON.getNodeFactory().numberNode(l);
        if (v instanceof Double d) return JSON.getNodeFactory().numberNode(d);
        if (v instanceof Boolean b) return JSON.getNodeFactory().booleanNode(b);
        return JSON.getNodeFactory().textNode(String.valueOf(v));
    }
}
