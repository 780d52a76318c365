package dev.vigil.aws.dynamo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.engine.Timer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON a timer's schedule hands its target, {@code {"owner":..,"key":..,"due":"<ISO instant>","data":{..}}}: what
 * the timer Lambda receives as its event and what {@code GetSchedule} gives back as the target's input.
 */
public final class TimerInput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TimerInput() {}

    public static String write(Timer t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("owner", t.owner());
        o.put("key", t.key());
        o.put("due", t.due().toString());
        ObjectNode data = o.putObject("data");
        new java.util.TreeMap<>(t.data()).forEach(data::put); // sorted: the same timer always gives the same text
        return o.toString();
    }

    /** @throws IllegalArgumentException naming what is missing or malformed, when the text is not a timer */
    public static Timer read(String json) {
        JsonNode o;
        try {
            o = JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("timer input is not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) throw new IllegalArgumentException("timer input is not a JSON object");
        String owner = required(o, "owner");
        String key = required(o, "key");
        Instant due;
        try {
            due = Instant.parse(required(o, "due"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timer input field due is not an ISO instant: " + o.get("due").asText());
        }
        Map<String, String> data = new LinkedHashMap<>();
        JsonNode d = o.get("data");
        if (d != null && !d.isNull()) {
            if (!d.isObject()) throw new IllegalArgumentException("timer input field data is not an object");
            d.fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
        }
        return new Timer(owner, key, due, data);
    }

    private static String required(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new IllegalArgumentException("timer input lacks the text field " + field);
        }
        return n.asText();
    }
}
