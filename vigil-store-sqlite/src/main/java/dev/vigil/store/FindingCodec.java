package dev.vigil.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.output.FindingJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A finding as stored: everything it holds (facts, idempotency keys, undo), written and read back whole. */
public final class FindingCodec {
    static final ObjectMapper JSON = new ObjectMapper();

    private FindingCodec() {}

    public static String write(Finding f) {
        ObjectNode o = FindingJson.of(f); // the output contract's fields, then what only the store keeps
        ArrayNode actions = (ArrayNode) o.get("actions");
        for (int i = 0; i < f.actions().size(); i++) {
            ActionResult a = f.actions().get(i);
            ObjectNode x = (ObjectNode) actions.get(i);
            x.put("key", a.idempotencyKey());
            x.set("undo", JSON.valueToTree(a.undo()));
        }
        o.set("facts", JSON.valueToTree(f.facts()));
        return o.toString();
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(String json) {
        try {
            return json == null || json.isEmpty() ? Map.of() : JSON.readValue(json, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored JSON is not readable: " + e.getOriginalMessage());
        }
    }

    public static Finding read(String json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored finding is not readable: " + e.getOriginalMessage());
        }
        List<String> ids = new ArrayList<>();
        o.path("event_ids").forEach(n -> ids.add(n.asText()));
        List<ActionResult> actions = new ArrayList<>();
        for (JsonNode x : o.path("actions")) {
            actions.add(new ActionResult(x.path("type").asText(), x.path("target").asText(), status(x.path("status").asText()),
                    x.path("detail").asText(), dev.vigil.output.LegacyNames.params(toMap(x.get("params"))), x.hasNonNull("key") ? x.get("key").asText() : null, toMap(x.get("undo"))));
        }
        Map<String, String> facts = new LinkedHashMap<>();
        o.path("facts").fields().forEachRemaining(e -> facts.put(e.getKey(), e.getValue().asText()));
        return new Finding(o.path("rule").asText(), o.path("policy").asText(), Severity.parse(o.path("severity").asText()),
                Instant.parse(o.path("time").asText()), AccountId.orNull(text(o, "account")), Region.orNull(text(o, "region")),
                text(o, "resource"), text(o, "source"), text(o, "summary"), ids, actions, facts);
    }

    public static ActionStatus status(String label) {
        for (ActionStatus s : ActionStatus.values()) if (s.label().equals(label)) return s;
        throw new IllegalArgumentException("unknown action status '" + label + "'");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode n) {
        return n == null || n.isNull() ? Map.of() : JSON.convertValue(n, LinkedHashMap.class);
    }

    private static String text(JsonNode o, String k) {
        JsonNode n = o.get(k);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** A claim's attempt (its plan and the finding it answers), kept with the claim: {@link #readAttempt} reads it back. */
    public static String attempt(dev.vigil.core.response.ActionLedger.Attempt a) {
        dev.vigil.core.finding.ActionPlan plan = a.plan();
        Finding finding = a.finding();
        ObjectNode o = JSON.createObjectNode();
        if (a.trigger() != null) { // the self check of the start-up pass
            ObjectNode t = o.putObject("trigger");
            t.put("type", a.trigger().type());
            t.put("arn", a.trigger().arn());
            t.put("accountId", a.trigger().accountId());
            t.put("userName", a.trigger().userName());
            t.put("sessionIssuerArn", a.trigger().sessionIssuerArn());
            t.put("invokedBy", a.trigger().invokedBy());
        }
        ObjectNode p = o.putObject("plan");
        p.put("type", plan.type());
        p.put("target", plan.target());
        p.set("params", JSON.valueToTree(plan.params()));
        p.put("detail", plan.detail());
        p.put("key", plan.idempotencyKey());
        p.put("disruptive", plan.disruptive());
        p.set("undo", JSON.valueToTree(plan.undo()));
        try {
            o.set("finding", JSON.readTree(write(finding)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return o.toString();
    }

    public static dev.vigil.core.response.ActionLedger.Attempt readAttempt(String key, String json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored attempt of " + key + " is not readable: " + e.getOriginalMessage());
        }
        JsonNode p = o.path("plan");
        var plan = new dev.vigil.core.finding.ActionPlan(p.path("type").asText(), text(p, "target"), toMap(p.get("params")), text(p, "detail"),
                text(p, "key"), p.path("disruptive").asBoolean(), toMap(p.get("undo")));
        JsonNode t = o.get("trigger"); // absent in attempts kept before principals were
        dev.vigil.core.event.Principal trigger = t == null || t.isNull() ? null : new dev.vigil.core.event.Principal(text(t, "type"),
                text(t, "arn"), text(t, "accountId"), text(t, "userName"), text(t, "sessionIssuerArn"), text(t, "invokedBy"));
        return new dev.vigil.core.response.ActionLedger.Attempt(key, plan, read(o.get("finding").toString()), trigger);
    }
}
