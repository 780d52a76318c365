package dev.vigil.scenario.ssh.auth;

/**
 * Turns one log message (the text after the syslog or journal prefix) into an {@link AuthEvent}. Pure and
 * allocation-light: fixed prefixes and keywords pick the message shape, then plain scans pull out address, port and
 * user; no regular expression runs on this path (no backtracking on attacker-chosen user names).
 *
 * <p>Before dispatch it removes what sits between the prefix and sshd's text: {@code message repeated N times: [ ... ]}
 * (the count becomes N), Solaris {@code [ID 800047 auth.info]}, journald's {@code kernel:[  970.699396]:}, Dropbear's
 * own {@code [pid] Mon dd hh:mm:ss}, sshd's {@code error: }, {@code fatal: } and {@code PAM: }, and the
 * {@code [preauth]} suffix (which sets {@link AuthEvent#preauth()}).
 */
public final class SshAuthClassifier {
    private SshAuthClassifier() {}

    /** What program wrote the line, as far as classification cares. */
    public enum Program { SSHD, DROPBEAR, AUDIT, UNKNOWN, OTHER }

    public static Program program(String program) {
        if (program == null || program.isEmpty()) return Program.UNKNOWN;
        if (program.startsWith("sshd")) return Program.SSHD; // sshd, sshd-session (OpenSSH 9.8), sshd-auth (10.0)
        if (program.startsWith("dropbear")) return Program.DROPBEAR;
        if (program.startsWith("audit") || program.equals("audispd")) return Program.AUDIT;
        return Program.OTHER;
    }

    /** Classifies one message of {@code program} (sshd, sshd-session, dropbear, audit ...; null when unknown). */
    public static AuthEvent classify(String program, String message) {
        return classifyFor(program(program), message);
    }

    public static AuthEvent classifyFor(Program program, String message) {
        if (message == null) return AuthEvent.of(program == Program.OTHER ? AuthKind.NOT_SSH : AuthKind.UNCLASSIFIED);
        Text t = new Text(message);
        trim(t);
        if (program == Program.AUDIT || t.at("type=")) {
            return OtherMessages.audit(t);
        }
        if (program == Program.OTHER) return AuthEvent.of(AuthKind.NOT_SSH);
        unwrap(t);
        AuthEvent e;
        if (program == Program.DROPBEAR) {
            e = OtherMessages.dropbear(t);
        } else {
            e = SshdMessages.classify(t);
            if (e.kind() == AuthKind.UNCLASSIFIED && program == Program.UNKNOWN) e = OtherMessages.dropbear(t);
        }
        if (t.preauth && !e.preauth()) e = e.withPreauth();
        return t.count == 1 ? e : e.withCount(t.count);
    }

    private static void trim(Text t) {
        while (t.start < t.end && t.s.charAt(t.start) == ' ') t.start++;
        while (t.end > t.start && Character.isWhitespace(t.s.charAt(t.end - 1))) t.end--;
    }

    /** Removes repeat wrappers, vendor prefixes, sshd's severity words and the [preauth] suffix. */
    private static void unwrap(Text t) {
        for (int guard = 0; guard < 6; guard++) {
            if (t.start >= t.end) return;
            char c = t.s.charAt(t.start);
            if (c == 'm' && t.at("message repeated ")) {
                int n = t.number(t.start + 17);
                int open = t.find("[ ", t.start);
                if (n <= 0 || open < 0) return;
                t.count = n;
                t.start = open + 2;
                if (t.end > t.start && t.s.charAt(t.end - 1) == ']') t.end--;
                trim(t);
            } else if (c == 'e' && t.at("error: ")) {
                t.start += 7;
            } else if (c == 'f' && t.at("fatal: ")) {
                t.start += 7;
            } else if (c == 'P' && t.at("PAM: ")) {
                t.start += 5;
            } else if (c == '[' && t.at("[ID ")) {
                int close = t.find("] ", t.start);
                if (close < 0) return;
                t.start = close + 2;
            } else if (c == 'k' && t.at("kernel:")) {
                int i = t.start + 7;
                while (i < t.end && t.s.charAt(i) == ' ') i++;
                if (i < t.end && t.s.charAt(i) == '[') {
                    int close = t.find(']', i);
                    if (close < 0) return;
                    i = close + 1;
                }
                if (i < t.end && t.s.charAt(i) == ':') i++;
                while (i < t.end && t.s.charAt(i) == ' ') i++;
                t.start = i;
            } else if (c == '[' && dropbearStamp(t)) {
                continue;
            } else {
                break;
            }
        }
        if (t.endsWith("[preauth]")) {
            t.preauth = true;
            t.end -= 9;
            trim(t);
        }
    }

    /** Dropbear in a journal repeats its own "[825] Jul 10 23:53:52 " before the text. */
    private static boolean dropbearStamp(Text t) {
        int i = t.start + 1;
        int d = t.digitsEnd(i);
        if (d == i || !t.at("] ", d)) return false;
        int j = d + 2;
        // "Mon dd hh:mm:ss " (day may be space-padded)
        if (j + 16 > t.end || !Character.isLetter(t.s.charAt(j)) || t.s.charAt(j + 3) != ' ') return false;
        int k = j + 4;
        if (t.s.charAt(k) == ' ') k++;
        k = t.digitsEnd(k);
        if (k >= t.end || t.s.charAt(k) != ' ' || k + 9 > t.end || t.s.charAt(k + 3) != ':' || t.s.charAt(k + 6) != ':') return false;
        t.start = k + 10;
        return true;
    }
}
