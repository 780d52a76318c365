package dev.vigil.scenario.ssh.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every message form the SSH rules name, as fail2ban's sshd filter, CrowdSec's sshd-logs parser and SSHGuard's
 * parser tests (src/parser/tests.txt) write them: a positive line (its kind and attributed address) and a negative
 * line that looks alike but is another kind.
 */
class MessageKindTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            sshd     | Invalid user inexu from 6.6.6.0                                                        | invalid-user       | 6.6.6.0
            sshd     | Invalid user inexu from 2001:db8::a11:beef:7ac0%abcdefgh1234567                        | invalid-user       | 2001:db8::a11:beef:7ac0
            sshd     | Illegal user test from 10.1.2.3                                                        | invalid-user       | 10.1.2.3
            dropbear | Login attempt for nonexistent user 'x' from 1.2.3.4:5555                               | invalid-user       | 1.2.3.4
            sshd     | Failed password for invalid user admin from 172.22.10.15 port 39065 ssh2               | failed-password    | 172.22.10.15
            sshd     | Failed password for root from ::ffff:10.1.2.3 port 22 ssh2                             | failed-password    | 10.1.2.3
            sshd     | Failed password for root from fe80::1%eth0 port 22 ssh2                                | failed-password    | fe80::1
            dropbear | Bad password attempt for 'root' from 1.2.3.4:5555                                      | failed-password    | 1.2.3.4
            sshd     | Failed publickey for git from 192.0.2.1 port 57904 ssh2: ECDSA SHA256:abc              | failed-key         | 192.0.2.1
            sshd     | Failed XYZ for XYZ from 2001:db8::a11:beef:7ac0%enp3s0 port 14423 ssh2                 | failed-other       | 2001:db8::a11:beef:7ac0
            sshd     | User mario from 2001:db8::a11:beef:7ac0%lo not allowed because XYZ                     | failed-other       | 2001:db8::a11:beef:7ac0
            sshd     | ROOT LOGIN REFUSED FROM 6.6.6.0 port 14423 [preauth]                                   | failed-other       | 6.6.6.0
            sshd     | error: maximum authentication attempts exceeded for root from 117.81.26.226 port 4919 ssh2 [preauth] | failed-other | 117.81.26.226
            sshd     | error: PAM: authentication failure for mario from 2001:db8::a11:beef:7ac0%vbr1         | pam-failure        | 2001:db8::a11:beef:7ac0
            sshd     | error: PAM: unknown user for illegal user mario from 6.6.6.6                           | pam-failure        | 6.6.6.6
            sshd     | PAM: User not known to the underlying authentication module for illegal user x from 1.2.3.4 | pam-failure   | 1.2.3.4
            sshd     | pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root | pam-failure | 1.2.3.4
            sshd     | PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root | pam-failure | 1.2.3.4
            sshd     | Connection closed by 66.240.236.119 [preauth]                                          | preauth-disconnect | 66.240.236.119
            sshd     | Connection closed by authenticating user root 1.2.3.4 port 5555 [preauth]              | preauth-disconnect | 1.2.3.4
            sshd     | Disconnected from invalid user oracle 203.0.113.50 port 40000                           | preauth-disconnect | 203.0.113.50
            sshd     | Received disconnect from 103.237.33.58: 11: Bye Bye [preauth]                          | preauth-disconnect | 103.237.33.58
            sshd     | error: Received disconnect from 192.168.2.200: 14: No supported authentication methods available [preauth] | preauth-disconnect | 192.168.2.200
            sshd     | Unable to negotiate with 6.6.6.6 port 2222: no matching key exchange method found. Their offer: diffie-hellman-group14-sha1 | kex-failure | 6.6.6.6
            sshd     | fatal: Unable to negotiate with 1.2.3.4 port 5555: no matching host key type found. Their offer: ssh-rsa [preauth] | kex-failure | 1.2.3.4
            sshd     | Bad protocol version identification XYZ from 6.6.6.0                                   | protocol-failure   | 6.6.6.0
            sshd     | Did not receive identification string from 2001:db8::a11:beef:7ac0%eth0                | protocol-failure   | 2001:db8::a11:beef:7ac0
            sshd     | banner exchange: Connection from 1.2.3.4 port 5555: invalid format                     | protocol-failure   | 1.2.3.4
            sshd     | kex_exchange_identification: client sent invalid protocol identifier "GET / HTTP/1.1"  | protocol-failure   | -
            sshd     | Magic value check failed (3) on obfuscated handshake from 1.2.3.4 port 2222            | protocol-failure   | 1.2.3.4
            sshd     | fatal: Timeout before authentication for 192.0.2.17 port 40312                         | grace-timeout      | 192.0.2.17
            sshd     | Timeout before authentication for connection from 192.0.2.17 to 127.0.0.1, pid = 29098 | grace-timeout      | 192.0.2.17
            sshd     | refused connect from _U2FsdGVkX19P=_@::ffff:218.249.210.161 (::ffff:218.249.210.161)   | refused            | 218.249.210.161
            sshd     | Connection refused by tcp wrapper                                                      | refused            | -
            sshd     | Accepted publickey for User from 1.2.3.4 port 21563 ssh2: RSA SHA256:abc               | accepted           | 1.2.3.4
            sshd     | Received disconnect from 1.2.3.4 port 60058:11: disconnected by user                   | other              | 1.2.3.4
            """)
    void positive(String program, String message, String kind, String address) {
        AuthEvent e = SshAuthClassifier.classify(program, message);
        assertThat(MessageKind.of(e).label()).isEqualTo(kind);
        assertThat(e.address()).isEqualTo(address);
    }

    /** Lines that look like one form but are another (or nothing): never counted as that form. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            sshd     | input_userauth_request: invalid user admin [preauth]                                   | invalid-user
            sshd     | Accepted password for root from 10.0.0.1 port 22 ssh2                                  | failed-password
            sshd     | Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]                   | failed-key
            sshd     | pam_unix(sshd:session): session opened for user root by (uid=0)                        | pam-failure
            sshd     | pam_unix(sshd:auth): check pass; user unknown                                          | pam-failure
            sudo     | pam_unix(sudo:auth): authentication failure; logname=x uid=1000 euid=0 tty=/dev/pts/0 ruser=x rhost=  user=x | pam-failure
            sshd     | Connection closed by 1.2.3.4 port 5555                                                 | preauth-disconnect
            sshd     | Received disconnect from 1.2.3.4 port 60058:11: disconnected by user                   | preauth-disconnect
            sshd     | Server listening on 0.0.0.0 port 22.                                                   | kex-failure
            sshd     | Timeout, client not responding from user root 1.2.3.4 port 5555                        | grace-timeout
            sshd     | Connection from 1.2.3.4 port 5555 on 10.0.0.1 port 22                                  | refused
            sshd     | Accepted publickey for git from 192.0.2.1 port 57904 ssh2: ECDSA SHA256:abc            | protocol-failure
            sshd     | Failed password for root from 1.2.3.4 port 22 ssh2                                     | accepted
            sshd     | reverse mapping checking getaddrinfo for x [6.6.6.0] failed - POSSIBLE BREAK-IN ATTEMPT! | invalid-user
            """)
    void negative(String program, String message, String notKind) {
        assertThat(MessageKind.of(SshAuthClassifier.classify(program, message)).label()).isNotEqualTo(notKind);
    }
}
