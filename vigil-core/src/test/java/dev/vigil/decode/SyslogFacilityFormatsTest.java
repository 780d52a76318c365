package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.SshLogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The log forms of SSHGuard's parser tests and busybox / svlogd that put a facility.level before the program, or
 * instead of it, and ISO timestamps with nanoseconds and no host (docs/inputs.md): each positive line's time, host,
 * program, pid and message, and a negative line that stays what it is.
 */
class SyslogFacilityFormatsTest {

    private static SshLogLine one(String line) {
        Collect c = Collect.bytes("auth.log", (line + "\n").getBytes(StandardCharsets.UTF_8), new DecodeOptions(n -> true, 2024, ZoneOffset.UTC));
        assertThat(c.errors).isEmpty();
        List<SshLogLine> l = c.of(SshLogLine.class);
        assertThat(l).hasSize(1);
        return l.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            Jun 20 02:18:39 vps auth.info sshd[13482]: Invalid user admin from 192.168.2.2             | 2024-06-20T02:18:39Z           | vps  | sshd     | 13482 | Invalid user admin from 192.168.2.2
            Jun 20 02:18:39 vps authpriv.notice sshd-session[7]: Failed password for root from 192.0.2.1 port 22 ssh2 | 2024-06-20T02:18:39Z | vps | sshd-session | 7 | Failed password for root from 192.0.2.1 port 22 ssh2
            2015-05-27T04:31:27.46667 auth.info: Invalid user admin from 192.168.2.1                     | 2015-05-27T04:31:27.466670Z    | -    | -        | 0     | Invalid user admin from 192.168.2.1
            2015-05-27T04:31:27.46667 auth.info: sshd[25]: Invalid user admin from 192.168.2.1           | 2015-05-27T04:31:27.466670Z    | -    | sshd     | 25    | Invalid user admin from 192.168.2.1
            2024-06-01T10:00:00.123456789Z sshd[12]: Timeout before authentication for 192.0.2.9 port 1 | 2024-06-01T10:00:00.123456789Z | -    | sshd     | 12    | Timeout before authentication for 192.0.2.9 port 1
            2024-06-01T12:00:00.123456789+02:00 sshd[12]: Failed password for x from 192.0.2.9 port 1 ssh2 | 2024-06-01T10:00:00.123456789Z | - | sshd | 12 | Failed password for x from 192.0.2.9 port 1 ssh2
            2024-06-01T10:00:00.123456789Z web-1 sshd[12]: Invalid user a from 192.0.2.9               | 2024-06-01T10:00:00.123456789Z | web-1 | sshd    | 12    | Invalid user a from 192.0.2.9
            2024-06-01T10:00:00.123456789 sshd[12]: Invalid user a from 192.0.2.9                      | 2024-06-01T10:00:00.123456789Z | -    | sshd     | 12    | Invalid user a from 192.0.2.9
            """)
    void recognised(String line, String time, String host, String program, long pid, String message) {
        SshLogLine l = one(line);
        assertThat(l.time()).isEqualTo(Instant.parse(time));
        assertThat(l.host()).isEqualTo(host);
        assertThat(l.program()).isEqualTo(program);
        assertThat(l.pid()).isEqualTo(pid);
        assertThat(l.message()).isEqualTo(message);
        assertThat(l.timeInferred()).isFalse();
    }

    /** Alike but not these forms: a host and a program with no facility stay so; a message that mentions auth.info stays whole. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            Jun 20 02:18:39 vps sshd[13482]: auth.info x                                  | vps | sshd | auth.info x
            Jun 20 02:18:39 vps kernel: auth.info sshd[1]: forged                          | vps | kernel | auth.info sshd[1]: forged
            2024-06-01T10:00:00Z vps cron[1]: auth.info: y                                 | vps | cron | auth.info: y
            Jun 20 02:18:39 vps notafacility sshd[13482]: Invalid user admin from 192.0.2.1 | vps | - | notafacility sshd[13482]: Invalid user admin from 192.0.2.1
            """)
    void notMistaken(String line, String host, String program, String message) {
        SshLogLine l = one(line);
        assertThat(l.host()).isEqualTo(host);
        assertThat(l.program()).isEqualTo(program);
        assertThat(l.message()).isEqualTo(message);
    }
}
