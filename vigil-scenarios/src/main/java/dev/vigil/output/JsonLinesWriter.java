package dev.vigil.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code --format json}: one finding object per line, then {@code {"summary":{...}}}. Each finding is written
 * straight into UTF-8 bytes ({@link Utf8Json}; a replay may write a million): the same bytes as
 * {@link FindingJson#text} plus the line separator {@code println} would write, a lone surrogate becoming {@code ?}
 * as in a PrintStream. A rule's {@code sigma} object, the same in each of its findings, is encoded once and copied.
 */
public final class JsonLinesWriter implements ReportWriter {
    private static final String NL = System.lineSeparator();
    private static final byte[] RULE = key("{\"rule\":");
    private static final byte[] POLICY = key(",\"policy\":");
    private static final byte[] SEVERITY = key(",\"severity\":");
    private static final byte[] TIME = key(",\"time\":");
    private static final byte[] ACCOUNT = key(",\"account\":");
    private static final byte[] REGION = key(",\"region\":");
    private static final byte[] RESOURCE = key(",\"resource\":");
    private static final byte[] SOURCE = key(",\"source\":");
    private static final byte[] SUMMARY = key(",\"summary\":");
    private static final byte[] EVENT_IDS = key(",\"event_ids\":[");
    private static final byte[] ACTIONS = key("],\"actions\":[");
    private static final byte[] TYPE = key("{\"type\":");
    private static final byte[] TARGET = key(",\"target\":");
    private static final byte[] STATUS = key(",\"status\":");
    private static final byte[] DETAIL = key(",\"detail\":");
    private static final byte[] PARAMS = key(",\"params\":");
    private static final byte[] SIGMA = key(",\"sigma\":");
    private static final byte[] END = key("}" + NL);
    private static final int SIGMA_CACHE = 16;

    private final PrintStream out;
    private final Utf8Json w;
    private final boolean flushEach;
    // the sigma objects of the last rules written: their facts and their bytes, the latest hit first looked at
    private final String[][] sigmaFacts = new String[SIGMA_CACHE][];
    private final byte[][] sigmaBytes = new byte[SIGMA_CACHE][];
    private int sigmaNext;
    private int sigmaLast = -1;
    private final String[] facts = new String[FindingJson.SIGMA_FACT_COUNT];
    // the fields whose value is mostly the same object as in the finding before
    private final Utf8Json.Slot ruleSlot = new Utf8Json.Slot();
    private final Utf8Json.Slot policySlot = new Utf8Json.Slot();
    private final Utf8Json.Slot severitySlot = new Utf8Json.Slot();
    private final Utf8Json.Slot accountSlot = new Utf8Json.Slot();
    private final Utf8Json.Slot regionSlot = new Utf8Json.Slot();
    private java.time.Instant lastTime;
    private byte[] lastTimeBytes;

    /** Each finding handed to {@code out} as it is written (the daemon's findings, as they happen). */
    public JsonLinesWriter(PrintStream out) {
        this(out, true);
    }

    /** Findings held in the writer's buffers until it is full or the summary is written (replay's). */
    public static JsonLinesWriter buffered(PrintStream out) {
        return new JsonLinesWriter(out, false);
    }

    private JsonLinesWriter(PrintStream out, boolean flushEach) {
        this.out = out;
        this.flushEach = flushEach;
        this.w = new Utf8Json(out, flushEach ? 4096 : 64 * 1024);
    }

    private static byte[] key(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void finding(Finding f) {
        w.bytes(RULE);
        w.string(f.rule(), ruleSlot);
        w.bytes(POLICY);
        w.string(f.policy(), policySlot);
        w.bytes(SEVERITY);
        w.string(f.severity().label(), severitySlot);
        w.bytes(TIME);
        w.bytes(time(f.time()));
        w.bytes(ACCOUNT);
        w.string(f.account() == null ? null : f.account().toString(), accountSlot);
        w.bytes(REGION);
        w.string(f.region() == null ? null : f.region().toString(), regionSlot);
        w.bytes(RESOURCE);
        w.string(f.resource());
        w.bytes(SOURCE);
        w.string(f.source());
        w.bytes(SUMMARY);
        w.string(f.summary());
        w.bytes(EVENT_IDS);
        boolean first = true;
        for (String id : f.eventIds()) {
            if (!first) w.ascii(',');
            first = false;
            w.string(id);
        }
        w.bytes(ACTIONS);
        first = true;
        for (ActionResult a : f.actions()) {
            if (!first) w.ascii(',');
            first = false;
            w.bytes(TYPE);
            w.string(a.type());
            w.bytes(TARGET);
            w.string(a.target());
            w.bytes(STATUS);
            w.string(a.status().label());
            w.bytes(DETAIL);
            w.string(a.detail());
            w.bytes(PARAMS);
            w.raw(params(a.params()));
            w.ascii('}');
        }
        w.ascii(']');
        Map<String, String> facts = f.facts();
        if (FindingJson.hasSigma(facts)) {
            w.bytes(SIGMA);
            w.bytes(sigma(facts));
        }
        w.bytes(END);
        if (flushEach) {
            w.drain();
            out.flush();
        }
    }

    /** The action's params as the generator wrote them before (the tree through the mapper). */
    private static String params(Map<String, Object> params) {
        try {
            return FindingJson.JSON.writeValueAsString(FindingJson.value(params));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] time(java.time.Instant t) {
        if (!t.equals(lastTime)) {
            lastTimeBytes = instant(t);
            lastTime = t;
        }
        return lastTimeBytes;
    }

    /** {@code t.toString()} quoted, as bytes (ASCII, never escaped); whole seconds of 1970 to 9999 without a formatter. */
    static byte[] instant(java.time.Instant t) {
        long s = t.getEpochSecond();
        if (t.getNano() != 0 || s < 0 || s >= 253_402_300_800L) return key("\"" + t + "\"");
        java.time.LocalDate d = java.time.LocalDate.ofEpochDay(s / 86_400);
        int sec = (int) (s % 86_400);
        byte[] b = new byte[22];
        b[0] = '"';
        digits(b, 1, d.getYear(), 4);
        b[5] = '-';
        digits(b, 6, d.getMonthValue(), 2);
        b[8] = '-';
        digits(b, 9, d.getDayOfMonth(), 2);
        b[11] = 'T';
        digits(b, 12, sec / 3600, 2);
        b[14] = ':';
        digits(b, 15, sec / 60 % 60, 2);
        b[17] = ':';
        digits(b, 18, sec % 60, 2);
        b[20] = 'Z';
        b[21] = '"';
        return b;
    }

    private static void digits(byte[] b, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    private byte[] sigma(Map<String, String> all) {
        boolean cacheable = FindingJson.sigmaFacts(all, facts);
        if (!cacheable) return Utf8Json.encode(FindingJson.sigmaJson(all));
        if (sigmaLast >= 0 && java.util.Arrays.equals(facts, sigmaFacts[sigmaLast])) return sigmaBytes[sigmaLast];
        for (int i = 0; i < SIGMA_CACHE; i++) {
            if (sigmaFacts[i] != null && java.util.Arrays.equals(facts, sigmaFacts[i])) {
                sigmaLast = i;
                return sigmaBytes[i];
            }
        }
        int i = sigmaNext;
        sigmaNext = (sigmaNext + 1) % SIGMA_CACHE;
        sigmaFacts[i] = facts.clone();
        sigmaBytes[i] = Utf8Json.encode(FindingJson.sigmaJson(all));
        sigmaLast = i;
        return sigmaBytes[i];
    }

    @Override
    public void summary(RunSummary s) {
        flushFindings();
        ObjectNode root = FindingJson.JSON.createObjectNode();
        ObjectNode o = root.putObject("summary");
        o.put("inputs", s.inputs());
        o.put("events", s.events());
        o.put("findings", s.findings());
        o.put("errors", s.errors());
        s.extra().forEach(o::put);
        write(root);
        out.flush();
    }

    /** What the buffer holds, into {@code out}. */
    private void flushFindings() {
        w.drain();
        out.flush();
    }

    private void write(ObjectNode node) {
        try {
            out.println(FindingJson.JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
