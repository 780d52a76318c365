package dev.vigil.scenario.ssh.auth;

/**
 * One classified log line.
 *
 * @param kind what the line says
 * @param address the remote address as the line gives it, {@code ::ffff:} prefix and brackets removed (IPv4, IPv6 or
 *     a host name, odd forms such as {@code 192.030.0.6} kept literally); null when the line names none
 * @param port the remote port, or -1
 * @param user the user name the line gives (may be empty: sshd logs "Invalid user  from"), or null
 * @param invalidUser true when sshd says the user does not exist ("invalid user", "illegal user", Dropbear's
 *     "nonexistent user")
 * @param preauth true when the line is marked {@code [preauth]} or names an "authenticating"/"invalid" user
 * @param count how many attempts the line stands for: N for "message repeated N times", 1 otherwise
 * @param detail the method for FAILED_OTHER/ACCEPTED ("password", "keyboard-interactive/pam"...), the reason for
 *     USER_NOT_ALLOWED and disconnects ("11: Bye Bye"), "closed"/"reset" for CONNECTION_CLOSED; else null
 * @param unattributable true when the line's shape names a source but no single address could be read from the
 *     position sshd (or Dropbear) writes it: the line is truncated, or an attacker-chosen field (user name, key id,
 *     hostbased client names) makes two readings possible. The address is then null, never a guess; the run summary
 *     counts such lines as {@code ssh_unattributable}.
 */
public record AuthEvent(
        AuthKind kind, String address, int port, String user, boolean invalidUser, boolean preauth, int count, String detail,
        boolean unattributable) {

    public AuthEvent(AuthKind kind, String address, int port, String user, boolean invalidUser, boolean preauth, int count, String detail) {
        this(kind, address, port, user, invalidUser, preauth, count, detail, false);
    }

    private static final AuthEvent[] PLAIN = new AuthEvent[AuthKind.values().length];

    static {
        for (AuthKind k : AuthKind.values()) PLAIN[k.ordinal()] = new AuthEvent(k, null, -1, null, false, false, 1, null);
    }

    /** A shared event of a kind with nothing else to say (no allocation on the hot path). */
    public static AuthEvent of(AuthKind kind) {
        return PLAIN[kind.ordinal()];
    }

    public AuthEvent withCount(int n) {
        return n == count ? this : new AuthEvent(kind, address, port, user, invalidUser, preauth, n, detail, unattributable);
    }

    public AuthEvent withPreauth() {
        return preauth ? this : new AuthEvent(kind, address, port, user, invalidUser, true, count, detail, unattributable);
    }

    /** This line's kind and user with no address: its source could not be read unambiguously. */
    public static AuthEvent unattributable(AuthKind kind, String user, boolean invalidUser, String detail) {
        return new AuthEvent(kind, null, -1, user, invalidUser, false, 1, detail, true);
    }

    /** The disconnect reason code of RECEIVED_DISCONNECT-like kinds ("11: Bye Bye" gives 11), or -1. */
    public int disconnectCode() {
        if (detail == null) return -1;
        int n = 0;
        int i = 0;
        while (i < detail.length() && Character.isDigit(detail.charAt(i)) && i < 4) n = n * 10 + (detail.charAt(i++) - '0');
        return i > 0 && i < detail.length() && detail.charAt(i) == ':' ? n : -1;
    }
}
