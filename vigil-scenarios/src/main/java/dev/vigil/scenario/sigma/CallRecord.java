package dev.vigil.scenario.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.Principal;
import dev.vigil.core.sigma.SigmaRecord;

/**
 * A CloudTrail record as Sigma rules see it: the decoded fields of the call, and the other top-level fields the
 * decoder kept because some rule names them ({@link CloudTrailCall#fields()}).
 */
final class CallRecord implements SigmaRecord {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final CloudTrailCall c;

    CallRecord(CloudTrailCall c) {
        this.c = c;
    }

    @Override
    public JsonNode field(String name) {
        return switch (name) {
            case "eventID" -> text(c.id());
            case "eventTime" -> c.time() == null ? null : F.textNode(c.time().toString());
            case "eventSource" -> text(c.eventSource());
            case "eventName" -> text(c.eventName());
            case "awsRegion" -> c.region() == null ? null : F.textNode(c.region().toString());
            case "sourceIPAddress" -> text(c.sourceIp());
            case "userAgent" -> text(c.userAgent());
            case "errorCode" -> text(c.errorCode());
            case "errorMessage" -> text(c.errorMessage());
            case "recipientAccountId" -> {
                JsonNode kept = c.fields().get(name);
                yield kept != null ? kept : c.account() == null ? null : F.textNode(c.account().toString());
            }
            case "requestParameters" -> detail(c.requestParameters(), name);
            case "responseElements" -> detail(c.responseElements(), name);
            case "userIdentity" -> {
                JsonNode kept = c.fields().get(name);
                yield kept != null ? kept : principal(c.principal());
            }
            default -> c.fields().get(name);
        };
    }

    private JsonNode detail(JsonNode decoded, String name) {
        if (decoded != null && !decoded.isMissingNode()) return decoded;
        JsonNode kept = c.fields().get(name);
        return kept;
    }

    private static JsonNode text(String s) {
        return s == null ? null : F.textNode(s);
    }

    /** The caller as the decoder flattened it, when the full userIdentity was not kept. */
    private static JsonNode principal(Principal p) {
        if (p == null || p == Principal.UNKNOWN) return null;
        ObjectNode o = F.objectNode();
        if (p.type() != null) o.put("type", p.type());
        if (p.arn() != null) o.put("arn", p.arn());
        if (p.accountId() != null) o.put("accountId", p.accountId());
        if (p.invokedBy() != null) o.put("invokedBy", p.invokedBy());
        return o;
    }
}
