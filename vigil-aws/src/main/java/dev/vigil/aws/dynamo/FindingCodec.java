package dev.vigil.aws.dynamo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * A finding as one JSON document for a store item: the output contract's object ({@link FindingJson}) plus what the
 * contract leaves out but a store must keep to give the finding back whole: {@code id}, {@code facts}, and each
 * action's {@code idempotency_key} and {@code undo}.
 *
 * <p>Known gap: numbers in params and undo come back as the smallest fitting Java type (Integer before Long), so a
 * finding whose params held a {@code Long 22} reads back with {@code Integer 22}.
 */
final class FindingCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private FindingCodec() {}

    /** A plan-form map (an undo kept with a claim) as JSON. */
    static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @param where names the item, for the error message when the document is not a JSON object */
    static Map<String, Object> map(String json, String where) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": stored undo is not readable JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String write(Finding f) {
        ObjectNode o = FindingJson.of(f);
        o.put("id", f.id());
        var actions = o.withArray("actions");
        for (int i = 0; i < f.actions().size(); i++) {
            ActionResult a = f.actions().get(i);
            ObjectNode x = (ObjectNode) actions.get(i);
            x.put("idempotency_key", a.idempotencyKey());
            x.set("undo", JSON.valueToTree(a.undo()));
        }
        o.set("facts", JSON.valueToTree(f.facts()));
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("finding " + f.id() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @param where names the item, for the error message when the document is not a finding */
    static Finding read(String json, String where) {
        try {
            JsonNode o = JSON.readTree(json);
            List<String> ids = new ArrayList<>();
            o.path("event_ids").forEach(n -> ids.add(n.asText()));
            List<ActionResult> actions = new ArrayList<>();
            for (JsonNode x : o.path("actions")) {
                actions.add(new ActionResult(text(x, "type"), text(x, "target"), status(text(x, "status")), text(x, "detail"),
                        dev.vigil.output.LegacyNames.params(map(x.get("params"))), text(x, "idempotency_key"), map(x.get("undo"))));
            }
            Map<String, String> facts = new LinkedHashMap<>();
            o.path("facts").fields().forEachRemaining(e -> facts.put(e.getKey(), e.getValue().asText()));
            Severity severity = Severity.parse(text(o, "severity"));
            if (severity == null) throw new IllegalArgumentException("unknown severity " + text(o, "severity"));
            return new Finding(text(o, "rule"), text(o, "policy"), severity, Instant.parse(text(o, "time")),
                    AccountId.orNull(text(o, "account")), Region.orNull(text(o, "region")), text(o, "resource"),
                    text(o, "source"), text(o, "summary"), ids, actions, facts);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("stored finding " + where + " is not readable: " + message(e), e);
        }
    }

    private static String message(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Map<String, Object> map(JsonNode n) {
        return n == null || n.isNull() ? Map.of() : JSON.convertValue(n, MAP);
    }

    private static ActionStatus status(String label) {
        for (ActionStatus s : ActionStatus.values()) {
            if (s.label().equals(label)) return s;
        }
        throw new IllegalArgumentException("unknown action status " + label);
    }
}
