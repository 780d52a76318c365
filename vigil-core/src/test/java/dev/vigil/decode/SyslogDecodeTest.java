package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.SshLogLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text log formats and their time rules (docs/inputs.md). */
class SyslogDecodeTest {
    @TempDir
    Path dir;

    private Path file(String name, String content, String mtime) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse(mtime)));
        return p;
    }

    private static DecodeOptions year(Integer y) {
        return new DecodeOptions(n -> true, y, ZoneOffset.UTC);
    }

    @Test
    void bsdSyslogWithYearOption() {
        Collect c = Collect.bytes("auth.log", "Mar  6 10:00:01 bastion sshd[811]: Failed password for root from 203.0.113.9 port 5022 ssh2\n"
                .getBytes(StandardCharsets.UTF_8), year(2024));
        assertThat(c.errors).isEmpty();
        SshLogLine l = c.of(SshLogLine.class).get(0);
        assertThat(l.time()).isEqualTo(Instant.parse("2024-03-06T10:00:01Z"));
        assertThat(l.host()).isEqualTo("bastion");
        assertThat(l.program()).isEqualTo("sshd");
        assertThat(l.pid()).isEqualTo(811);
        assertThat(l.message()).isEqualTo("Failed password for root from 203.0.113.9 port 5022 ssh2");
        assertThat(l.origin().describe()).isEqualTo("auth.log:1");
        assertThat(l.timeInferred()).isFalse();
    }

    @Test
    void bsdDaysOfOneAndTwoDigitsAndBadFirstCharacters() {
        StringBuilder log = new StringBuilder();
        for (int d = 28; d <= 31; d++) log.append("May ").append(d).append(" 10:00:00 h sshd[1]: a\n");
        for (int d = 1; d <= 9; d++) log.append("Jun  ").append(d).append(" 10:00:00 h sshd[1]: b\n");
        log.append("Jun 10 10:00:00 h sshd[1]: c\n");
        Collect c = Collect.bytes("auth.log", log.toString().getBytes(StandardCharsets.UTF_8), year(2024));
        assertThat(c.errors).isEmpty();
        assertThat(c.of(SshLogLine.class)).extracting(l -> l.time().toString().substring(0, 10)).containsExactly("2024-05-28", "2024-05-29",
                "2024-05-30", "2024-05-31", "2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04", "2024-06-05", "2024-06-06", "2024-06-07",
                "2024-06-08", "2024-06-09", "2024-06-10");
        // a day's first character that is neither a space nor a digit (ASCII or not) is no BSD timestamp
        for (String bad : new String[] {"Jun x1 10:00:00 h sshd[1]: d\n", "Jun \u00e91 10:00:00 h sshd[1]: d\n", "Jun \u01001 10:00:00 h sshd[1]: d\n"}) {
            Collect b = Collect.bytes("auth.log", bad.getBytes(StandardCharsets.UTF_8), year(2024));
            assertThat(b.of(SshLogLine.class)).as(bad).noneMatch(l -> !l.timeInferred()); // never read as dated
        }
    }

    @Test
    void bsdSyslogInTheConfiguredZone() {
        Collect c = Collect.bytes("auth.log", "Jul  1 12:00:00 h sshd[1]: x\n".getBytes(StandardCharsets.UTF_8),
                new DecodeOptions(n -> true, 2024, ZoneId.of("Europe/Berlin")));
        assertThat(c.events.get(0).time()).isEqualTo(Instant.parse("2024-07-01T10:00:00Z"));
    }

    @Test
    void bsdYearFromFileMtimeRollsBackForLaterMonths() throws IOException {
        Path p = file("secure", "Dec 31 23:59:58 h sshd[7]: Invalid user a from 192.0.2.1\nJan  1 00:00:03 h sshd[7]: Invalid user b from 192.0.2.1\n",
                "2025-01-02T08:00:00Z");
        Collect c = Collect.path(p);
        assertThat(c.errors).isEmpty();
        assertThat(c.events).extracting(e -> e.time())
                .containsExactly(Instant.parse("2024-12-31T23:59:58Z"), Instant.parse("2025-01-01T00:00:03Z"));
    }

    @Test
    void bsdLineAfterTheFileTimeInTheSameMonthIsLastYear() throws IOException {
        // a log cannot hold lines from after it was last written: Mar 20 in a file written on Mar 10 is last year's
        Path p = file("secure", "Mar 20 10:00:00 h sshd[7]: x\nMar  9 10:00:00 h sshd[7]: y\n", "2025-03-10T12:00:00Z");
        Collect c = Collect.path(p);
        assertThat(c.events).extracting(e -> e.time())
                .containsExactly(Instant.parse("2024-03-20T10:00:00Z"), Instant.parse("2025-03-09T10:00:00Z"));
    }

    @Test
    void rfc5424WithStructuredData() {
        Collect c = Collect.text("r.log", "<38>1 2019-07-08T17:40:17.954167-04:00 host.example.com sshd 55555 - "
                + "[timeQuality tzKnown=\"1\"][x@1 test=\"[b]\"] Failed unknown for invalid user r from 192.0.2.2 port 55555 ssh2\n"
                + "<38>1 2019-07-08T21:40:18Z host.example.com sshd - - - Connection closed\n");
        assertThat(c.errors).isEmpty();
        List<SshLogLine> l = c.of(SshLogLine.class);
        assertThat(l.get(0).time()).isEqualTo(Instant.parse("2019-07-08T21:40:17.954167Z"));
        assertThat(l.get(0).host()).isEqualTo("host.example.com");
        assertThat(l.get(0).program()).isEqualTo("sshd");
        assertThat(l.get(0).pid()).isEqualTo(55555);
        assertThat(l.get(0).message()).isEqualTo("Failed unknown for invalid user r from 192.0.2.2 port 55555 ssh2");
        assertThat(l.get(1).pid()).isZero();
        assertThat(l.get(1).message()).isEqualTo("Connection closed");
    }

    @Test
    void anInvalidTimestampIsQuotedOnOneLine() {
        String stamp = "2024-05-01T10:00\u2028:00\u001b[31m" + "9".repeat(200);
        Collect c = Collect.text("r.log", "<38>1 " + stamp + " host sshd 1 - - x\n");
        assertThat(c.events).isEmpty();
        assertThat(c.errors).containsExactly("r.log:1: invalid timestamp '2024-05-01T10:00\\u2028:00\\u001b[31m"
                + "9".repeat(64 - 35) + "...'"); // 35 characters before the nines, 64 in all
    }

    @Test
    void isoRsyslogTimestamps() {
        Collect c = Collect.text("iso.log", "2015-04-16T18:02:50.321974+00:00 host sshd[2716]: a\n2015-04-16T20:02:51+0200 host sshd[2716]: b\n"
                + "2015-04-16 18:02:52,5 host sshd[2716]: c\n2015-04-16T18:02:53Z host sshd[2716]: d\n");
        assertThat(c.errors).isEmpty();
        assertThat(c.events).extracting(e -> e.time()).containsExactly(Instant.parse("2015-04-16T18:02:50.321974Z"),
                Instant.parse("2015-04-16T18:02:51Z"), Instant.parse("2015-04-16T18:02:52.5Z"), Instant.parse("2015-04-16T18:02:53Z"));
        assertThat(c.of(SshLogLine.class)).extracting(SshLogLine::message).containsExactly("a", "b", "c", "d");
    }

    @Test
    void journalLinesWithoutTimestampTakeThePreviousLinesTimeElseTheFileTime() throws IOException {
        Path p = file("journal.txt", "srv sshd[1]: first\nMar  6 10:00:00 srv sshd[1]: stamped\nsrv sshd[1]: after\n", "2025-03-07T00:00:00Z");
        Collect c = Collect.path(p);
        assertThat(c.errors).isEmpty();
        List<SshLogLine> l = c.of(SshLogLine.class);
        assertThat(l).extracting(SshLogLine::time).containsExactly(Instant.parse("2025-03-07T00:00:00Z"),
                Instant.parse("2025-03-06T10:00:00Z"), Instant.parse("2025-03-06T10:00:00Z"));
        assertThat(l).extracting(SshLogLine::timeInferred).containsExactly(true, false, true);
        assertThat(l.get(0).host()).isEqualTo("srv");
        assertThat(l.get(0).program()).isEqualTo("sshd");
        assertThat(l.get(0).message()).isEqualTo("first");
    }

    @Test
    void auditRecordsTakeTheirEpochTime() {
        Collect c = Collect.text("audit.log", "type=USER_LOGIN msg=audit(1373330716.415:4063): user pid=11998 uid=0 msg='op=login acct=\"root\" "
                + "exe=\"/usr/sbin/sshd\" hostname=? addr=173.242.116.187 terminal=ssh res=failed'\n");
        assertThat(c.errors).isEmpty();
        SshLogLine l = c.of(SshLogLine.class).get(0);
        assertThat(l.time()).isEqualTo(Instant.parse("2013-07-09T00:45:16.415Z"));
        assertThat(l.program()).isEqualTo("audit");
        assertThat(l.message()).contains("addr=173.242.116.187");
    }

    @Test
    void instanceIdFromTheFileName() {
        Collect c = Collect.text("logs/i-0abc1234def567890/secure", "Mar  6 10:00:00 h sshd[1]: x\n");
        assertThat(c.of(SshLogLine.class).get(0).instance().value()).isEqualTo("i-0abc1234def567890");
    }

    @Test
    void commentsAndBlankLinesAreSkippedAndLineNumbersKept() {
        Collect c = Collect.text("a.log", "# header\n\nMar  6 10:00:00 h sshd[1]: x\n");
        assertThat(c.errors).isEmpty();
        assertThat(c.events).singleElement().extracting(e -> e.origin().line()).isEqualTo(3L);
    }
}
