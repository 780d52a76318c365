package dev.vigil.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
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
