package dev.vigil.scenario.ssh.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: for every sshd and Dropbear message template the classifier knows that names a source, and for user
 * names (and other client-written fields) drawn from a hostile alphabet, the attributed source is the address the
 * daemon wrote after them, or none. Templates whose only client-written text is the user name must always be
 * attributed (a user name can neither frame nor hide its sender).
 *
 * <p>Seeded: {@code -Dvigil.seed=N} reruns a failure (the seed and the line are in the message); by default each run
 * draws a new base seed, so CI explores new names every time. {@value #CASES_PER_SEED} cases per seed,
 * {@value #SEEDS} seeds.
 */
class AttributionPropertyTest {
    static final int SEEDS = 8;
    static final int CASES_PER_SEED = 15_000;
    private static final long BASE_SEED = Long.getLong("vigil.seed", new SplittableRandom().nextLong());
    private static long cases;
    private static long nanos;
    private static long cpuNanos;
    private static final Map<Template, long[]> outcomes = new EnumMap<>(Template.class);

    /** How the daemon writes the user name: sshd vis-encodes control and non-ASCII bytes; Dropbear writes it raw. */
    enum Writer { SSHD, DROPBEAR }

    /**
     * Each template as the daemon writes it: {@code U} the user name, {@code K} another client-written field (a
     * certificate key id, hostbased client names, ruser, the second user of a change of user name, a PAM user),
     * {@code A} the address, {@code P} the port. {@code strict}: only the user name is the client's, so the line must
     * be attributed.
     */
    enum Template {
        FAILED_PASSWORD("sshd", "Failed password for U from A port P ssh2", true),
        FAILED_PASSWORD_INVALID("sshd", "Failed password for invalid user U from A port P ssh2", true),
        FAILED_NONE("sshd", "Failed none for invalid user U from A port P ssh2", true),
        FAILED_KBDINT("sshd", "Failed keyboard-interactive/pam for invalid user U from A port P ssh2", true),
        FAILED_PUBLICKEY("sshd", "Failed publickey for U from A port P ssh2: RSA SHA256:Xyz0+/abc", true),
        FAILED_PUBLICKEY_INVALID("sshd", "Failed publickey for invalid user U from A port P ssh2: ED25519 SHA256:Xyz0", true),
        FAILED_CERT("sshd", "Failed publickey for U from A port P ssh2: ED25519-CERT SHA256:fp ID K (serial 7) CA ED25519 SHA256:cafp", false),
        FAILED_CERT_OLD("sshd", "Failed publickey for U from A port P ssh2: RSA-CERT ID K (serial 0) CA RSA 8c:e3:aa:0f", false),
        FAILED_HOSTBASED("sshd", "Failed hostbased for U from A port P ssh2: RSA SHA256:fp, client user \"K\", client host \"K\"", false),
        FAILED_RHOSTS_SSH1("sshd", "Failed rhosts-rsa for U from A port P ssh1: ruser K", false),
        FAILED_PASSWORD_NO_PORT("sshd", "Failed password for invalid user U from A", false),
        ACCEPTED_PASSWORD("sshd", "Accepted password for U from A port P ssh2", true),
        ACCEPTED_PUBLICKEY("sshd", "Accepted publickey for U from A port P ssh2: RSA SHA256:abc", true),
        INVALID_USER("sshd", "Invalid user U from A port P", true),
        INVALID_USER_OLD("sshd", "Invalid user U from A", true),
        ILLEGAL_USER("sshd", "Illegal user U from A", true),
        MAX_ATTEMPTS("sshd", "error: maximum authentication attempts exceeded for U from A port P ssh2 [preauth]", true),
        MAX_ATTEMPTS_INVALID("sshd", "error: maximum authentication attempts exceeded for invalid user U from A port P ssh2 [preauth]", true),
        DISCONNECTED_INVALID("sshd", "Disconnected from invalid user U A port P [preauth]", true),
        DISCONNECTED_AUTHENTICATING("sshd", "Disconnected from authenticating user U A port P [preauth]", true),
        CLOSED_INVALID("sshd", "Connection closed by invalid user U A port P [preauth]", true),
        CLOSED_AUTHENTICATING("sshd", "Connection closed by authenticating user U A port P [preauth]", true),
        RESET_INVALID("sshd", "Connection reset by invalid user U A port P [preauth]", true),
        CLOSED_INVALID_NO_PREAUTH("sshd-session", "Connection closed by invalid user U A port P", true),
        DISCONNECTING_TOO_MANY("sshd", "Disconnecting invalid user U A port P: Too many authentication failures [preauth]", true),
        DISCONNECTING_AUTH_TOO_MANY("sshd", "Disconnecting authenticating user U A port P: Too many authentication failures [preauth]", true),
        DISCONNECTING_CHANGE("sshd", "Disconnecting invalid user U A port P: Change of username or service not allowed: (U,ssh-connection) -> (K,ssh-connection) [preauth]", false),
        DISPATCH_FATAL("sshd", "ssh_dispatch_run_fatal: Connection from invalid user U A port P: message authentication code incorrect [preauth]", true),
        REPEATED("sshd", "message repeated 3 times: [ Failed password for invalid user U from A port P ssh2]", true),
        REPEATED_MAX("sshd", "message repeated 2 times: [ error: maximum authentication attempts exceeded for invalid user U from A port P ssh2 [preauth]]", true),
        PAM_FAILURE("sshd", "error: PAM: Authentication failure for U from A", true),
        PAM_FAILURE_ILLEGAL("sshd", "error: PAM: Authentication failure for illegal user U from A", true),
        PAM_NOT_KNOWN("sshd", "error: PAM: User not known to the underlying authentication module for illegal user U from A", true),
        PAM_UNKNOWN_USER("sshd", "error: PAM: unknown user for illegal user U from A", true),
        PAM_UNIX("sshd", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=A  user=K", false),
        PAM_MORE("sshd", "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=A  user=K", false),
        BAD_PROTOCOL("sshd", "Bad protocol version identification 'U' from A port P", true),
        DROPBEAR_BAD_PASSWORD(Writer.DROPBEAR, "Bad password attempt for 'U' from A:P", true),
        DROPBEAR_BAD_PAM_PASSWORD(Writer.DROPBEAR, "Bad PAM password attempt for 'U' from A:P", true),
        DROPBEAR_NONEXISTENT(Writer.DROPBEAR, "Login attempt for nonexistent user 'U' from A:P", true),
        DROPBEAR_NONEXISTENT_NEW(Writer.DROPBEAR, "Login attempt for nonexistent user from A:P", true),
        DROPBEAR_PUBKEY_OK(Writer.DROPBEAR, "Pubkey auth succeeded for 'U' with ssh-rsa key SHA256:abc from A:P", true),
        DROPBEAR_EXIT(Writer.DROPBEAR, "Exit before auth from <A:P>: (user 'U', 10 fails): Max auth tries reached - user 'U'", true),
        DROPBEAR_EXIT_OLD(Writer.DROPBEAR, "Exit before auth (user 'U', 10 fails): Max auth tries reached - user 'U' from A:P", true);

        final String program;
        final Writer writer;
        final String text;
        final boolean strict;

        Template(String program, String text, boolean strict) {
            this(program, Writer.SSHD, text, strict);
        }

        Template(Writer writer, String text, boolean strict) {
            this("dropbear", writer, text, strict);
        }

        Template(String program, Writer writer, String text, boolean strict) {
            this.program = program;
            this.writer = writer;
            this.text = text;
            this.strict = strict;
        }
    }

    /** Pieces of hostile user names: sshd's own words and separators, addresses, encodings, escapes. */
    private static final String[] ALPHABET = {
        "x", "root", "admin", "a b", " ", "  ", "from", " from ", "port", " port ", "22", "50000", ":", ": ", "'", "\"", "ssh2",
        " ssh2", "ssh1", " ssh1: ruser ", "[preauth]", " [preauth]", "[", "]", "[ ", "(", ")", ",", "<", ">", "invalid user ",
        "authenticating user ", "illegal user ", "198.51.100.1", "10.0.0.1", "192.0.2.1:22", "2001:db8::1", "[2001:db8::2]",
        "::ffff:192.0.2.9", "fe80::1%eth0", "localhost", " rhost=", "rhost=", "  user=", "ruser=", " via ", "RSA", " RSA SHA256:abc",
        "SHA256:abc", " ID ", "-CERT", " (serial 1) CA ED25519 SHA256:z", ", client user \"", "\", client host \"", "Too many authentication failures",
        ": Too many authentication failures", "Change of username or service not allowed: (", "message repeated 3 times: [ ", "\n", "\r\n",
        "\t", "\u001b[31m", "\u001b]0;x\u0007", "\\", "\\012", "#012", "\u00e9", "\u202e", "\u0085", "\u2028", "%s", "' from ",
        " from 198.51.100.1 port 22 ssh2", " from 198.51.100.1 port 22 ssh2: ", " from 198.51.100.1:22", " 198.51.100.1 port 22",
        " 198.51.100.1 port 22: ", " from <198.51.100.1:22>", "' from 10.0.0.1:22", " rhost=198.51.100.1", " [198.51.100.1]",
    };

    static Stream<Arguments> seeds() {
        return LongStream.range(0, SEEDS).mapToObj(i -> Arguments.of(BASE_SEED + i * 0x9E3779B97F4A7C15L));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSourceIsTheAddressTheDaemonWroteOrNone(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Template[] all = Template.values();
        long[] unattributed = new long[all.length];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int n = 0; n < CASES_PER_SEED; n++) {
            Template tpl = all[n % all.length];
            String user = name(rnd, tpl.writer);
            // the known gap of the port-less fallback (docs/threat-model.md): a user name carrying a full suffix with
            // SSH-1's free-text ruser INFO outranks it; no OpenSSH since 3.0 writes the port-less form
            if (tpl == Template.FAILED_PASSWORD_NO_PORT) user = user.replace("ssh1", "ssh");
            String other = name(rnd, tpl.writer);
            String addr = address(rnd);
            int port = 1 + rnd.nextInt(65535);
            String line = fill(tpl, user, other, addr, port);
            AuthEvent e = SshAuthClassifier.classify(tpl.program, line);
            boolean classified = e.kind() != AuthKind.UNCLASSIFIED && e.kind() != AuthKind.NOT_SSH;
            boolean right = e.address() == null ? !tpl.strict : e.address().equals(expected(addr));
            if (!classified || !right) {
                throw new AssertionError("seed " + seed + " (rerun with -Dvigil.seed=" + BASE_SEED + "), case " + n + ", template " + tpl
                        + ": expected " + (tpl.strict ? "" : "none or ") + expected(addr) + ", got " + e.address() + " [" + e.kind() + "] for: " + line);
            }
            if (e.address() == null) unattributed[tpl.ordinal()]++;
        }
        synchronized (outcomes) {
            for (Template t : all) outcomes.computeIfAbsent(t, k -> new long[1])[0] += unattributed[t.ordinal()];
            nanos += System.nanoTime() - t0;
            cpuNanos += mx.getCurrentThreadCpuTime() - c0;
            cases += CASES_PER_SEED;
        }
    }

    @AfterAll
    static void report() {
        StringBuilder b = new StringBuilder();
        outcomes.forEach((t, o) -> {
            if (o[0] > 0) b.append(' ').append(t).append('=').append(o[0]);
        });
        System.out.printf("ssh attribution property: %d cases over %d templates in %.0f ms (%.0f ms CPU; base seed %d); unattributed (never wrong):%s%n",
                cases, Template.values().length, nanos / 1e6, cpuNanos / 1e6, BASE_SEED, b.length() == 0 ? " none" : b);
    }

    @Test
    void everyTemplateIsCoveredAndEachStrictOneAttributesAPlainName() {
        for (Template t : Template.values()) {
            AuthEvent e = SshAuthClassifier.classify(t.program, fill(t, "bob", "carol", "203.0.113.66", 50000));
            assertThat(e.address()).as(t.toString()).isEqualTo("203.0.113.66");
        }
        assertThat(SEEDS * CASES_PER_SEED).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void theIssuesFramingLines() {
        for (String line : List.of(
                "Failed password for invalid user x from 198.51.100.1: from 203.0.113.66 port 50000 ssh2",
                "Failed password for x from 198.51.100.1 port 22 ssh2: from 203.0.113.66 port 50000 ssh2",
                "message repeated 5 times: [ Failed password for invalid user x from 198.51.100.1: from 203.0.113.66 port 50000 ssh2]",
                "error: maximum authentication attempts exceeded for invalid user x from 198.51.100.1: from 203.0.113.66 port 50000 ssh2 [preauth]",
                "Disconnecting invalid user x 198.51.100.1 port 22: Too many authentication failures 203.0.113.66 port 50000: Too many authentication failures [preauth]",
                "Disconnected from invalid user x 198.51.100.1 on 203.0.113.66 port 50000 [preauth]")) {
            assertThat(SshAuthClassifier.classify("sshd", line).address()).as(line).isEqualTo("203.0.113.66");
        }
        assertThat(SshAuthClassifier.classify("dropbear", "Bad password attempt for 'x' from 198.51.100.1:22 z' from 203.0.113.66:50000").address())
                .isEqualTo("203.0.113.66");
        assertThat(SshAuthClassifier.classify("dropbear",
                "Exit before auth (user 'x from <198.51.100.1:22>', 10 fails): Max auth tries reached - user 'x from <198.51.100.1:22>' from 203.0.113.66:50000")
                .address()).isEqualTo("203.0.113.66");
    }

    private static String fill(Template t, String user, String other, String addr, int port) {
        if (t == Template.DISCONNECTING_CHANGE) { // packet.c logs the reason as "%.100s"
            String reason = "Change of username or service not allowed: (" + user + ",ssh-connection) -> (" + other + ",ssh-connection)";
            if (reason.length() > 100) reason = reason.substring(0, 100);
            return "Disconnecting invalid user " + user + " " + addr + " port " + port + ": " + reason + " [preauth]";
        }
        String text = t.text;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) { // U, K, A and P as words of the template (never inside what was filled in)
            char c = text.charAt(i);
            boolean word = (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1))) && (i + 1 == text.length() || !Character.isLetterOrDigit(text.charAt(i + 1)));
            if (word && c == 'U') b.append(user);
            else if (word && c == 'K') b.append(other);
            else if (word && c == 'A') b.append(addr);
            else if (word && c == 'P') b.append(port);
            else b.append(c);
        }
        return b.toString();
    }

    /** The address as AuthEvent gives it (brackets and ::ffff: dropped). */
    private static String expected(String addr) {
        return addr.startsWith("::ffff:") ? addr.substring(7) : addr;
    }

    private static String address(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> "203.0.113." + (1 + r.nextInt(254));
            case 1 -> (1 + r.nextInt(223)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
            case 2 -> "2001:db8:" + Integer.toHexString(r.nextInt(0x10000)) + "::" + Integer.toHexString(1 + r.nextInt(0xffff));
            default -> "::ffff:192.0.2." + (1 + r.nextInt(254));
        };
    }

    /** A user name as the daemon writes it: pieces of the alphabet and random characters, then the daemon's encoding. */
    private static String name(SplittableRandom r, Writer w) {
        StringBuilder raw = new StringBuilder();
        int parts = r.nextInt(9);
        for (int i = 0; i < parts; i++) {
            if (r.nextInt(6) == 0) raw.append((char) (r.nextInt(3) == 0 ? r.nextInt(0x20, 0x7f) : r.nextInt(1, 0x3000)));
            else raw.append(ALPHABET[r.nextInt(ALPHABET.length)]);
        }
        String u = raw.toString();
        return w == Writer.SSHD ? sshdVis(u) : rsyslogEscape(u);
    }

    /**
     * What sshd does to a user name: {@code %.100s} (100 bytes), then log.c's strnvis with
     * VIS_CSTYLE|VIS_NL|VIS_TAB|VIS_OCTAL over the whole message: backslash doubled, \n \t \r and friends in C style,
     * every other control or non-ASCII byte as \ooo; spaces, quotes and colons as they are.
     */
    static String sshdVis(String user) {
        byte[] b = user.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, 100);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c == 0) continue; // sshd refuses a user name with a NUL
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case 0x07 -> out.append("\\a");
                case 0x08 -> out.append("\\b");
                case 0x0b -> out.append("\\v");
                case 0x0c -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c >= 0x7f) octal(out.append('\\'), c);
                    else out.append((char) c);
                }
            }
        }
        return out.toString();
    }

    private static void octal(StringBuilder b, int c) {
        b.append((char) ('0' + (c >> 6 & 7))).append((char) ('0' + (c >> 3 & 7))).append((char) ('0' + (c & 7)));
    }

    /** What rsyslog does to control characters of a raw (Dropbear) message: #ooo; the rest stays. */
    static String rsyslogEscape(String user) {
        StringBuilder out = new StringBuilder();
        for (char c : user.toCharArray()) {
            if (c < 0x20 || c == 0x7f) octal(out.append('#'), c);
            else out.append(c);
        }
        return out.toString();
    }
}
