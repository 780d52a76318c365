package dev.vigil.scenario.ssh.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshAuthClassifierTest {

    private static AuthEvent sshd(String message) {
        return SshAuthClassifier.classify("sshd", message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            Invalid user admin from 203.0.113.9 port 50022                                 | INVALID_USER      | 203.0.113.9   | 50022 | admin
            Invalid user  from 192.0.2.68 port 34916                                       | INVALID_USER      | 192.0.2.68    | 34916 | ''
            Illegal user test from 10.1.2.3                                                | INVALID_USER      | 10.1.2.3      | -1    | test
            Invalid user a from 1.2.3.4 from 5.6.7.8 port 22                               | INVALID_USER      | 5.6.7.8       | 22    | a from 1.2.3.4
            Failed password for root from 2001:db8::5 port 22 ssh2                         | FAILED_PASSWORD   | 2001:db8::5   | 22    | root
            Failed password for invalid user ROOT from ::ffff:194.117.26.69 port 50273     | FAILED_PASSWORD   | 194.117.26.69 | 50273 | ROOT
            Failed publickey for git from 192.0.2.1 port 57904 ssh2: ECDSA 0e:ff:xx        | FAILED_PUBLICKEY  | 192.0.2.1     | 57904 | git
            Failed none for invalid user x from 198.51.100.3 port 1 ssh2                   | FAILED_OTHER      | 198.51.100.3  | 1     | x
            Failed password for invalid user test from 10.10.1.2 port 5 ssh2 from 127.0.0.1 port 9 ssh2 | FAILED_PASSWORD | 127.0.0.1 | 9 | test from 10.10.1.2 port 5 ssh2
            error: PAM: Authentication failure for myhlj1374 from 192.030.0.6              | PAM_ERROR         | 192.030.0.6   | -1    | myhlj1374
            error: PAM: authentication error for james from example.com via 192.168.1.201  | PAM_ERROR         | example.com   | -1    | james
            ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4                                         | ROOT_LOGIN_REFUSED| 1.2.3.4       | -1    | root
            User root from example.com not allowed because listed in DenyUsers             | USER_NOT_ALLOWED  | example.com   | -1    | root
            User root not allowed because account is locked                                | ACCOUNT_LOCKED    | -             | -1    | root
            error: maximum authentication attempts exceeded for invalid user xxx from 192.0.2.7 port 49941 ssh2 [preauth] | MAX_AUTH_ATTEMPTS | 192.0.2.7 | 49941 | xxx
            Disconnecting: Too many authentication failures for root [preauth]             | TOO_MANY_AUTH_FAILURES | -        | -1    | root
            Connection closed by authenticating user test 127.0.0.1 port 12345 192.0.2.11 port 46039 [preauth] | CONNECTION_CLOSED | 192.0.2.11 | 46039 | test 127.0.0.1 port 12345
            Connection reset by 192.0.2.39 port 14282 [preauth]                            | CONNECTION_CLOSED | 192.0.2.39    | 14282 | -
            Disconnected from invalid user oracle 203.0.113.50 port 40000                   | DISCONNECTED      | 203.0.113.50  | 40000 | oracle
            Received disconnect from 198.51.100.76 port 58846:11: Bye Bye [preauth]        | RECEIVED_DISCONNECT | 198.51.100.76 | 58846 | -
            Received disconnect from 2001:db8::7: 11: Bye Bye                               | RECEIVED_DISCONNECT | 2001:db8::7 | -1    | -
            Received disconnect from 10.0.0.1 port 7736:3: com.jcraft.jsch.JSchException: Auth fail [preauth] | AUTH_FAIL_DISCONNECT | 10.0.0.1 | 7736 | -
            Did not receive identification string from 69.61.56.114                        | NO_IDENTIFICATION | 69.61.56.114  | -1    | -
            Unable to negotiate with 192.0.2.2 port 55419: no matching key exchange method found. Their offer: x | KEX_FAILURE | 192.0.2.2 | 55419 | -
            fatal: Timeout before authentication for connection from 192.0.2.17 to 127.0.0.1, pid = 29098 | PREAUTH_TIMEOUT | 192.0.2.17 | -1 | -
            Bad protocol version identification 'x' from 192.0.2.1' from 69.61.56.115 port 31778 | PROTOCOL_ERROR | 69.61.56.115 | 31778 | -
            refused connect from _U2FsdGVkX19P=_@::ffff:218.249.210.161 (::ffff:218.249.210.161) | REFUSED_CONNECT | 218.249.210.161 | -1 | -
            Accepted publickey for git from 192.0.2.1 port 57904 ssh2: DSA 36:48:xx        | ACCEPTED          | 192.0.2.1     | 57904 | git
            Connection from 192.0.2.10 port 62004 on 192.0.2.10 port 22 rdomain ""         | CONNECTION_FROM   | 192.0.2.10    | 62004 | -
            drop connection #0 from [203.0.113.77]:51234 on [10.0.0.5]:22 penalty: failed authentication | CONNECTION_ERROR | 203.0.113.77 | -1 | -
            reverse mapping checking getaddrinfo for ns.example [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT! | REVERSE_MAPPING | 173.234.31.186 | -1 | -
            """)
    void sshdMessages(String message, AuthKind kind, String address, int port, String user) {
        AuthEvent e = sshd(message);
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.address()).isEqualTo(address);
        assertThat(e.port()).isEqualTo(port);
        assertThat(e.user()).isEqualTo(user);
        assertThat(e.count()).isEqualTo(1);
    }

    @Test
    void repeatsAndPamCountsCarryTheirNumber() {
        AuthEvent r = sshd("message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]");
        assertThat(r.kind()).isEqualTo(AuthKind.FAILED_PASSWORD);
        assertThat(r.count()).isEqualTo(5);
        assertThat(r.address()).isEqualTo("5.36.59.76");
        AuthEvent p = sshd("PAM 4 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.188.10.180  user=root");
        assertThat(p.kind()).isEqualTo(AuthKind.PAM_MORE_FAILURES);
        assertThat(p.count()).isEqualTo(4);
        assertThat(p.user()).isEqualTo("root");
        assertThat(p.address()).isEqualTo("5.188.10.180");
    }

    @Test
    void pamUnixTakesUserOrRuserAndHostname() {
        AuthEvent e = sshd("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=sudoer rhost=192.0.2.114");
        assertThat(e.kind()).isEqualTo(AuthKind.PAM_AUTH_FAILURE);
        assertThat(e.user()).isEqualTo("sudoer");
        AuthEvent n = sshd("pam_sss(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host.example  user=bob");
        assertThat(n.user()).isEqualTo("bob");
        assertThat(n.address()).isEqualTo("host.example");
        assertThat(sshd("pam_unix(sshd:session): session opened for user bob by (uid=0)").kind()).isEqualTo(AuthKind.INFO);
    }

    @Test
    void preauthSuffixAndVendorPrefixesAreRemoved() {
        AuthEvent e = sshd("[ID 800047 auth.info] Failed keyboard-interactive for <invalid username> from 205.186.180.55 port 42742 ssh2");
        assertThat(e.kind()).isEqualTo(AuthKind.FAILED_OTHER);
        assertThat(e.detail()).isEqualTo("keyboard-interactive");
        assertThat(e.invalidUser()).isTrue();
        AuthEvent k = sshd("kernel: [  970.699397] Failed password for user admin from 192.0.2.10 port 42745 ssh2");
        assertThat(k.address()).isEqualTo("192.0.2.10");
        AuthEvent c = sshd("Connection closed by 61.0.0.1 [preauth]");
        assertThat(c.preauth()).isTrue();
        assertThat(c.address()).isEqualTo("61.0.0.1");
        assertThat(sshd("Connection closed by 61.0.0.1").preauth()).isFalse();
    }

    @Test
    void dropbearForms() {
        AuthEvent a = SshAuthClassifier.classify("dropbear", "Bad password attempt for 'root' from 198.51.100.87:5543");
        assertThat(a.kind()).isEqualTo(AuthKind.FAILED_PASSWORD);
        assertThat(a.user()).isEqualTo("root");
        assertThat(a.address()).isEqualTo("198.51.100.87");
        assertThat(a.port()).isEqualTo(5543);
        AuthEvent b = SshAuthClassifier.classify("dropbear", "login attempt for nonexistent user from ::ffff:198.51.100.215:60495");
        assertThat(b.kind()).isEqualTo(AuthKind.INVALID_USER);
        assertThat(b.address()).isEqualTo("198.51.100.215");
        AuthEvent c = SshAuthClassifier.classify("dropbear",
                "[825] Jul 10 23:57:29 Exit before auth from <192.0.2.3:52289>: (user 'root', 10 fails): Max auth tries reached - user 'root'");
        assertThat(c.kind()).isEqualTo(AuthKind.MAX_AUTH_ATTEMPTS);
        assertThat(c.address()).isEqualTo("192.0.2.3");
        assertThat(c.user()).isEqualTo("root");
        AuthEvent d = SshAuthClassifier.classify("dropbear", "Password auth succeeded for 'ubuntu' from 10.0.0.9:40000");
        assertThat(d.kind()).isEqualTo(AuthKind.ACCEPTED);
        assertThat(d.user()).isEqualTo("ubuntu");
    }

    @Test
    void auditRecordsOfSshd() {
        AuthEvent e = SshAuthClassifier.classify(null, "type=USER_AUTH msg=audit(1383116263.000:603): pid=12887 uid=0 auid=4294967295 "
                + "ses=4294967295 msg='op=password acct=\"dan\" exe=\"/usr/sbin/sshd\" hostname=? addr=192.168.3.100 terminal=ssh res=failed'");
        assertThat(e.kind()).isEqualTo(AuthKind.AUDIT_AUTH_FAILED);
        assertThat(e.user()).isEqualTo("dan");
        assertThat(e.address()).isEqualTo("192.168.3.100");
        AuthEvent l = SshAuthClassifier.classify(null, "type=USER_LOGIN msg=audit(1.0:1): pid=1 uid=0 msg='op=login "
                + "acct=28696E76616C6964207573657229 exe=\"/usr/sbin/sshd\" hostname=? addr=173.242.116.187 terminal=ssh res=failed'");
        assertThat(l.kind()).isEqualTo(AuthKind.AUDIT_LOGIN_FAILED);
        assertThat(l.user()).isEqualTo("(invalid user)");
        AuthEvent other = SshAuthClassifier.classify(null, "type=USER_AUTH msg=audit(1.0:1): pid=1 msg='op=PAM:authentication "
                + "acct=\"root\" exe=\"/usr/bin/sudo\" hostname=? addr=? terminal=pts/0 res=failed'");
        assertThat(other.kind()).isEqualTo(AuthKind.NOT_SSH);
    }

    @Test
    void unknownSshdLinesAreUnclassifiedAndOtherProgramsAreNotOurs() {
        assertThat(sshd("Frobnicated the widget from 1.2.3.4").kind()).isEqualTo(AuthKind.UNCLASSIFIED);
        assertThat(sshd("").kind()).isEqualTo(AuthKind.UNCLASSIFIED);
        assertThat(SshAuthClassifier.classify("sshd-session", null).kind()).isEqualTo(AuthKind.UNCLASSIFIED);
        assertThat(SshAuthClassifier.classify("sudo", "Invalid user x from 1.2.3.4").kind()).isEqualTo(AuthKind.NOT_SSH);
        assertThat(SshAuthClassifier.classify("sshd-session", "Invalid user x from 1.2.3.4").kind()).isEqualTo(AuthKind.INVALID_USER);
        // truncated and odd lines never throw
        for (String s : new String[] {"Failed ", "Failed password for", "Received disconnect from ", "Connection closed by ",
                "User ", "PAM 3", "message repeated 2 times: [", "kernel:[", "[ID 1", "Disconnecting invalid user ", "SSH: Server;Ltype: x;Remote: ",
                "Timeout before authentication for ", "refused connect from (", "[1] Jan  1 00:00:00 ", "Exit before auth from <"}) {
            assertThat(sshd(s)).isNotNull();
            assertThat(SshAuthClassifier.classify("dropbear", s)).isNotNull();
        }
    }
}
