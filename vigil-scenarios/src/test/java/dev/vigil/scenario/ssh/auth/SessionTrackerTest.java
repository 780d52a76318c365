package dev.vigil.scenario.ssh.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** fail2ban's multi-line rules, without the corpus (which a fresh clone may not have). */
class SessionTrackerTest {
    private long clock;

    private SessionTracker.Verdict feed(SessionTracker t, long pid, String message) {
        return t.observe("web-1", pid, SshAuthClassifier.classify("sshd", message), clock += 1000);
    }

    /**
     * The tracker's own table and recency list evict as the access-ordered {@code LinkedHashMap} it replaced: the
     * same connections, in the same order, idle ones from the eldest end (at most 8 a line) and the eldest beyond the
     * bound; a line of a connection, known or not, makes it the most recent. Seeded random lines, few pids and origins.
     */
    @Test
    void evictsAsAnAccessOrderedLinkedHashMap() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] messages = {"Failed password for root from 192.0.2.7 port 22 ssh2", "Connection closed by 192.0.2.8 port 22 [preauth]",
                "Server listening on 0.0.0.0 port 22.", "Accepted password for deploy from 192.0.2.9 port 22 ssh2"};
        for (int run = 0; run < 20; run++) {
            int max = 1 + rnd.nextInt(12);
            long idle = 1_000 + rnd.nextInt(20_000);
            List<String> evicted = new ArrayList<>();
            SessionTracker t = new SessionTracker(FailureMode.NORMAL, max, idle, s -> evicted.add(s.origin() + "/" + s.pid()));
            LinkedHashMap<String, long[]> model = new LinkedHashMap<>(16, 0.75f, true);
            List<String> expected = new ArrayList<>();
            long now = 0;
            for (int op = 0; op < 2_000; op++) {
                now += rnd.nextInt(3) == 0 ? rnd.nextInt(5_000) : rnd.nextInt(200);
                String origin = rnd.nextBoolean() ? "i-1" : "host:web-" + rnd.nextInt(3);
                long pid = rnd.nextInt(10) == 0 ? -1 : rnd.nextInt(30);
                AuthEvent e = SshAuthClassifier.classify("sshd", messages[rnd.nextInt(messages.length)]);
                // the former code: evict idle from the eldest end, look up (access order), add, evict the eldest
                Iterator<Map.Entry<String, long[]>> it = model.entrySet().iterator();
                for (int n = 0; n < 8 && it.hasNext(); n++) {
                    Map.Entry<String, long[]> eldest = it.next();
                    if (now - eldest.getValue()[0] <= idle) break;
                    it.remove();
                    expected.add(eldest.getKey());
                }
                if (pid >= 0) {
                    String k = origin + "/" + pid;
                    long[] seen = model.get(k);
                    if (seen == null && e.kind().group() != AuthKind.Group.NONE && e.kind() != AuthKind.INFO) {
                        seen = new long[1];
                        model.put(k, seen);
                        if (model.size() > max) {
                            Iterator<String> first = model.keySet().iterator();
                            expected.add(first.next());
                            first.remove();
                        }
                    }
                    if (seen != null) seen[0] = now;
                }
                t.observe(origin, pid, e, now);
                String what = "seed " + seed + ", run " + run + ", line " + op;
                assertThat(evicted).as(what).isEqualTo(expected);
                assertThat(t.size()).as(what).isEqualTo(model.size());
            }
            t.flush();
            expected.addAll(model.keySet());
            assertThat(evicted).as("seed " + seed + ": flush, eldest first").isEqualTo(expected);
            assertThat(t.size()).isZero();
        }
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
