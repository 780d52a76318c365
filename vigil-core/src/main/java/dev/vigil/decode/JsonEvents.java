package dev.vigil.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.GenericEvent;
import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.InstanceStateChange;
import dev.vigil.core.event.InvalidIdException;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.ScheduledTick;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** Turns one JSON object of any supported shape into events (a CloudWatch Logs payload gives several). */
final class JsonEvents {
    static final ObjectMapper JSON = new ObjectMapper();

    private final DecodeOptions options;
    private final SyslogLines syslog;

    JsonEvents(DecodeOptions options, SyslogLines syslog) {
        this.options = options;
        this.syslog = syslog;
    }

    /**
     * Emits the events of {@code node}; throws {@link Shape} when it is not a shape vigil knows. Problems with a part
     * of it (one log event of a CloudWatch Logs payload) go to {@code errors}, and the other parts are emitted.
     */
    void decode(JsonNode node, Origin origin, Consumer<SecurityEvent> out, DecodeListener errors) {
        if (node == null || !node.isObject()) throw new Shape("expected a JSON object, found " + kind(node));
        if (node.has("detail-type")) {
            out.accept(eventBridge(node, origin));
        } else if (node.has("eventVersion") && node.has("eventName")) {
            out.accept(cloudTrail(node, origin, false, null));
        } else if (node.has("schemaVersion") && node.has("type") && (node.has("service") || node.has("resource"))) {
            out.accept(guardDuty(node, origin, null, null));
        } else if (node.has("awslogs")) {
            JsonNode d = node.path("awslogs").path("data");
            if (!d.isTextual()) throw new Shape("awslogs payload without data (a string)");
            logs(payload(d.asText()), origin, out, errors);
        } else if (node.has("messageType")) {
            logs(node, origin, out, errors);
        } else if (node.has("configRuleName") && node.has("invokingEvent")) {
            out.accept(configRule(node, origin));
        } else if (node.has("Records") && node.get("Records").isArray()) {
            for (JsonNode r : node.get("Records")) decode(r, origin, out, errors);
        } else {
            throw new Shape("unrecognised JSON object (expected an EventBridge event, a CloudTrail record, a GuardDuty finding or a "
                    + "CloudWatch Logs payload); keys: " + keys(node));
        }
    }

    private SecurityEvent eventBridge(JsonNode e, Origin origin) {
        String detailType = text(e, "detail-type");
        String id = text(e, "id");
        Instant time = time(e, "time");
        if (time == null) throw new Shape("EventBridge event without time");
        AccountId account = account(text(e, "account"));
        Region region = region(text(e, "region"));
        JsonNode detail = e.path("detail");
        List<String> resources = new ArrayList<>();
        e.path("resources").forEach(r -> resources.add(r.asText()));
        return switch (detailType == null ? "" : detailType) {
            case "EC2 Instance State-change Notification" -> {
                String instance = text(detail, "instance-id");
                String state = text(detail, "state");
                if (instance == null || state == null) throw new Shape("EC2 state-change event without detail.instance-id or detail.state");
                yield new InstanceStateChange(id, time, account, region, origin, instanceId(instance), state);
            }
            case "AWS API Call via CloudTrail" -> {
                if (!detail.isObject()) throw new Shape("CloudTrail event without detail");
                yield cloudTrail(detail, origin, true, time);
            }
            case "GuardDuty Finding" -> {
                if (!detail.isObject()) throw new Shape("GuardDuty event without detail");
                yield guardDuty(detail, origin, id, time);
            }
            case "Scheduled Event" -> new ScheduledTick(id, time, account, region, origin, resources);
            default -> new GenericEvent(id, time, account, region, origin, text(e, "source"), detailType, resources);
        };
    }

    CloudTrailCall cloudTrail(JsonNode r, Origin origin, boolean viaEventBridge, Instant fallbackTime) {
        String name = text(r, "eventName");
        if (name == null) throw new Shape("CloudTrail record without eventName");
        Instant time = r.has("eventTime") ? time(r, "eventTime") : fallbackTime;
        if (time == null) throw new Shape("CloudTrail record without eventTime");
        JsonNode ui = r.path("userIdentity");
        boolean detail = options.cloudTrailDetail().test(name);
        AccountId account = account(text(r, "recipientAccountId") != null ? text(r, "recipientAccountId") : text(ui, "accountId"));
        return new CloudTrailCall(text(r, "eventID"), time, account, region(text(r, "awsRegion")), origin, text(r, "eventSource"), name,
                principal(ui), text(r, "sourceIPAddress"), text(r, "userAgent"), text(r, "errorCode"), text(r, "errorMessage"),
                detail ? r.path("requestParameters") : MissingNode.getInstance(),
                detail ? r.path("responseElements") : MissingNode.getInstance(), viaEventBridge,
                // the other fields rules name are kept for every record read in full, whether or not its details are
                !options.cloudTrailFields().isEmpty() && (detail || options.cloudTrailRecord().test(name)) ? r : MissingNode.getInstance());
    }

    static Principal principal(JsonNode ui) {
        if (ui == null || !ui.isObject()) return Principal.UNKNOWN;
        JsonNode issuer = ui.path("sessionContext").path("sessionIssuer");
        return new Principal(text(ui, "type"), text(ui, "arn"), text(ui, "accountId"),
                text(ui, "userName") != null ? text(ui, "userName") : text(issuer, "userName"), text(issuer, "arn"), text(ui, "invokedBy"));
    }

    private GuardDutyFinding guardDuty(JsonNode f, Origin origin, String envelopeId, Instant envelopeTime) {
        String findingId = text(f, "id");
        if (findingId == null) throw new Shape("GuardDuty finding without id");
        Instant time = f.has("updatedAt") ? time(f, "updatedAt") : f.has("createdAt") ? time(f, "createdAt") : envelopeTime;
        if (time == null) throw new Shape("GuardDuty finding without updatedAt");
        JsonNode service = f.path("service");
        JsonNode sample = service.path("additionalInfo").path("sample");
        boolean isSample = sample.isBoolean() ? sample.asBoolean() : "true".equalsIgnoreCase(sample.asText(""));
        String instance = text(f.path("resource").path("instanceDetails"), "instanceId");
        double severity = f.path("severity").asDouble(0);
        return new GuardDutyFinding(envelopeId != null ? envelopeId : findingId, time, account(text(f, "accountId")),
                region(text(f, "region")), origin, findingId, text(f, "type"), severity, text(f, "title"), isSample,
                service.path("archived").asBoolean(false), service.path("count").asLong(1),
                instance == null ? null : instanceId(instance), f);
    }

    /**
     * A CloudWatch Logs payload's {@code awslogs.data}: base64 of gzip of JSON, decompressed to at most the payload
     * limit (a gzip bomb is one error, never an OutOfMemoryError) and parsed under the same JSON limits as a record.
     */
    private JsonNode payload(String data) {
        byte[] gz;
        try {
            gz = Base64.getDecoder().decode(data.trim());
        } catch (IllegalArgumentException e) {
            throw new Shape("awslogs.data is not base64");
        }
        int cap = options.limits().payloadBytes();
        try (var in = new Capped(new GZIPInputStream(new ByteArrayInputStream(gz)), cap);
                var p = PAYLOADS.createParser(in)) {
            JsonNode inner = p.readValueAsTree();
            if (inner == null) throw new Shape("awslogs.data holds no JSON");
            return inner;
        } catch (Capped.Over e) {
            throw new Shape("awslogs.data decompresses to more than " + cap + " bytes (the payload limit), skipped");
        } catch (IOException e) {
            throw new Shape("awslogs.data is not gzip-compressed JSON: " + BoundedJson.message(e));
        }
    }

    private static final com.fasterxml.jackson.core.JsonFactory PAYLOADS = BoundedJson.factory();

    /** An input stream that fails once more than {@code cap} bytes have been read from it. */
    private static final class Capped extends java.io.FilterInputStream {
        static final class Over extends IOException {
            private static final long serialVersionUID = 1L;
        }

        private long left;

        Capped(java.io.InputStream in, long cap) {
            super(in);
            left = cap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) throw new Over();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, (int) Math.min(len, Math.max(left + 1, 1)));
            if (n > 0 && (left -= n) < 0) throw new Over();
            return n;
        }
    }

    private void logs(JsonNode m, Origin origin, Consumer<SecurityEvent> out, DecodeListener errors) {
        String type = text(m, "messageType");
        if ("CONTROL_MESSAGE".equals(type)) return;
        if (!"DATA_MESSAGE".equals(type)) throw new Shape("CloudWatch Logs payload with messageType " + type);
        if (!m.path("logEvents").isArray()) throw new Shape("CloudWatch Logs payload whose logEvents is not a list");
        AccountId account = account(text(m, "owner"));
        InstanceId instance = SyslogLines.instanceIn(text(m, "logStream"));
        int k = 0;
        int max = options.limits().lineChars();
        for (JsonNode ev : m.path("logEvents")) {
            k++;
            JsonNode mv = ev.path("message");
            if (!mv.isTextual()) {
                errors.onError(origin.describe() + " log event " + k, "a log event whose message is " + (mv.isMissingNode() ? "missing" : kind(mv))
                        + ", skipped");
                continue;
            }
            String msg = mv.asText();
            if (msg.length() > max) {
                errors.onError(origin.describe() + " log event " + k, "message of " + msg.length() + " characters, longer than the limit of "
                        + max + ", skipped");
                continue;
            }
            Instant at = ev.path("timestamp").canConvertToLong() ? Instant.ofEpochMilli(ev.path("timestamp").asLong()) : null;
            SshLogLine line;
            try {
                line = syslog.parse(msg, at, instance, account, text(ev, "id"), origin);
            } catch (Shape bad) {
                line = null; // e.g. "Feb 30": the event's own timestamp still dates the message
            }
            // a message in no log format we know is still a log event of that stream, with the event's time
            out.accept(line != null ? line : new SshLogLine(text(ev, "id") != null ? text(ev, "id") : origin.describe(),
                    at != null ? at : Instant.EPOCH, account, null, origin, instance, null, null, 0, msg, at == null));
        }
    }

    /** An AWS Config rule invocation: valid input that no rule matches (its item is inside a JSON string). */
    private static GenericEvent configRule(JsonNode n, Origin origin) {
        Instant time = null;
        List<String> resources = new ArrayList<>();
        try {
            JsonNode inv = JSON.readTree(n.path("invokingEvent").asText("{}"));
            time = time(inv, "notificationCreationTime");
            JsonNode item = inv.path("configurationItem");
            if (time == null) time = time(item, "configurationItemCaptureTime");
            String rid = text(item, "resourceId");
            if (rid != null) resources.add(rid);
        } catch (IOException e) {
            throw new Shape("Config rule event whose invokingEvent is not JSON");
        }
        if (time == null) throw new Shape("Config rule event without notificationCreationTime");
        return new GenericEvent(text(n, "resultToken") != null ? text(n, "configRuleName") + ":" + time : text(n, "configRuleName"), time,
                account(text(n, "accountId")), null, origin, "aws.config", "Config Rules Evaluation", resources);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    static Instant time(JsonNode n, String field) {
        String s = text(n, field);
        if (s == null) return null;
        return parseTime(s, field);
    }

    static Instant parseTime(String s, String field) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw new Shape(field + " '" + s + "' is not an ISO-8601 time");
            }
        }
    }

    static AccountId account(String s) {
        try {
            return AccountId.orNull(s);
        } catch (InvalidIdException e) {
            return null; // anonymised corpora write accounts like "REDACTED"; the event is still good
        }
    }

    static Region region(String s) {
        try {
            return Region.orNull(s);
        } catch (InvalidIdException e) {
            return null;
        }
    }

    static InstanceId instanceId(String s) {
        try {
            return InstanceId.of(s);
        } catch (InvalidIdException e) {
            throw new Shape(e.getMessage());
        }
    }

    static String kind(com.fasterxml.jackson.core.JsonToken t) {
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        if (n.isArray()) return "an array";
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "a number";
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        n.fieldNames().forEachRemaining(f -> k.add(printable(f)));
        return k.size() > 6 ? String.join(", ", k.subList(0, 6)) + ", ..." : String.join(", ", k);
    }

    /** A key (or other input text) as it may appear in a one-line error: control characters escaped, at most 64 characters. */
    static String printable(String key) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < key.length() && b.length() < 64; i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return i < key.length() ? b + "..." : b.toString();
    }
}
