package dev.vigil.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads one CloudTrail record straight from the parser, without building its tree: scalar fields are read as text,
 * {@code userIdentity} as a small tree, and {@code requestParameters} / {@code responseElements} only when some
 * enabled rule reads calls of that name (else they are skipped unparsed). This is what keeps replay of a
 * multi-gigabyte log file fast and in a small heap.
 */
final class CloudTrailRecords {
    private final DecodeOptions options;
    private String lastTimeText;
    private Instant lastTime;
    private String lastName;
    private boolean lastWanted;
    private static final JsonNode MISSING = MissingNode.getInstance();

    CloudTrailRecords(DecodeOptions options) {
        this.options = options;
    }

    /** The parser is at the record's START_OBJECT; on return it is at its END_OBJECT. */
    CloudTrailCall read(JsonParser p, Origin origin) throws IOException {
        String id = null;
        String time = null;
        String source = null;
        String name = null;
        String region = null;
        String ip = null;
        String agent = null;
        String error = null;
        String errorMessage = null;
        String recipient = null;
        Principal principal = Principal.UNKNOWN;
        JsonNode request = MISSING;
        JsonNode response = MISSING;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "eventID" -> id = scalar(p, v);
                case "eventTime" -> time = scalar(p, v);
                case "eventSource" -> source = scalar(p, v);
                case "eventName" -> name = scalar(p, v);
                case "awsRegion" -> region = scalar(p, v);
                case "sourceIPAddress" -> ip = scalar(p, v);
                case "userAgent" -> agent = scalar(p, v);
                case "errorCode" -> error = scalar(p, v);
                case "errorMessage" -> errorMessage = scalar(p, v);
                case "recipientAccountId" -> recipient = scalar(p, v);
                case "userIdentity" -> principal = v == JsonToken.START_OBJECT ? JsonEvents.principal(p.readValueAsTree()) : skip(p, v);
                case "requestParameters" -> request = detail(p, v, name);
                case "responseElements" -> response = detail(p, v, name);
                default -> p.skipChildren();
            }
        }
        if (name == null) throw new Shape("CloudTrail record without eventName");
        if (time == null) throw new Shape("CloudTrail record without eventTime");
        Instant at;
        if (time.equals(lastTimeText)) {
            at = lastTime;
        } else {
            at = JsonEvents.parseTime(time, "eventTime");
            lastTimeText = time;
            lastTime = at;
        }
        if ((request != MISSING || response != MISSING) && !wanted(name)) {
            request = MissingNode.getInstance(); // read before eventName was known, not wanted after all
            response = MissingNode.getInstance();
        }
        return new CloudTrailCall(id, at, JsonEvents.account(recipient != null ? recipient : principal.accountId()), JsonEvents.region(region),
                origin, source, name, principal, ip, agent, error, errorMessage, request, response, false);
    }

    private JsonNode detail(JsonParser p, JsonToken v, String nameSoFar) throws IOException {
        if (v == JsonToken.VALUE_NULL) return MissingNode.getInstance();
        if (nameSoFar != null && !wanted(nameSoFar)) {
            p.skipChildren();
            return MissingNode.getInstance();
        }
        return p.readValueAsTree();
    }

    /** The predicate's answer for the last name asked: records of one name often come in runs. */
    private boolean wanted(String name) {
        if (!name.equals(lastName)) {
            lastName = name;
            lastWanted = options.cloudTrailDetail().test(name);
        }
        return lastWanted;
    }

    private static String scalar(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) return null;
        if (v.isStructStart()) {
            p.skipChildren();
            return null;
        }
        return p.getText();
    }

    private static Principal skip(JsonParser p, JsonToken v) throws IOException {
        p.skipChildren();
        return Principal.UNKNOWN;
    }
}
