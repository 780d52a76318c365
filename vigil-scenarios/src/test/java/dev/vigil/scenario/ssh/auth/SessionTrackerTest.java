package dev.vigil.scenario.ssh.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** fail2ban's multi-line rules, without the corpus (which a fresh clone may not have). */
class SessionTrackerTest {
    private long clock;

    private SessionTracker.Verdict feed(SessionTracker t, long pid, String message) {
        return t.observe("web-1", pid, SshAuthClassifier.classify("sshd", message), clock += 1000);
    }

    @Test
    void aFailureWithoutAddressWaitsForItsConnectionsNextLine() {
        SessionTracker t = new SessionTracker(FailureMode.NORMAL);
        assertThat(feed(t, 1, "User root not allowed because account is locked").failure()).isFalse();
        assertThat(feed(t, 2, "Connection closed by 192.0.2.99").failure()).as("another connection").isFalse();
        SessionTracker.Verdict v = feed(t, 1, "Received disconnect from 198.51.100.34: 11: Bye Bye [preauth]");
        assertThat(v.failure()).isTrue();
        assertThat(v.address()).isEqualTo("198.51.100.34");
    }

    @Test
    void rejectedKeysOfAValidUserAreExcusedUntilTheConnectionGivesUp() {
        SessionTracker t = new SessionTracker(FailureMode.NORMAL);
        assertThat(feed(t, 5, "Failed publickey for git from 192.0.2.111 port 57910 ssh2: ECDSA 1e:fe").failure()).isFalse();
        assertThat(feed(t, 5, "Failed publickey for git from 192.0.2.111 port 57910 ssh2: RSA 14:ba").failure()).isFalse();
        SessionTracker.Verdict v = feed(t, 5, "Disconnecting: Too many authentication failures for git [preauth]");
        assertThat(v.failure()).isTrue();
        assertThat(v.address()).isEqualTo("192.0.2.111");
        assertThat(v.attempts()).isEqualTo(3);
        assertThat(feed(t, 5, "Connection closed by 192.0.2.111 [preauth]").failure()).as("already counted, normal mode").isFalse();
    }

    @Test
    void severalUserNamesOnOneConnectionAreNotExcusedByALogIn() {
        SessionTracker t = new SessionTracker(FailureMode.NORMAL);
        String pam = "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=%s rhost=192.0.2.114";
        assertThat(feed(t, 7, pam.formatted("root")).failure()).isFalse();
        assertThat(feed(t, 7, pam.formatted("sudoer")).failure()).isTrue();
        assertThat(feed(t, 7, "Accepted password for known from 192.0.2.114 port 52100 ssh2").failure()).isTrue();
        // one user name, then a log-in: PAM's failure was a typo
        assertThat(feed(t, 8, pam.formatted("rda")).failure()).isFalse();
        assertThat(feed(t, 8, "Accepted password for rda from 192.0.2.113 port 52100 ssh2").failure()).isFalse();
    }

    @Test
    void modesDecideAboutScannersAndPreauthCloses() {
        SessionTracker normal = new SessionTracker(FailureMode.NORMAL);
        SessionTracker ddos = new SessionTracker(FailureMode.DDOS);
        SessionTracker extra = new SessionTracker(FailureMode.EXTRA);
        String scan = "Did not receive identification string from 69.61.56.114";
        assertThat(feed(normal, 9, scan).failure()).isFalse();
        assertThat(feed(ddos, 9, scan).failure()).isTrue();
        String kex = "Unable to negotiate with 192.0.2.1 port 55419: no matching cipher found. Their offer: aes256-cbc [preauth]";
        assertThat(feed(normal, 10, kex).failure()).isFalse();
        assertThat(feed(extra, 10, kex).failure()).isTrue();
        String close = "Connection closed by 192.0.2.212 [preauth]";
        assertThat(feed(normal, 11, close).failure()).isFalse();
        assertThat(feed(ddos, 11, close).failure()).isTrue();
    }

    @Test
    void idleConnectionsAreDroppedAndCapped() {
        int[] evicted = {0};
        SessionTracker t = new SessionTracker(FailureMode.NORMAL, 100, 60_000, s -> evicted[0]++);
        for (int i = 0; i < 1000; i++) feed(t, i, "Connection from 192.0.2." + (i % 250) + " port 4000 on 10.0.0.1 port 22");
        assertThat(t.size()).isLessThanOrEqualTo(100);
        assertThat(evicted[0]).isGreaterThanOrEqualTo(900);
    }
}
