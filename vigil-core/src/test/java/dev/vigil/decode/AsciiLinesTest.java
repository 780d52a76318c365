package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.SshLogLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test of the text decoder's two ways to a line: parsed from the read buffer's bytes (a line of ASCII
 * whole in the buffer: {@link ByteLines#ASCII}, {@link SyslogLines#parseAscii}) and made a String first, then parsed
 * (every other line, and the whole path before). Random and hostile lines of every format vigil reads, mutated byte by
 * byte (separators, digits, brackets, whitespace of every kind, '#', non-ASCII and invalid UTF-8, a BOM), at and past
 * the line limit, with every line end and cut reads: both ways give equal records and equal errors, in order.
 */
class AsciiLinesTest {
    private static Stream<Arguments> cases() {
        return Hostile.seeds(300);
    }

    private static final String[] LINES = {
        "Mar  6 10:00:00 bastion sshd[1234]: Failed password for root from 192.0.2.1 port 22 ssh2",
        "Mar 16 23:59:59 bastion sshd[1]: Invalid user admin from 192.0.2.7 port 4242",
        "Dec 31 23:59:60 h sshd: Accepted publickey for ec2-user from 10.0.0.1 port 5 ssh2: RSA SHA256:x",
        "Feb 29 01:02:03 h sshd[7]: leap day",
        "Feb 30 01:02:03 h sshd[7]: no such day",
        "Jan  1 00:00:00 h CRON[99]: pam_unix(cron:session): session opened",
        "Apr  9 12:34:56.789 h sshd[2]: fractional seconds",
        "May  5 05:05:05 h auth.info: busybox line",
        "May  5 05:05:05 auth.info: sshd[3]: busybox without host",
        "Jun  6 06:06:06 h auth.info sshd[4]: facility level before the program",
        "Jul  7 07:07:07 h [sshd]: bracketed program",
        "Aug  8 08:08:08 h sshd[]: empty pid",
        "Sep  9 09:09:09 h sshd[12a]: bad pid",
        "Oct 10 10:10:10 h : no program",
        "Nov 11 11:11:11 h sshd[5]:no space",
        "Nov 11 11:11:11 h sshd[5]: ",
        "Nov 11 11:11:11 host",
        "Foo 11 11:11:11 h sshd[5]: no month",
        "Nov 41 25:61:61 h sshd[5]: out of range",
        "<38>1 2024-05-01T10:00:00.000Z host sshd 1234 - - Failed password for root from 192.0.2.1 port 22 ssh2",
        "<38>1 - host sshd - - - nil time",
        "2024-05-01T10:00:00+02:00 host sshd[9]: iso line",
        "2024-05-01 10:00:00,123 host sshd[9]: iso with a space and a comma",
        "2024-13-45T99:00:00Z host sshd[9]: iso out of range",
        "type=USER_AUTH msg=audit(1714557600.123:42): pid=1 uid=0 auid=4294967295 msg='op=PAM:authentication acct=\"root\"'",
        "host sshd[12]: journal short output",
        "sshd[12]: bare program line",
        "just some words",
        "",
        "   ",
        "\t\u000B\u000C\u001C\u001D\u001E\u001F ",
        "# a comment",
        " # not a comment",
    };

    /** Bytes a mutation puts in a line: separators the parser looks for, digits, whitespace, non-ASCII, bad UTF-8. */
    private static final byte[][] BYTES = {
        {' '}, {':'}, {'['}, {']'}, {'0'}, {'9'}, {'.'}, {'#'}, {'\t'}, {0x0B}, {0x0C}, {0x1C}, {0x1F}, {0x00}, {0x7F}, {'a'}, {'Z'},
        {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}, {(byte) 0xC3}, {(byte) 0x80}, {(byte) 0xFF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xC2, (byte) 0xA0},
    };

    private static final byte[][] ENDS = {{'\n'}, {'\r', '\n'}, {'\r'}, {'\n', '\n'}};

    private static byte[] line(SplittableRandom r) {
        byte[] b = LINES[r.nextInt(LINES.length)].getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(b);
        int mutations = r.nextInt(4) == 0 ? 0 : r.nextInt(4);
        for (int k = 0; k < mutations; k++) {
            byte[] cur = o.toByteArray();
            o.reset();
            int at = cur.length == 0 ? 0 : r.nextInt(cur.length + 1);
            int cut = r.nextInt(3) == 0 ? Math.min(cur.length - at, 1 + r.nextInt(3)) : 0; // replace, or insert
            o.write(cur, 0, at);
            if (r.nextInt(5) == 0) o.writeBytes(Hostile.noise(r, 12).getBytes(StandardCharsets.UTF_8));
            else o.writeBytes(BYTES[r.nextInt(BYTES.length)]);
            o.write(cur, at + cut, cur.length - at - cut);
        }
        if (r.nextInt(40) == 0) { // long: at and past small limits, across the read buffer
            int times = 1 + r.nextInt(r.nextInt(8) == 0 ? 3000 : 30);
            byte[] cur = o.toByteArray();
            for (int k = 0; k < times; k++) o.write(cur, Math.min(cur.length, 16), cur.length - Math.min(cur.length, 16));
        }
        return o.toByteArray();
    }

    private static byte[] log(SplittableRandom r) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        if (r.nextInt(6) == 0) o.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        int lines = r.nextInt(10) == 0 ? 2000 + r.nextInt(3000) : 1 + r.nextInt(60);
        for (int i = 0; i < lines; i++) {
            o.writeBytes(line(r));
            if (i < lines - 1 || r.nextBoolean()) o.writeBytes(ENDS[r.nextInt(ENDS.length)]);
        }
        return o.toByteArray();
    }

    /** A stream that hands over at most {@code most} bytes a read: lines cut across reads. */
    private static InputStream chunky(byte[] b, SplittableRandom r, int most) {
        long seed = r.nextLong();
        return new ByteArrayInputStream(b) {
            private final SplittableRandom cuts = new SplittableRandom(seed);

            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, 1 + cuts.nextInt(most)));
            }
        };
    }

    private static Collect decode(InputDecoder d, String name, InputStream in) {
        Collect c = new Collect();
        d.decode(name, in, c);
        return c;
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void bothWaysGiveTheSameRecordsAndErrors(int index, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String why = Hostile.seed(seed);
        byte[] data = log(r);
        int limit = new int[] {1, 20, 90, 300, 65_536}[r.nextInt(5)];
        DecodeOptions o = new DecodeOptions(n -> true, r.nextBoolean() ? 2024 : null, r.nextBoolean() ? ZoneOffset.UTC : ZoneId.of("Europe/Berlin"))
                .withLimits(new DecodeOptions.Limits(limit, 1 << 20, 8 << 20, 100));
        InputDecoder bytes = new InputDecoder(o);
        if (r.nextBoolean()) bytes = bytes.withInstance(InstanceId.of("i-0123456789abcdef0"));
        bytes = bytes.readingAheadAfter(r.nextBoolean() ? 0 : Integer.MAX_VALUE);
        InputDecoder strings = bytes.stringLines();
        String name = r.nextBoolean() ? "auth.log" : "i-0abc1234def567890/secure";
        int most = r.nextInt(3) == 0 ? 1 + r.nextInt(200) : 1 << 20;
        long split = r.nextLong();
        Collect want = decode(strings, name, chunky(data, new SplittableRandom(split), most));
        Collect got = decode(bytes, name, chunky(data, new SplittableRandom(split), most));
        Hostile.wellFormed(got.errors, name, why);
        assertThat(got.errors).as(why + "errors, limit %d", limit).isEqualTo(want.errors);
        assertThat(got.events).as(why + "records, limit %d", limit).isEqualTo(want.events);
        assertThat(got.inputs).as(why + "inputs").isEqualTo(want.inputs);
    }

    /** The parser alone: each ASCII line from its bytes and as a String, through two parsers fed the same lines. */
    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void parseAsciiIsParseOfTheString(int index, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String why = Hostile.seed(seed);
        Integer year = r.nextBoolean() ? 2024 : null;
        Instant reference = r.nextBoolean() ? null : Instant.parse("2024-03-01T00:00:00Z");
        SyslogLines a = new SyslogLines(year, ZoneOffset.UTC, reference);
        SyslogLines b = new SyslogLines(year, ZoneOffset.UTC, reference);
        InstanceId instance = InstanceId.of("i-0123456789abcdef0");
        int parsed = 0;
        for (int i = 0; i < 200; i++) {
            byte[] raw = line(r);
            String s = new String(raw, StandardCharsets.ISO_8859_1);
            if (!s.chars().allMatch(c -> c < 0x80 && c != '\n' && c != '\r')) continue; // the bytes' way is for ASCII
            byte[] buf = new byte[raw.length + 20];
            int off = r.nextInt(10);
            System.arraycopy(raw, 0, buf, off, raw.length);
            java.util.Arrays.fill(buf, off + raw.length, buf.length, (byte) ' '); // past the line: must not be read
            Origin origin = Origin.line("auth.log", i + 1);
            Object want = outcome(() -> a.parse(s, null, instance, null, null, origin));
            Object got = outcome(() -> b.parseAscii(buf, off, raw.length, instance, origin));
            assertThat(got).as(why + "line %s", Hostile.cut(s)).isEqualTo(want);
            if (want instanceof SshLogLine) parsed++;
        }
        assertThat(parsed).as(why + "some lines parse").isPositive();
    }

    private static Object outcome(java.util.function.Supplier<SshLogLine> f) {
        try {
            SshLogLine l = f.get();
            return l == null ? "no log line" : l;
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    @Test
    void blankOrCommentIsWhatTheStringSays() throws Exception {
        for (int c = 0; c < 0x80; c++) {
            if (c == '\n' || c == '\r') continue;
            for (String s : new String[] {"" + (char) c, " " + (char) c + "\t", (char) c + "x"}) {
                ByteLines l = new ByteLines(new ByteArrayInputStream((s + "\n").getBytes(StandardCharsets.ISO_8859_1)), 100);
                assertThat(l.next(true)).isSameAs(ByteLines.ASCII);
                assertThat(l.line()).isEqualTo(s);
                assertThat(l.blankOrComment()).as("char %d in '%s'", c, s).isEqualTo(s.isBlank() || s.charAt(0) == '#');
            }
        }
        ByteLines l = new ByteLines(new ByteArrayInputStream("\n".getBytes(StandardCharsets.ISO_8859_1)), 100);
        assertThat(l.next(true)).isSameAs(ByteLines.ASCII);
        assertThat(l.blankOrComment()).isTrue();
    }

    /** A line of ASCII past the limit is TOO_LONG either way; a non-ASCII line is never ASCII. */
    @Test
    void onlyAsciiLinesWithinTheLimitComeAsBytes() throws Exception {
        ByteLines l = new ByteLines(new ByteArrayInputStream("abcdef\ncaf\u00e9\nabc\n".getBytes(StandardCharsets.UTF_8)), 5);
        assertThat(l.next(true)).isSameAs(BoundedLines.TOO_LONG);
        assertThat(l.next(true)).isEqualTo("caf\u00e9");
        assertThat(l.next(true)).isSameAs(ByteLines.ASCII);
        assertThat(l.line()).isEqualTo("abc");
        assertThat(l.next(true)).isNull();
    }
}
