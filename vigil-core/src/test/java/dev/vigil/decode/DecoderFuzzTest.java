package dev.vigil.decode;

import static dev.vigil.decode.JsonDecodeTest.STATE;
import static dev.vigil.decode.JsonDecodeTest.gzip;
import static dev.vigil.decode.JsonDecodeTest.record;
import static dev.vigil.decode.JsonDecodeTest.records;
import static dev.vigil.decode.JsonDecodeTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every decoder against damaged and hostile input: truncation at every offset of a gzip, random bit flips, random
 * mutations of each JSON shape, hostile log lines. Whatever the input: no throw, each problem one line naming the
 * input and a position, and the good records beside the damage still come out.
 */
class DecoderFuzzTest {
    static final String GUARD_DUTY = "{\"schemaVersion\":\"2.0\",\"accountId\":\"111122223333\",\"region\":\"us-east-1\",\"id\":\"f1\","
            + "\"type\":\"Recon:EC2/PortProbeUnprotectedPort\",\"severity\":5,\"title\":\"probe\",\"createdAt\":\"2025-03-06T10:00:00Z\","
            + "\"updatedAt\":\"2025-03-06T10:00:00Z\",\"resource\":{\"resourceType\":\"Instance\",\"instanceDetails\":{\"instanceId\":\"i-0abc1234def567890\"}},"
            + "\"service\":{\"archived\":false,\"count\":2,\"additionalInfo\":{\"sample\":true}}}";

    /** Decodes without letting anything escape: a throw of any kind fails the case with its seed. */
    static Collect decode(String name, byte[] data, String why) {
        Collect c = new Collect();
        try {
            new InputDecoder(DecodeOptions.defaults()).decode(name, new ByteArrayInputStream(data), c);
        } catch (Throwable t) {
            fail(why + "the decoder threw " + t, t);
        }
        Hostile.wellFormed(c.errors, name, why);
        return c;
    }

    // ---- gzip: truncation at every offset, bit flips --------------------------------------------------------

    private static final int RECORDS = 8;

    /** A CloudTrail file of {@link #RECORDS} records, and where each record ends in it. */
    private static String trail(int[] ends) {
        StringBuilder b = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < RECORDS; i++) {
            if (i > 0) b.append(',');
            b.append(record("Call" + i, "2025-03-06T10:00:0" + i + "Z", ",\"pad\":\"" + "p".repeat(40 * i) + "\""));
            ends[i] = b.length(); // ASCII: characters are bytes
        }
        return b.append("]}").toString();
    }

    @Test
    void cloudTrailGzipCutAtEveryOffsetYieldsEveryCompleteRecordThenOneError() throws IOException {
        int[] ends = new int[RECORDS];
        byte[] plain = utf8(trail(ends));
        byte[] gz = gzip(plain);
        int cases = 0;
        for (int k = 1; k < gz.length; k++) {
            String why = "cut at " + k + " of " + gz.length + ": ";
            byte[] cut = Arrays.copyOf(gz, k);
            Collect c = decode("t.json.gz", cut, why);
            int available = gunzipWhatCanBe(cut).length;
            long complete = Arrays.stream(ends).filter(e -> e <= available).count();
            assertThat(c.events).as(why + "every record complete before the cut").hasSize((int) complete);
            assertThat(c.errors).as(why + "one error").hasSize(1);
            cases++;
        }
        assertThat(cases).isGreaterThan(200);
        Collect whole = decode("t.json.gz", gz, "whole: ");
        assertThat(whole.events).hasSize(RECORDS);
        assertThat(whole.errors).isEmpty();
    }

    @Test
    void syslogGzipCutAtEveryOffsetYieldsEveryCompleteLineThenOneError() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40; i++) b.append("Mar  6 10:00:").append(10 + i).append(" h sshd[").append(i).append("]: Invalid user u").append(i).append('\n');
        byte[] gz = gzip(utf8(b.toString()));
        for (int k = 1; k < gz.length; k++) {
            String why = "cut at " + k + ": ";
            byte[] cut = Arrays.copyOf(gz, k);
            Collect c = decode("auth.log.gz", cut, why);
            String avail = new String(gunzipWhatCanBe(cut), StandardCharsets.UTF_8);
            long lines = avail.chars().filter(ch -> ch == '\n').count();
            // every whole line before the cut; the last, cut mid-way, may come out as a shorter line or not at all
            assertThat((long) c.events.size()).as(why).isBetween(lines, lines + 1);
            assertThat(c.errors).as(why + c.errors).isNotEmpty();
            assertThat(c.errors.get(c.errors.size() - 1)).as(why).containsAnyOf("gzip", "not a supported input");
        }
    }

    static Stream<Arguments> flips() {
        return Hostile.seeds(300);
    }

    @ParameterizedTest(name = "{index}: case seed {1}")
    @MethodSource("flips")
    void bitFlipsInAGzipAreNeverSilent(int index, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ends = new int[RECORDS];
        byte[] gz = gzip(utf8(trail(ends)));
        byte[] bad = gz.clone();
        int flips = 1 + r.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt(bad.length);
            bad[at] ^= (byte) (1 << r.nextInt(8));
        }
        String why = Hostile.seed(seed);
        Collect c = decode("t.json.gz", bad, why);
        assertThat(c.events.size()).as(why).isLessThanOrEqualTo(RECORDS);
        if (c.errors.isEmpty()) {
            // no error means nothing was damaged that matters (gzip's mtime or OS byte): then every record is there, unchanged
            assertThat(c.events).as(why + "a silent flip changed nothing").extracting(SecurityEvent::id)
                    .containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(RECORDS).map(i -> "id-Call" + i).toList());
        }
    }

    static byte[] gunzipWhatCanBe(byte[] gz) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            byte[] buf = new byte[512];
            int k;
            while ((k = in.read(buf)) > 0) out.write(buf, 0, k);
        } catch (IOException expected) {
            // the cut
        }
        return out.toByteArray();
    }

    // ---- JSON of every shape, mutated -----------------------------------------------------------------------

    static String awslogs(List<String> messages) throws IOException {
        StringBuilder ev = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) ev.append(',');
            ev.append("{\"id\":\"e").append(i).append("\",\"timestamp\":1741255200000,\"message\":")
                    .append(JsonEvents.JSON.writeValueAsString(messages.get(i))).append('}');
        }
        String inner = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\",\"logGroup\":\"/var/log/secure\","
                + "\"logStream\":\"i-0abc1234def567890\",\"subscriptionFilters\":[\"f\"],\"logEvents\":[" + ev + "]}";
        return "{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(gzip(utf8(inner))) + "\"}}";
    }

    static List<String> samples() throws IOException {
        return List.of(STATE, "[" + STATE + "," + JsonDecodeTest.SCHEDULED + "]", STATE + "\n" + JsonDecodeTest.SCHEDULED + "\n",
                records(record("A", "2025-03-06T10:00:00Z", ""), record("AuthorizeSecurityGroupIngress", "2025-03-06T10:00:01Z", "")),
                GUARD_DUTY, "{\"version\":\"0\",\"id\":\"g\",\"detail-type\":\"GuardDuty Finding\",\"source\":\"aws.guardduty\","
                        + "\"account\":\"111122223333\",\"time\":\"2025-03-06T10:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":"
                        + GUARD_DUTY + "}",
                awslogs(List.of("Mar  6 10:00:00 h sshd[1]: Invalid user a from 192.0.2.1 port 22", "x", "<38>1 - h sshd - - - y")));
    }

    static final String[] JSON_TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "1e999", "-", "9".repeat(1500),
        "\"x\"", "[[[[[[[[", "{\"a\":", "\"Records\":", "\"eventName\":", "\"detail-type\":", "\"awslogs\":{\"data\":\"H4sI\"}", "\n", "\uFEFF",
        "\"\\ud800\"", "\u00ff"};

    static String mutate(SplittableRandom r, String s) {
        StringBuilder b = new StringBuilder(s);
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n && b.length() > 0; i++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(4)) {
                case 0 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(20)));
                case 1 -> b.insert(at, JSON_TOKENS[r.nextInt(JSON_TOKENS.length)]);
                case 2 -> b.insert(at, b.substring(at, Math.min(b.length(), at + r.nextInt(200))));
                default -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
            }
        }
        return b.toString();
    }

    static Stream<Arguments> mutations() {
        return Hostile.seeds(1000);
    }

    @ParameterizedTest(name = "{index}: case seed {1}")
    @MethodSource("mutations")
    void mutatedJsonOfEveryShapeIsAnErrorWithAPositionNeverAThrow(int index, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> s = samples();
        String text = mutate(r, s.get(r.nextInt(s.size())));
        byte[] data = utf8(text);
        if (r.nextInt(4) == 0) data = gzip(data);
        decode("m.json", data, Hostile.seed(seed));
    }

    // ---- hostile log lines ---------------------------------------------------------------------------------

    static Stream<Arguments> lines() {
        return Hostile.seeds(500);
    }

    @ParameterizedTest(name = "{index}: case seed {1}")
    @MethodSource("lines")
    void hostileLogLinesNeverStopTheGoodLinesAroundThem(int index, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder();
        int good = 0;
        for (int i = 0; i < 20; i++) {
            // the first line is a log line: detection reads the start of a file (a '{' there means JSON)
            if (i == 0 || r.nextBoolean()) {
                b.append("Mar  6 10:00:").append(10 + i).append(" h sshd[1]: GOOD").append(good++).append('\n');
            } else {
                String prefix = switch (r.nextInt(5)) {
                    case 0 -> "<38>1 2024-05-01T10:00:00Z h sshd 1 - [a b=\"";
                    case 1 -> "type=USER_AUTH msg=audit(";
                    case 2 -> "2024-05-01T10:00:00";
                    case 3 -> "Mar  6 ";
                    default -> "";
                };
                // now and then one line long enough to have overflowed the old RFC 5424 expression (about 2,000 characters)
                int max = r.nextInt(10) == 0 ? 60_000 : 200;
                b.append(prefix).append(Hostile.noise(r, max).replace('\n', ' ').replace('\r', ' ').replace('\u2028', ' ')).append('\n');
            }
        }
        String why = Hostile.seed(seed);
        Collect c = decode("auth.log", utf8(b.toString()), why);
        List<String> messages = c.of(SshLogLine.class).stream().map(SshLogLine::message).filter(m -> m.startsWith("GOOD")).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < good; i++) expected.add("GOOD" + i);
        assertThat(messages).as(why + "every good line").containsExactlyElementsOf(expected);
    }
}
