package dev.vigil.decode;

import static dev.vigil.decode.DecoderFuzzTest.awslogs;
import static dev.vigil.decode.DecoderFuzzTest.decode;
import static dev.vigil.decode.JsonDecodeTest.STATE;
import static dev.vigil.decode.JsonDecodeTest.gzip;
import static dev.vigil.decode.JsonDecodeTest.record;
import static dev.vigil.decode.JsonDecodeTest.records;
import static dev.vigil.decode.JsonDecodeTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each limit: past it, one error naming the input and position, and the records before and after still decode. */
class DecodeLimitsTest {
    /** No extra top-level fields kept (replay when no Sigma rule names one): a field no rule reads is skipped unparsed. */
    private static final DecodeOptions UNREAD_SKIPPED = new DecodeOptions(n -> true, null, java.time.ZoneOffset.UTC);
    private static final String A = record("A", "2025-03-06T10:00:00Z", "");
    private static final String C = record("C", "2025-03-06T10:00:02Z", "");

    /** Record B with a field no rule reads (skipped unparsed) holding {@code extra}. */
    private static String withExtra(String extra) {
        return record("B", "2025-03-06T10:00:01Z", ",\"x\":" + extra);
    }

    /** Record B whose requestParameters (read as a tree: the rules read them) hold {@code extra}. */
    private static String withParams(String extra) {
        return record("B", "2025-03-06T10:00:01Z", "").replace("\"requestParameters\":{", "\"requestParameters\":{\"x\":" + extra + ",");
    }

    private static List<String> names(Collect c) {
        return c.of(CloudTrailCall.class).stream().map(CloudTrailCall::eventName).toList();
    }

    @Test
    void aRecordLargerThanTheLimitIsSkippedAndTheNextIsRead() {
        Collect c = decode("t.json", utf8(records(A, withExtra("\"" + "v".repeat(3 << 20) + "\""), C)), "");
        assertThat(names(c)).containsExactly("A", "C");
        assertThat(c.errors).singleElement().asString().startsWith("t.json record 2: record larger than 1048576 bytes");
    }

    @Test
    void nestingPastTheLimitIsSkippedAndTheNextIsRead() {
        Collect c = decode("t.json", utf8(records(A, withParams("[".repeat(300) + "]".repeat(300)), C)), "");
        assertThat(names(c)).containsExactly("A", "C");
        assertThat(c.errors).singleElement().asString().startsWith("t.json record 2: record nested deeper than 100 levels");
        // deep nesting in a field no rule reads is skipped unparsed: the record is fine
        Collect d = Collect.bytes("t.json", utf8(records(A, withExtra("[".repeat(300) + "]".repeat(300)), C)), UNREAD_SKIPPED);
        assertThat(names(d)).containsExactly("A", "B", "C");
        assertThat(d.errors).isEmpty();
    }

    @Test
    void nestingPastTheHardCeilingEndsThatDocumentOnly() {
        Collect c = decode("t.json", utf8(records(A, withParams("[".repeat(20_000) + "]".repeat(20_000)), C)), "");
        assertThat(names(c)).containsExactly("A");
        assertThat(c.errors).singleElement().asString().startsWith("t.json record 2: record nested deeper than 100 levels")
                .endsWith("the rest of the document is not read");
    }

    @Test
    void aNumberOf1500DigitsIsOneErrorAndTheNextIsRead() {
        for (String b : List.of(withExtra("9".repeat(1500)), withParams("9".repeat(1500)), withParams("-0." + "1".repeat(1500)))) {
            Collect c = decode("t.json", utf8(records(A, b, C)), "");
            assertThat(names(c)).containsExactly("A", "C");
            assertThat(c.errors).singleElement().asString().startsWith("t.json record 2: a number of 150").contains("digits (more than 1000)");
        }
    }

    @Test
    void aStringPastJacksonsCeilingIsOneErrorNeverANullPointer() {
        // skipped unparsed: only the record's size counts, and the document goes on
        Collect c = Collect.bytes("t.json", utf8(records(A, withExtra("\"" + "s".repeat(17 << 20) + "\""), C)), UNREAD_SKIPPED);
        assertThat(names(c)).containsExactly("A", "C");
        assertThat(c.errors).singleElement().asString().startsWith("t.json record 2: record larger than");
        // read as a tree: past Jackson's ceiling the parser cannot go on, and says so once
        Collect d = decode("t.json", utf8(records(A, withParams("\"" + "s".repeat(17 << 20) + "\""), C)), "");
        assertThat(names(d)).containsExactly("A");
        assertThat(d.errors).singleElement().asString().startsWith("t.json record 2: past a JSON limit: String value length")
                .endsWith("the rest of the document is not read");
    }

    @Test
    void eventBridgeArraysAndSingleObjectsAreBoundedToo() {
        String deep = STATE.replace("\"detail\":{", "\"deep\":" + "[".repeat(150) + "]".repeat(150) + ",\"detail\":{");
        Collect c = decode("a.json", utf8("[" + STATE + "," + deep + "," + STATE.replace("ev-1", "ev-3") + "]"), "");
        assertThat(c.events).extracting(SecurityEvent::id).containsExactly("ev-1", "ev-3");
        assertThat(c.errors).singleElement().asString().startsWith("a.json record 2: record nested deeper than 100 levels");
        Collect one = decode("o.json", utf8(deep), "");
        assertThat(one.events).isEmpty();
        assertThat(one.errors).singleElement().asString().startsWith("o.json record 1: record nested deeper");
    }

    @Test
    void jsonLinesLongerThanARecordAreSkippedAndTheNextLineIsRead() {
        String big = STATE.replace("\"detail\":{", "\"pad\":\"" + "p".repeat(2 << 20) + "\",\"detail\":{");
        Collect c = decode("e.jsonl", utf8(STATE + "\n" + big + "\n" + STATE.replace("ev-1", "ev-3") + "\n"), "");
        assertThat(c.events).extracting(SecurityEvent::id).containsExactly("ev-1", "ev-3");
        assertThat(c.errors).singleElement().asString().startsWith("e.jsonl:2: line of " + big.length() + " characters, longer than");
    }

    @Test
    void jsonLinesWhoseFirstTwoLinesAreBrokenKeepEveryGoodLineAfterThem() {
        StringBuilder b = new StringBuilder("{\"detail-type\": \n[1, 2\n");
        for (int i = 0; i < 5; i++) b.append(STATE.replace("ev-1", "ev-" + (10 + i))).append('\n');
        b.append("{broken\n").append(STATE.replace("ev-1", "ev-99")).append('\n');
        Collect c = decode("e.jsonl", utf8(b.toString()), "");
        assertThat(c.events).extracting(SecurityEvent::id).containsExactly("ev-10", "ev-11", "ev-12", "ev-13", "ev-14", "ev-99");
        assertThat(c.errors).hasSize(3);
        assertThat(c.errors.get(0)).startsWith("e.jsonl:1: not JSON");
        assertThat(c.errors.get(1)).startsWith("e.jsonl:2: not JSON");
        assertThat(c.errors.get(2)).startsWith("e.jsonl:8: not JSON");
    }

    @Test
    void aTextLineOfTensOfMegabytesIsOneErrorAndTheNextLinesAreRead() {
        String text = "Mar  6 10:00:00 h sshd[1]: one\n" + "Mar  6 10:00:01 h sshd[1]: " + "x".repeat(30 << 20) + "\nMar  6 10:00:02 h sshd[1]: three\n";
        Collect c = decode("auth.log", utf8(text), "");
        assertThat(c.of(SshLogLine.class)).extracting(SshLogLine::message).containsExactly("one", "three");
        assertThat(c.errors).singleElement().asString().startsWith("auth.log:2: line of 31457307 characters, longer than the limit of 65536");
    }

    @Test
    void limitsAreSettable() {
        DecodeOptions small = DecodeOptions.defaults().withLimits(new DecodeOptions.Limits(35, 1024, 1024, 5));
        Collect c = Collect.bytes("auth.log", utf8("Mar  6 10:00:00 h sshd[1]: one\nMar  6 10:00:01 h sshd[1]: a longer line\n"), small);
        assertThat(c.events).hasSize(1);
        assertThat(c.errors).singleElement().asString().startsWith("auth.log:2: line of 40 characters, longer than the limit of 35");
        Collect d = Collect.bytes("t.json", utf8(records(A, withParams("[[[[[[1]]]]]]"), C)), small);
        assertThat(d.errors).singleElement().asString().startsWith("t.json record 2: record nested deeper than 5 levels");
    }

    @Test
    void rfc5424StructuredDataOfAnyLengthParsesWithoutOverflowingTheStack() {
        for (int n : new int[] {2_000, 50_000}) {
            String line = "<38>1 2019-07-08T21:40:17Z host sshd 555 - [x@1 v=\"" + "a\\\"".repeat(n / 3) + "\"][y@1 w=\"]\"] Failed password for root"
                    + " from 192.0.2.2 port 22 ssh2\n";
            Collect c = decode("r.log", utf8(line), "");
            assertThat(c.errors).isEmpty();
            assertThat(c.of(SshLogLine.class)).singleElement().satisfies(l -> {
                assertThat(l.program()).isEqualTo("sshd");
                assertThat(l.message()).isEqualTo("Failed password for root from 192.0.2.2 port 22 ssh2");
            });
        }
    }

    @Test
    void anAuditEpochOfTwentyDigitsIsOneErrorNotANumberFormatException() {
        Collect c = decode("audit.log", utf8("type=USER_AUTH msg=audit(1714557600.123:1): ok\n"
                + "type=USER_AUTH msg=audit(99999999999999999999.000:2): bad\ntype=USER_AUTH msg=audit(1714557601.000:3): ok2\n"), "");
        assertThat(c.events).hasSize(2);
        assertThat(c.errors).singleElement().asString().startsWith("audit.log:2: not a log line");
    }

    @Test
    void aGzipBombInACloudWatchLogsPayloadIsOneErrorAndTheNextPayloadIsRead() throws IOException {
        // 200 MB of one message, about 200 KB compressed: past the payload limit long before memory runs out
        String inner = "{\"messageType\":\"DATA_MESSAGE\",\"logStream\":\"i-0abc1234def567890\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":1,"
                + "\"message\":\"";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(utf8(inner));
            byte[] chunk = utf8("a".repeat(1 << 20));
            for (int i = 0; i < 200; i++) gz.write(chunk);
            gz.write(utf8("\"}]}"));
        }
        String bomb = "{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(out.toByteArray()) + "\"}}";
        String good = awslogs(List.of("Mar  6 10:00:00 h sshd[1]: fine"));
        Collect c = decode("l.jsonl", utf8(bomb + "\n" + good + "\n"), "");
        assertThat(c.of(SshLogLine.class)).extracting(SshLogLine::message).containsExactly("fine");
        assertThat(c.errors).singleElement().asString()
                .isEqualTo("l.jsonl:1: awslogs.data decompresses to more than 8388608 bytes (the payload limit), skipped");
    }

    @Test
    void anOverLongLogEventIsOneErrorAndTheOtherEventsOfThePayloadAreRead() throws IOException {
        Collect c = decode("l.json", utf8(awslogs(List.of("Mar  6 10:00:00 h sshd[1]: one", "y".repeat(100_000), "Mar  6 10:00:02 h sshd[1]: three"))), "");
        assertThat(c.of(SshLogLine.class)).extracting(SshLogLine::message).containsExactly("one", "three");
        assertThat(c.errors).singleElement().asString().startsWith("l.json record 1 log event 2: message of 100000 characters");
    }

    @Test
    void aCutGzipOfCloudTrailKeepsTheRecordsBeforeTheCut() throws IOException {
        byte[] gz = gzip(utf8(records(A, record("B", "2025-03-06T10:00:01Z", ""), C)));
        Collect c = decode("t.json.gz", java.util.Arrays.copyOf(gz, gz.length - 8), "");
        assertThat(names(c)).containsExactly("A", "B", "C");
        assertThat(c.errors).singleElement().asString().contains("truncated gzip");
    }
}
