package dev.vigil.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The JSON Lines writer streams a finding's object; it must be exactly the tree {@link FindingJson#of} builds, as text. */
class FindingJsonStreamTest {
    private static final String[] HOSTILE = {"plain", "", "quote \" and \\ backslash", "tab\tnew\nline\r\u0000\u001f", "caf\u00e9 \u65e5\u672c",
        "emoji \ud83d\ude00", "lone \ud800 surrogate", "lone low \udc00", "</script><b>", "\u2028\u2029", "a\u007fb"};

    @Test
    void streamedTextEqualsTheTree() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            Finding f = finding(r);
            String tree = FindingJson.JSON.writeValueAsString(FindingJson.of(f));
            assertEquals(tree, FindingJson.text(f), "seed " + seed + ", finding " + i);
            // the next finding of the same rule (same sigma facts): the writer reuses the rule's sigma text
            Finding again = f.withActions(List.of());
            assertEquals(FindingJson.JSON.writeValueAsString(FindingJson.of(again)), FindingJson.text(again), "seed " + seed + ", finding " + i + " again");
        }
    }

    @Test
    void theJsonLinesWriterWritesWhatPrintlnOfTheTextWouldByteForByte() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 3000; i++) findings.add(finding(r));
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        java.io.PrintStream e = new java.io.PrintStream(expected, false, java.nio.charset.StandardCharsets.UTF_8);
        for (Finding f : findings) e.println(FindingJson.text(f)); // what the writer wrote before it kept a generator
        e.flush();
        RunSummary summary = new RunSummary(1, 3000, 3000, 0, Map.of());
        for (String how : List.of("flushing each", "buffered", "on its own thread")) {
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            java.io.PrintStream out = new java.io.PrintStream(got, false, java.nio.charset.StandardCharsets.UTF_8);
            ReportWriter w = switch (how) {
                case "flushing each" -> new JsonLinesWriter(out);
                case "buffered" -> JsonLinesWriter.buffered(out);
                default -> AsyncReportWriter.of(JsonLinesWriter.buffered(out));
            };
            for (Finding f : findings) w.finding(f);
            if (how.equals("flushing each")) {
                out.flush();
                assertEquals(expected.toString(java.nio.charset.StandardCharsets.UTF_8), got.toString(java.nio.charset.StandardCharsets.UTF_8),
                        how + ": every finding out before the summary, seed " + seed);
            }
            w.summary(summary);
            byte[] text = got.toByteArray();
            byte[] want = expected.toByteArray();
            assertEquals(new String(want, java.nio.charset.StandardCharsets.UTF_8),
                    new String(Arrays.copyOf(text, Math.min(text.length, want.length)), java.nio.charset.StandardCharsets.UTF_8), how + ", seed " + seed);
            org.junit.jupiter.api.Assertions.assertArrayEquals(want, Arrays.copyOf(text, want.length), how + ": bytes, seed " + seed);
            String tail = new String(text, want.length, text.length - want.length, java.nio.charset.StandardCharsets.UTF_8);
            org.junit.jupiter.api.Assertions.assertTrue(tail.startsWith("{\"summary\":{\"inputs\":1,\"events\":3000"), how + ": " + tail);
        }
    }

    @Test
    void anInstantsBytesAreItsText() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        List<Instant> edges = List.of(Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.parse("9999-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("2024-02-29T12:34:56Z"), Instant.ofEpochSecond(0, 1), Instant.MIN, Instant.MAX);
        for (int i = 0; i < 200_000; i++) {
            Instant t = i < edges.size() ? edges.get(i) : Instant.ofEpochSecond(r.nextLong(-100_000_000_000L, 300_000_000_000L),
                    r.nextInt(4) == 0 ? r.nextInt(1_000_000_000) : 0);
            assertEquals("\"" + t + "\"", new String(JsonLinesWriter.instant(t), java.nio.charset.StandardCharsets.US_ASCII), "seed " + seed + ": " + t);
        }
    }

    @Test
    void aWriterThatFailsOnItsThreadFailsTheCaller() {
        ReportWriter broken = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                throw new IllegalStateException("disk full");
            }

            @Override
            public void summary(RunSummary s) {}
        };
        AsyncReportWriter w = AsyncReportWriter.of(broken);
        Finding f = new Finding("r", "p", Severity.LOW, Instant.EPOCH, null, null, null, null, "s", List.of(), List.of(), Map.of());
        IllegalStateException thrown = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i < 100_000; i++) w.finding(f);
            w.summary(new RunSummary(0, 0, 0, 0, Map.of()));
        });
        assertEquals("disk full", thrown.getMessage());
    }

    @Test
    void aFactPresentAsNullIsNotTakenForAnAbsentOne() throws Exception {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("sigma.title", "t");
        Finding absent = new Finding("r", "p", Severity.LOW, Instant.EPOCH, null, null, null, null, "s", List.of(), List.of(), facts);
        facts.put("sigma.author", null);
        Finding nulled = new Finding("r", "p", Severity.LOW, Instant.EPOCH, null, null, null, null, "s", List.of(), List.of(), facts);
        for (Finding f : List.of(absent, nulled, absent, nulled)) {
            assertEquals(FindingJson.JSON.writeValueAsString(FindingJson.of(f)), FindingJson.text(f));
        }
        org.junit.jupiter.api.Assertions.assertTrue(FindingJson.text(nulled).contains("\"author\":null"));
    }

    @Test
    void sigmaFindingAsTheSigmaDetectorWritesIt() throws Exception {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("sigma.id", "905d389b-b853-46d0-9d3d-dea0d3a3cd49");
        facts.put("sigma.title", "AWS STS AssumeRole Misuse");
        facts.put("sigma.level", "low");
        facts.put("sigma.tags", "attack.lateral-movement\nattack.t1548");
        facts.put("sigma.references", "https://example.com/a");
        facts.put("sigma.author", "Austin Songer @austinsonger");
        facts.put("call", "sts.amazonaws.com AssumeRole");
        Finding f = new Finding("aws_sts_assumerole_misuse", "sigma", Severity.LOW, Instant.parse("2025-03-06T00:00:01Z"),
                AccountId.of("111122223333"), null, "arn:aws:sts::111122223333:assumed-role/Admin/user1", "203.0.113.7",
                "AWS STS AssumeRole Misuse: sts.amazonaws.com AssumeRole by arn:...", List.of("e1"), List.of(), facts);
        String text = FindingJson.text(f);
        assertEquals(FindingJson.JSON.writeValueAsString(FindingJson.of(f)), text);
        assertEquals("{\"rule\":\"aws_sts_assumerole_misuse\",\"policy\":\"sigma\",\"severity\":\"low\",\"time\":\"2025-03-06T00:00:01Z\","
                + "\"account\":\"111122223333\",\"region\":null,\"resource\":\"arn:aws:sts::111122223333:assumed-role/Admin/user1\","
                + "\"source\":\"203.0.113.7\",\"summary\":\"AWS STS AssumeRole Misuse: sts.amazonaws.com AssumeRole by arn:...\","
                + "\"event_ids\":[\"e1\"],\"actions\":[],\"sigma\":{\"id\":\"905d389b-b853-46d0-9d3d-dea0d3a3cd49\",\"title\":\"AWS STS AssumeRole Misuse\","
                + "\"level\":\"low\",\"tags\":[\"attack.lateral-movement\",\"attack.t1548\"],\"references\":[\"https://example.com/a\"],"
                + "\"author\":\"Austin Songer @austinsonger\"}}", text);
    }

    private static String s(SplittableRandom r) {
        if (r.nextInt(8) == 0) return null;
        if (r.nextBoolean()) return HOSTILE[r.nextInt(HOSTILE.length)];
        StringBuilder b = new StringBuilder();
        // now and then a long one, past the writer's buffer (its chunks end anywhere: in an escape, inside a pair)
        int n = r.nextInt(40) == 0 ? r.nextInt(70_000) : r.nextInt(12);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0 -> b.append((char) r.nextInt(0x20)); // control characters
                case 1 -> b.append("\\\"\u007f/".charAt(r.nextInt(4)));
                case 2 -> b.appendCodePoint(r.nextInt(0x10000, 0x110000)); // a surrogate pair
                case 3 -> b.append((char) r.nextInt(0xd800, 0xe000)); // a surrogate, likely lone
                case 4 -> b.append((char) r.nextInt(0x80, 0x800));
                default -> b.append((char) r.nextInt(r.nextBoolean() ? 128 : 0xffff));
            }
        }
        return b.toString();
    }

    private static String nn(SplittableRandom r) {
        String v = s(r);
        return v == null ? "x" : v;
    }

    private static Object value(SplittableRandom r, int depth) {
        return switch (r.nextInt(depth > 2 ? 7 : 9)) {
            case 0 -> null;
            case 1 -> r.nextInt();
            case 2 -> r.nextLong();
            case 3 -> r.nextDouble() * 1e6;
            case 4 -> r.nextBoolean();
            case 5 -> JsonNodeFactory.instance.textNode(nn(r));
            case 6 -> nn(r);
            case 7 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) m.put(nn(r) + i, value(r, depth + 1));
                yield m;
            }
            default -> {
                List<Object> l = new ArrayList<>();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) l.add(value(r, depth + 1));
                yield l;
            }
        };
    }

    private static Finding finding(SplittableRandom r) {
        List<String> ids = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) ids.add(nn(r));
        List<ActionResult> actions = new ArrayList<>();
        int a = r.nextInt(3);
        for (int i = 0; i < a; i++) {
            Map<String, Object> params = new LinkedHashMap<>();
            int p = r.nextInt(4);
            for (int k = 0; k < p; k++) params.put(nn(r) + k, value(r, 0));
            ActionStatus[] st = ActionStatus.values();
            actions.add(new ActionResult(nn(r), nn(r), st[r.nextInt(st.length)], s(r), params));
        }
        Map<String, String> facts = new LinkedHashMap<>();
        if (r.nextBoolean()) {
            facts.put("sigma.title", nn(r));
            if (r.nextBoolean()) facts.put("sigma.id", s(r) == null ? "id" : nn(r));
            if (r.nextBoolean()) facts.put("sigma.level", nn(r));
            if (r.nextBoolean()) facts.put("sigma.tags", String.join("\n", Arrays.asList(nn(r), nn(r), nn(r))));
            if (r.nextBoolean()) facts.put("sigma.references", nn(r) + "\r\n" + nn(r));
            if (r.nextBoolean()) facts.put("sigma.author", nn(r));
            if (r.nextBoolean()) facts.put("sigma.license", nn(r));
        }
        if (r.nextBoolean()) facts.put("who", nn(r));
        Severity[] sev = Severity.values();
        return new Finding(nn(r), nn(r), sev[r.nextInt(sev.length)], Instant.ofEpochSecond(r.nextLong(0, 4_000_000_000L), r.nextInt(3) == 0 ? r.nextInt(1_000_000_000) : 0),
                r.nextBoolean() ? null : AccountId.of("111122223333"), r.nextBoolean() ? null : Region.of("eu-west-1"),
                s(r), s(r), s(r), ids, actions, facts);
    }
}
