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
        this.keepAll = options.cloudTrailFields().contains("*");
        this.keep = Projection.of(options.cloudTrailFields());
        // the principal is read from a kept userIdentity: what it reads is kept too
        Projection.require(keep, "userIdentity", "type", "arn", "accountId", "userName", "invokedBy",
                "sessionContext.sessionIssuer.arn", "sessionContext.sessionIssuer.userName");
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
        com.fasterxml.jackson.databind.node.ObjectNode fields = null; // the other top-level fields rules name
        boolean brief = false; // a record no rule reads: once its name is known, only time, source and error are read
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if (brief && !"eventTime".equals(f) && !"eventSource".equals(f) && !"errorCode".equals(f) && !"awsRegion".equals(f)) {
                p.skipChildren();
                continue;
            }
            switch (f) {
                case "eventID" -> id = scalar(p, v);
                case "eventTime" -> time = timeText(p, v);
                // values as new Strings, not through a pool of those seen before (there was one: on the Sigma bench,
                // hashing and comparing the parser's characters with a kept value cost the decoding thread 5.2 s
                // where the Strings it saved cost 4.5 s)
                case "eventSource" -> source = scalar(p, v);
                case "eventName" -> {
                    name = scalar(p, v);
                    brief = name != null && !options.cloudTrailRecord().test(name);
                }
                case "awsRegion" -> region = scalar(p, v);
                case "sourceIPAddress" -> ip = scalar(p, v);
                case "userAgent" -> agent = scalar(p, v);
                case "errorCode" -> error = scalar(p, v);
                case "errorMessage" -> errorMessage = scalar(p, v);
                case "recipientAccountId" -> recipient = scalar(p, v);
                case "userIdentity" -> {
                    Projection what = keepAll ? Projection.WHOLE : keep.get(f);
                    if (what != null && v == JsonToken.START_OBJECT) {
                        JsonNode ui = tree(p, v, what);
                        principal = JsonEvents.principal(ui);
                        fields = keep(fields, f, ui);
                    } else {
                        principal = v == JsonToken.START_OBJECT ? principal(p) : skip(p, v);
                    }
                }
                case "requestParameters" -> request = detail(p, v, name);
                case "responseElements" -> response = detail(p, v, name);
                default -> {
                    Projection what = keepAll ? Projection.WHOLE : keep.get(f);
                    if (what != null) fields = keep(fields, f, tree(p, v, what));
                    else p.skipChildren();
                }
            }
        }
        if (name == null) throw new Shape("CloudTrail record without eventName");
        if (time == null) throw new Shape("CloudTrail record without eventTime");
        Instant at;
        if (time == lastTimeText || time.equals(lastTimeText)) {
            at = lastTime;
        } else {
            at = fastTime(time);
            if (at == null) at = JsonEvents.parseTime(time, "eventTime");
            lastTimeText = time;
            lastTime = at;
        }
        if ((request != MISSING || response != MISSING) && !wanted(name)) {
            request = MissingNode.getInstance(); // read before eventName was known, not wanted after all
            response = MissingNode.getInstance();
        }
        return new CloudTrailCall(id, at, account(recipient != null ? recipient : principal.accountId()), region(region),
                origin, source, name, principal, ip, agent, error, errorMessage, request, response, false, fields == null ? MISSING : fields);
    }

    private final java.util.Map<String, Projection> keep; // top-level name to the part of it the detectors read
    private final boolean keepAll;

    private static com.fasterxml.jackson.databind.node.ObjectNode keep(com.fasterxml.jackson.databind.node.ObjectNode fields, String name, JsonNode value) {
        if (fields == null) fields = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        fields.set(name, value);
        return fields;
    }

    // Accounts and regions repeat in every record of a file: validate each distinct value once.
    private final java.util.Map<String, dev.vigil.core.event.AccountId> accounts = new java.util.HashMap<>();
    private final java.util.Map<String, dev.vigil.core.event.Region> regions = new java.util.HashMap<>();

    private dev.vigil.core.event.AccountId account(String s) {
        if (s == null) return null;
        if (accounts.size() > 10_000) accounts.clear();
        return accounts.computeIfAbsent(s, JsonEvents::account);
    }

    private dev.vigil.core.event.Region region(String s) {
        if (s == null) return null;
        if (regions.size() > 1_000) regions.clear();
        return regions.computeIfAbsent(s, JsonEvents::region);
    }

    /** CloudTrail's own form, {@code 2024-05-01T10:00:00Z}, without a DateTimeFormatter; null for any other form. */
    static Instant fastTime(String t) {
        if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != 'Z') return null;
        int y = num(t, 0, 4);
        int mo = num(t, 5, 2);
        int d = num(t, 8, 2);
        int h = num(t, 11, 2);
        int mi = num(t, 14, 2);
        int se = num(t, 17, 2);
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return null;
        try {
            long days = java.time.LocalDate.of(y, mo, d).toEpochDay();
            return Instant.ofEpochSecond(days * 86400 + h * 3600L + mi * 60L + se);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int num(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }


    private char[] lastTimeChars = new char[0];
    private String lastTimeString; // lastTimeChars as a String

    /**
     * eventTime's text: the last one's String when the characters are the same (records come in runs of one second),
     * else a new one.
     */
    private String timeText(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_STRING) return scalar(p, v);
        char[] buf = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        if (lastTimeString != null && len == lastTimeChars.length && java.util.Arrays.equals(lastTimeChars, 0, len, buf, off, off + len)) {
            return lastTimeString;
        }
        lastTimeChars = java.util.Arrays.copyOfRange(buf, off, off + len);
        lastTimeString = new String(lastTimeChars);
        return lastTimeString;
    }

    /** userIdentity read from the stream (no tree): type, arn, accountId, userName, invokedBy, the session issuer. */
    private Principal principal(JsonParser p) throws IOException {
        String type = null;
        String arn = null;
        String account = null;
        String user = null;
        String invokedBy = null;
        String issuerArn = null;
        String issuerName = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "type" -> type = scalar(p, v);
                case "arn" -> arn = scalar(p, v);
                case "accountId" -> account = scalar(p, v);
                case "userName" -> user = scalar(p, v);
                case "invokedBy" -> invokedBy = scalar(p, v);
                case "sessionContext" -> {
                    if (v != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String g = p.currentName();
                        JsonToken w = p.nextToken();
                        if ("sessionIssuer".equals(g) && w == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String k = p.currentName();
                                JsonToken x = p.nextToken();
                                if ("arn".equals(k)) issuerArn = scalar(p, x);
                                else if ("userName".equals(k)) issuerName = scalar(p, x);
                                else p.skipChildren();
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Principal(type, arn, account, user != null ? user : issuerName, issuerArn, invokedBy);
    }

    private JsonNode detail(JsonParser p, JsonToken v, String nameSoFar) throws IOException {
        if (v == JsonToken.VALUE_NULL) return com.fasterxml.jackson.databind.node.NullNode.getInstance(); // kept: a shape check names it
        if (nameSoFar != null && !wanted(nameSoFar)) {
            p.skipChildren();
            return MissingNode.getInstance();
        }
        return tree(p, v);
    }

    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory NODES = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    /** {@link #tree} of the parts {@code what} names (objects keep only their keys on a path; arrays each element so). */
    static JsonNode tree(JsonParser p, JsonToken t, Projection what) throws IOException {
        if (what.whole()) return tree(p, t);
        if (t == JsonToken.START_OBJECT) {
            com.fasterxml.jackson.databind.node.ObjectNode o = NODES.objectNode();
            JsonToken k;
            while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                Projection c = what.child(name);
                if (c == null) {
                    if (v == null) throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "unexpected end of input");
                    p.skipChildren();
                } else {
                    o.set(name, tree(p, v, c));
                }
            }
            if (k != JsonToken.END_OBJECT) throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + k + " in an object");
            return o;
        }
        if (t == JsonToken.START_ARRAY) {
            com.fasterxml.jackson.databind.node.ArrayNode a = NODES.arrayNode();
            JsonToken x;
            while ((x = p.nextToken()) != JsonToken.END_ARRAY) {
                if (x == null) throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "unexpected end of input");
                a.add(tree(p, x, what));
            }
            return a;
        }
        return tree(p, t);
    }

    /**
     * The value at the current token as a tree, as {@code readValueAsTree} builds it (the same node types: int, long
     * or big integer; double unless the parser says otherwise; the last of duplicate keys, in its first place) without
     * databind's per-call setup. Tokens come through the bounded parser, so its depth and size limits hold.
     * {@code TreeReadTest} holds the two equal.
     */
    static JsonNode tree(JsonParser p, JsonToken t) throws IOException {
        if (t == null) throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "unexpected end of input");
        switch (t) {
            case START_OBJECT -> {
                com.fasterxml.jackson.databind.node.ObjectNode o = NODES.objectNode();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.set(name, tree(p, p.nextToken()));
                }
                if (k != JsonToken.END_OBJECT) throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + k + " in an object");
                return o;
            }
            case START_ARRAY -> {
                com.fasterxml.jackson.databind.node.ArrayNode a = NODES.arrayNode();
                JsonToken x;
                while ((x = p.nextToken()) != JsonToken.END_ARRAY) a.add(tree(p, x));
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                JsonParser.NumberTypeFP nt = p.getNumberTypeFP();
                if (nt == JsonParser.NumberTypeFP.BIG_DECIMAL) return NODES.numberNode(p.getDecimalValue());
                if (nt == JsonParser.NumberTypeFP.FLOAT32) return NODES.numberNode(p.getFloatValue());
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> {
                return p.readValueAsTree(); // an embedded object: not in JSON text
            }
        }
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
