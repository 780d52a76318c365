package dev.vigil.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import dev.vigil.core.event.SecurityEvent;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code vigil events}: a normalized event as one JSON object: kind, time, ids, origin, then its own fields, each
 * named in snake_case (docs/schema/vigil-output.schema.json); objects copied from AWS keep AWS's names inside.
 */
public final class EventJson {
    private static final Set<String> COMMON = Set.of("id", "time", "account", "region", "origin");

    private EventJson() {}

    public static ObjectNode of(SecurityEvent e) {
        ObjectNode o = FindingJson.JSON.createObjectNode();
        o.put("kind", e.kind());
        o.put("time", e.time().toString());
        o.put("id", e.id());
        o.put("account", e.account() == null ? null : e.account().toString());
        o.put("region", e.region() == null ? null : e.region().toString());
        ArrayNode ids = o.putArray("resources");
        e.resourceIds().forEach(ids::add);
        o.set("origin", origin(e.origin()));
        for (RecordComponent c : e.getClass().getRecordComponents()) {
            if (COMMON.contains(c.getName())) continue;
            Object v;
            try {
                v = c.getAccessor().invoke(e);
            } catch (ReflectiveOperationException ex) {
                continue;
            }
            JsonNode n = value(v);
            if (n != null) o.set(snake(c.getName()), n);
        }
        return o;
    }

    /**
     * A record component's name as a key of the JSON contract: {@code eventSource} becomes {@code event_source}. The
     * values stay as they came: a CloudTrail record's {@code request_parameters} keep AWS's own names inside.
     */
    static String snake(String name) {
        StringBuilder b = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (Character.isUpperCase(ch)) {
                if (i > 0) b.append('_');
                b.append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    static ObjectNode origin(Origin origin) {
        ObjectNode o = FindingJson.JSON.createObjectNode();
        o.put("file", origin.file());
        if (origin.line() > 0) o.put("line", origin.line());
        if (origin.record() > 0) o.put("record", origin.record());
        return o;
    }

    private static JsonNode value(Object v) {
        if (v == null) return null;
        if (v instanceof JsonNode n) return n.isMissingNode() ? null : n;
        if (v instanceof Instant i) return FindingJson.JSON.getNodeFactory().textNode(i.toString());
        if (v instanceof Principal p) {
            ObjectNode o = FindingJson.JSON.createObjectNode();
            o.put("type", p.type());
            o.put("arn", p.arn());
            o.put("account_id", p.accountId());
            o.put("user_name", p.userName());
            o.put("session_issuer_arn", p.sessionIssuerArn());
            o.put("invoked_by", p.invokedBy());
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = FindingJson.JSON.createArrayNode();
            l.forEach(x -> a.add(String.valueOf(x)));
            return a;
        }
        if (v instanceof Number || v instanceof Boolean) return FindingJson.value(v);
        return FindingJson.JSON.getNodeFactory().textNode(String.valueOf(v));
    }
}
