package dev.vigil.decode;

import static dev.vigil.decode.JsonDecodeTest.STATE;
import static dev.vigil.decode.JsonDecodeTest.gzip;
import static dev.vigil.decode.JsonDecodeTest.record;
import static dev.vigil.decode.JsonDecodeTest.records;
import static dev.vigil.decode.JsonDecodeTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.CloudTrailCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input never throws: one error naming the file and position, and decoding goes on. */
class BadInputTest {
    @TempDir
    Path dir;

    private static byte[] bigTrail(int n) {
        List<String> recs = new ArrayList<>();
        for (int i = 1; i <= n; i++) recs.add(record("DescribeInstances", "2025-03-06T10:00:00Z", ",\"pad\":\"" + "x".repeat(400) + i + "\""));
        return utf8(records(recs.toArray(String[]::new)));
    }

    @Test
    void truncatedGzipEmitsTheRecordsBeforeTheCutThenOneError() throws IOException {
        byte[] whole = gzip(bigTrail(2000));
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        Collect c = Collect.bytes("cut.json.gz", cut, DecodeOptions.defaults());
        assertThat(c.errors).hasSize(1);
        int n = c.events.size();
        // every record whose end survives the cut is emitted: as many as a plain gunzip of the cut file shows complete
        String prefix = new String(gunzipWhatCanBe(cut), StandardCharsets.UTF_8);
        long complete = java.util.regex.Pattern.compile("\\d\"}").matcher(prefix).results().count();
        assertThat(complete).isBetween(900L, 1000L);
        assertThat(n).isEqualTo(complete);
        assertThat(c.errors.get(0)).startsWith("cut.json.gz record " + (n + 1) + ": ").contains("truncated gzip");
        assertThat(c.events).extracting(e -> e.origin().record()).doesNotHaveDuplicates().last().isEqualTo((long) n);
    }

    private static byte[] gunzipWhatCanBe(byte[] gz) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            byte[] buf = new byte[512];
            int k;
            while ((k = in.read(buf)) > 0) out.write(buf, 0, k);
        } catch (IOException expected) {
            // the cut
        }
        return out.toByteArray();
    }

    @Test
    void truncatedGzipOfTextNamesTheLine() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) b.append("Mar  6 10:00:00 h sshd[").append(i).append("]: Invalid user u").append(i).append(" from 192.0.2.1\n");
        byte[] whole = gzip(utf8(b.toString()));
        Collect c = Collect.bytes("auth.log.gz", Arrays.copyOf(whole, whole.length - 40), DecodeOptions.defaults());
        assertThat(c.errors).hasSize(1);
        assertThat(c.errors.get(0)).startsWith("auth.log.gz:" + (c.events.size() + 1) + ": ").contains("truncated gzip");
        assertThat(c.events.size()).isGreaterThan(4500);
    }

    @Test
    void corruptGzipHeaderIsOneError() {
        Collect c = Collect.bytes("bad.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, DecodeOptions.defaults());
        assertThat(c.events).isEmpty();
        assertThat(c.errors).singleElement().asString().startsWith("bad.gz: ").contains("gzip");
    }

    @Test
    void nonJsonLineInJsonLinesNamesTheLineAndTheRestDecodes() {
        Collect c = Collect.text("ev.jsonl", STATE + "\nthis is not json\n" + STATE.replace("ev-1", "ev-3") + "\n");
        assertThat(c.errors).singleElement().asString().startsWith("ev.jsonl:2: not JSON");
        assertThat(c.events).extracting(e -> e.id()).containsExactly("ev-1", "ev-3");
    }

    @Test
    void brokenFirstLineOfJsonLinesStillDecodesTheRest() {
        Collect c = Collect.text("ev.jsonl", "{\"detail-type\": \n" + STATE + "\n" + STATE.replace("ev-1", "ev-3") + "\n");
        assertThat(c.errors).singleElement().asString().startsWith("ev.jsonl:1: not JSON");
        assertThat(c.events).hasSize(2);
    }

    @Test
    void jsonValueOfTheWrongShape() {
        Collect c = Collect.text("arr.json", "[" + STATE + ", 42, \"x\", {\"hello\":1}]");
        assertThat(c.events).hasSize(1);
        assertThat(c.errors).containsExactly("arr.json record 2: expected a JSON object, found a number",
                "arr.json record 3: expected a JSON object, found a string",
                "arr.json record 4: unrecognised JSON object (expected an EventBridge event, a CloudTrail record, a GuardDuty finding or a "
                        + "CloudWatch Logs payload); keys: hello");
    }

    @Test
    void aCraftedKeyCannotSplitTheOneLineError() {
        Collect c = Collect.text("k.json", "{\"a\\nb\\u0007\": 1, \"" + "x".repeat(200) + "\": 2}");
        assertThat(c.errors).singleElement().asString()
                .doesNotContain("\n").doesNotContain("\u0007")
                .endsWith("keys: a\\u000ab\\u0007, " + "x".repeat(64) + "...");
    }

    @Test
    void recordsArrayWithANonObjectGoesOn() {
        Collect c = Collect.text("t.json", "{\"Records\":[" + record("A", "2025-03-06T10:00:00Z", "") + ",7,"
                + record("B", "2025-03-06T10:00:01Z", "") + "]}");
        assertThat(c.errors).containsExactly("t.json record 2: expected a JSON object, found a number");
        assertThat(c.of(CloudTrailCall.class)).extracting(CloudTrailCall::eventName).containsExactly("A", "B");
    }

    @Test
    void recordWithoutEventNameOrWithBadTimeIsAnErrorAndTheRestGoesOn() {
        String noName = record("X", "2025-03-06T10:00:00Z", "").replace("\"eventName\":\"X\",", "");
        String badTime = record("Y", "yesterday", "");
        Collect c = Collect.text("t.json", records(noName, badTime, record("Z", "2025-03-06T10:00:00Z", "")));
        assertThat(c.errors).containsExactly("t.json record 1: CloudTrail record without eventName",
                "t.json record 2: eventTime 'yesterday' is not an ISO-8601 time");
        assertThat(c.events).hasSize(1);
    }

    @Test
    void malformedJsonInARecordsFileNamesTheRecord() {
        String text = records(record("A", "2025-03-06T10:00:00Z", ""), record("B", "2025-03-06T10:00:00Z", ""), "{\"eventName\": oops}");
        Collect c = Collect.text("t.json", text);
        assertThat(c.events).hasSize(2);
        assertThat(c.errors).singleElement().asString().startsWith("t.json record 3: malformed JSON at line 1");
    }

    @Test
    void stateChangeWithoutInstanceId() {
        Collect c = Collect.text("s.json", STATE.replace("\"instance-id\":\"i-0abc1234def567890\",", ""));
        assertThat(c.events).isEmpty();
        assertThat(c.errors).containsExactly("s.json record 1: EC2 state-change event without detail.instance-id or detail.state");
    }

    @Test
    void eventBridgeEventWithoutTimeIsAnError() {
        Collect c = Collect.text("s.json", STATE.replace("\"time\":\"2025-03-06T10:00:00Z\",", ""));
        assertThat(c.events).isEmpty();
        assertThat(c.errors).singleElement().asString().startsWith("s.json record 1: ").contains("time");
    }

    @Test
    void invalidInstanceIdIsAnErrorNotAThrow() {
        Collect c = Collect.text("s.json", STATE.replace("\"instance-id\":\"i-0abc1234def567890\"", "\"instance-id\":\"not an id\""));
        assertThat(c.events).isEmpty();
        assertThat(c.errors).singleElement().asString().startsWith("s.json record 1: ").contains("instance id");
    }

    @Test
    void badAwslogsData() {
        Collect c = Collect.text("a.json", "{\"awslogs\":{\"data\":\"%%%\"}}");
        assertThat(c.errors).containsExactly("a.json record 1: awslogs.data is not base64");
    }

    @Test
    void binaryFile() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        Collect c = Collect.bytes("pic.png", png, DecodeOptions.defaults());
        assertThat(c.events).isEmpty();
        assertThat(c.errors).containsExactly("pic.png: binary file, skipped");
    }

    @Test
    void emptyAndBlankFilesAreNoError() {
        assertThat(Collect.text("empty.json", "").errors).isEmpty();
        assertThat(Collect.text("blank.log", "\n  \n").errors).isEmpty();
        Collect gz = new Collect();
        assertThat(gz.errors).isEmpty();
    }

    @Test
    void emptyGzipIsNoError() throws IOException {
        Collect c = Collect.bytes("empty.json.gz", gzip(new byte[0]), DecodeOptions.defaults());
        assertThat(c.errors).isEmpty();
        assertThat(c.events).isEmpty();
    }

    @Test
    void textThatIsNoLogIsOneError() {
        Collect c = Collect.text("README", "this is a readme\nnothing here is a log line\n");
        assertThat(c.events).isEmpty();
        assertThat(c.errors).containsExactly("README: not a supported input: no JSON event and no log line (first at README:1)");
    }

    @Test
    void garbageLinesInALogAreNamedEvenBeforeTheFirstGoodLine() {
        Collect c = Collect.text("auth.log", "garbage at the top\nMar  6 10:00:00 h sshd[1]: x\nmore garbage here\n");
        assertThat(c.events).hasSize(1);
        assertThat(c.errors).containsExactly("auth.log:1: not a log line (syslog, RFC 5424, ISO-8601, journal or audit)",
                "auth.log:3: not a log line (syslog, RFC 5424, ISO-8601, journal or audit)");
    }

    @Test
    void invalidDateInALogLine() {
        Collect c = Collect.bytes("auth.log", utf8("Feb 30 10:00:00 h sshd[1]: x\nMar  6 10:00:00 h sshd[1]: y\n"),
                new DecodeOptions(n -> true, 2025, java.time.ZoneOffset.UTC));
        assertThat(c.events).hasSize(1);
        assertThat(c.errors).containsExactly("auth.log:1: invalid date Feb 30 in 2025");
    }

    @Test
    void missingFile() {
        Collect c = Collect.path(dir.resolve("nope.json"));
        assertThat(c.errors).singleElement().asString().startsWith(dir.resolve("nope.json") + ": ");
    }

    @Test
    void directoryTreeSortedByPathHiddenSkipped() throws IOException {
        Files.createDirectories(dir.resolve("b/sub"));
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve(".git"));
        Files.createDirectories(dir.resolve("b/.cache"));
        Files.writeString(dir.resolve("b/sub/2.log"), "Mar  6 10:00:02 h sshd[1]: two\n");
        Files.writeString(dir.resolve("b/1.log"), "Mar  6 10:00:01 h sshd[1]: one\n");
        Files.writeString(dir.resolve("a/z.json"), STATE);
        Files.writeString(dir.resolve(".hidden.log"), "Mar  6 10:00:00 h sshd[1]: hidden\n");
        Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(dir.resolve("b/.cache/x.log"), "Mar  6 10:00:00 h sshd[1]: cached\n");
        Files.writeString(dir.resolve("b/.swp"), "junk\n");
        Collect c = Collect.path(dir);
        assertThat(c.errors).isEmpty();
        assertThat(c.inputs).containsExactly(dir.resolve("a/z.json").toString(), dir.resolve("b/1.log").toString(),
                dir.resolve("b/sub/2.log").toString());
        assertThat(c.events).hasSize(3);
    }

    @Test
    void utf8BomIsIgnored() {
        Collect json = Collect.bytes("bom.json", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(STATE)), DecodeOptions.defaults());
        assertThat(json.errors).isEmpty();
        assertThat(json.events).hasSize(1);
        Collect lines = Collect.bytes("bom.jsonl", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(STATE + "\n" + STATE + "\n")),
                DecodeOptions.defaults());
        assertThat(lines.errors).isEmpty();
        assertThat(lines.events).hasSize(2);
        Collect log = Collect.bytes("bom.log", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("Mar  6 10:00:00 h sshd[1]: x\n")),
                DecodeOptions.defaults());
        assertThat(log.errors).isEmpty();
        assertThat(log.events).hasSize(1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void latin1TextDoesNotStopDecoding() {
        Collect c = Collect.bytes("l1.log", "Mar  6 10:00:00 h sshd[1]: Invalid user J\u00fcrgen from 192.0.2.1\n".getBytes(StandardCharsets.ISO_8859_1),
                DecodeOptions.defaults());
        assertThat(c.errors).isEmpty();
        assertThat(c.events).hasSize(1);
    }
}
