package dev.vigil.scenario.ssh.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A synthetic /var/log/secure of an internet-facing sshd: connections of password brute force, user-name probing,
 * scanners, key spraying and normal log-ins, from a few hundred persistent attackers plus a stream of one-off
 * addresses (so the detectors see millions of distinct sources). Deterministic for a seed.
 */
final class SyntheticAuthLog {
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static final int[] DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    private static final String[] USERS = {"admin", "oracle", "test", "user", "ubuntu", "postgres", "git", "guest", "support", "pi", "ftpuser", "deploy"};

    private final SplittableRandom rnd;
    private final String host;
    private long millis; // event time since the start of the year
    private int pid = 1000;
    private final List<String> attackers = new ArrayList<>();

    SyntheticAuthLog(long seed, String host) {
        this.rnd = new SplittableRandom(seed);
        this.host = host;
        this.millis = 120L * 24 * 3600 * 1000; // May 1st
        for (int i = 0; i < 500; i++) attackers.add(ip());
    }

    /** Emits at least {@code lines} lines (whole connections), each a full syslog line. */
    void generate(long lines, Consumer<String> out) {
        long[] n = {0};
        Consumer<String> counting = l -> {
            n[0]++;
            out.accept(l);
        };
        while (n[0] < lines) connection(counting);
    }

    private void connection(Consumer<String> out) {
        String src = rnd.nextInt(10) < 7 ? attackers.get(rnd.nextInt(attackers.size())) : ip();
        int port = 1024 + rnd.nextInt(64000);
        int p = pid++;
        String user = USERS[rnd.nextInt(USERS.length)];
        int kind = rnd.nextInt(100);
        if (kind < 40) { // password guessing on root
            int tries = 1 + rnd.nextInt(3);
            for (int i = 0; i < tries; i++) {
                out.accept(line(p, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=" + src + "  user=root"));
                out.accept(line(p, "Failed password for root from " + src + " port " + port + " ssh2"));
            }
            if (rnd.nextInt(10) == 0) out.accept(line(p, "message repeated 2 times: [ Failed password for root from " + src + " port " + port + " ssh2]"));
            if (tries == 3) out.accept(line(p, "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=" + src + "  user=root"));
            out.accept(line(p, "Received disconnect from " + src + " port " + port + ":11: Bye Bye [preauth]"));
            out.accept(line(p, "Disconnected from authenticating user root " + src + " port " + port + " [preauth]"));
        } else if (kind < 65) { // user-name probing
            out.accept(line(p, "Invalid user " + user + " from " + src + " port " + port));
            out.accept(line(p, "pam_unix(sshd:auth): check pass; user unknown"));
            out.accept(line(p, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=" + src));
            out.accept(line(p, "Failed password for invalid user " + user + " from " + src + " port " + port + " ssh2"));
            out.accept(line(p, "Connection closed by invalid user " + user + " " + src + " port " + port + " [preauth]"));
        } else if (kind < 80) { // scanners
            switch (rnd.nextInt(4)) {
                case 0 -> out.accept(line(p, "Did not receive identification string from " + src + " port " + port));
                case 1 -> out.accept(line(p, "Unable to negotiate with " + src + " port " + port
                        + ": no matching key exchange method found. Their offer: diffie-hellman-group1-sha1,diffie-hellman-group14-sha1 [preauth]"));
                case 2 -> {
                    out.accept(line(p, "error: kex_exchange_identification: Connection closed by remote host"));
                    out.accept(line(p, "Connection closed by " + src + " port " + port));
                }
                default -> out.accept(line(p, "Connection reset by " + src + " port " + port + " [preauth]"));
            }
        } else if (kind < 88) { // key spraying
            for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
                out.accept(line(p, "Failed publickey for " + user + " from " + src + " port " + port + " ssh2: RSA SHA256:" + Long.toHexString(rnd.nextLong())));
            }
            out.accept(line(p, "Connection closed by authenticating user " + user + " " + src + " port " + port + " [preauth]"));
        } else if (kind < 90) {
            out.accept(line(p, "error: maximum authentication attempts exceeded for root from " + src + " port " + port + " ssh2 [preauth]"));
            out.accept(line(p, "Disconnecting authenticating user root " + src + " port " + port + ": Too many authentication failures [preauth]"));
        } else { // a normal log-in from the office
            String office = "10.0." + rnd.nextInt(4) + "." + (2 + rnd.nextInt(200));
            out.accept(line(p, "Accepted publickey for deploy from " + office + " port " + port + " ssh2: ED25519 SHA256:" + Long.toHexString(rnd.nextLong())));
            out.accept(line(p, "pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)"));
            millis += rnd.nextInt(60_000);
            out.accept(line(p, "Received disconnect from " + office + " port " + port + ":11: disconnected by user"));
            out.accept(line(p, "Disconnected from user deploy " + office + " port " + port));
            out.accept(line(p, "pam_unix(sshd:session): session closed for user deploy"));
        }
        if (pid > 4_000_000) pid = 1000;
    }

    private String ip() {
        return (1 + rnd.nextInt(222)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
    }

    private String line(int p, String message) {
        millis += rnd.nextInt(40);
        long s = millis / 1000;
        int dayOfYear = (int) (s / 86400);
        int month = 0;
        while (month < 11 && dayOfYear >= DAYS[month]) dayOfYear -= DAYS[month++];
        int dom = dayOfYear + 1;
        long sec = s % 86400;
        StringBuilder b = new StringBuilder(message.length() + 48);
        b.append(MONTHS[month]).append(dom < 10 ? "  " : " ").append(dom).append(' ');
        two(b, sec / 3600).append(':');
        two(b, sec / 60 % 60).append(':');
        two(b, sec % 60);
        return b.append(' ').append(host).append(" sshd[").append(p).append("]: ").append(message).toString();
    }

    private static StringBuilder two(StringBuilder b, long v) {
        return b.append(v < 10 ? "0" : "").append(v);
    }
}
