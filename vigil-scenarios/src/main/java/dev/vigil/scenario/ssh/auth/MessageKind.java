package dev.vigil.scenario.ssh.auth;

/**
 * The kind of an sshd / PAM / Dropbear / TCP-wrappers message as a user checks it (what {@code vigil events} shows,
 * as {@code fail2ban-regex} and {@code cscli explain} let one check a line): a coarser view of {@link AuthKind} that
 * names the classes of attack the SSH rules count. The label is the stable text form.
 */
public enum MessageKind {
    /** "Invalid user", "Illegal user", Dropbear's nonexistent user. */
    INVALID_USER("invalid-user"),
    /** "Failed password", Dropbear's "Bad password attempt". */
    FAILED_PASSWORD("failed-password"),
    /** "Failed publickey": a key the server did not accept. */
    FAILED_KEY("failed-key"),
    /** Other failed log-ins: methods other than password and key, root refused, user not allowed, locked, too many tries. */
    FAILED_OTHER("failed-other"),
    /** sshd's PAM errors, {@code pam_unix(sshd:auth): authentication failure}, {@code PAM N more authentication failures}. */
    PAM_FAILURE("pam-failure"),
    /** A connection closed, reset or disconnected before authentication. */
    PREAUTH_DISCONNECT("preauth-disconnect"),
    /** No common key exchange, host key, cipher or MAC ("Unable to negotiate ... no matching ..."). */
    KEX_FAILURE("kex-failure"),
    /** Garbage or nothing instead of SSH: identification string, banner exchange, bad protocol version, dispatch errors. */
    PROTOCOL_FAILURE("protocol-failure"),
    /** LoginGraceTime ran out: "Timeout before authentication" (what the regreSSHion exploit, CVE-2024-6387, leaves). */
    GRACE_TIMEOUT("grace-timeout"),
    /** TCP wrappers refused the connection ("refused connect from", "Connection refused by tcp wrapper"). */
    REFUSED("refused"),
    /** A successful log-in ("Accepted ..."). */
    ACCEPTED("accepted"),
    /** Anything else the classifier knows or not (sessions, context lines, disconnects after log-in, unknown sshd text). */
    OTHER("other");

    private final String label;

    MessageKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The message kind of a classified line. */
    public static MessageKind of(AuthEvent e) {
        return switch (e.kind()) {
            case INVALID_USER -> INVALID_USER;
            case FAILED_PASSWORD -> FAILED_PASSWORD;
            case FAILED_PUBLICKEY -> FAILED_KEY;
            case FAILED_OTHER, ROOT_LOGIN_REFUSED, USER_NOT_ALLOWED, ACCOUNT_LOCKED, TOO_MANY_AUTH_FAILURES, MAX_AUTH_ATTEMPTS,
                    CHANGE_OF_USERNAME, AUTH_FAIL_DISCONNECT, AUDIT_AUTH_FAILED -> FAILED_OTHER;
            case PAM_ERROR, PAM_AUTH_FAILURE, PAM_MORE_FAILURES -> PAM_FAILURE;
            case REFUSED_CONNECT -> REFUSED;
            case KEX_FAILURE -> KEX_FAILURE;
            case NO_IDENTIFICATION, PROTOCOL_ERROR -> PROTOCOL_FAILURE;
            case PREAUTH_TIMEOUT -> GRACE_TIMEOUT;
            case CONNECTION_CLOSED, DISCONNECTED, RECEIVED_DISCONNECT, NO_AUTH_METHODS, CONNECTION_ERROR ->
                    e.preauth() || e.invalidUser() || e.kind() == AuthKind.NO_AUTH_METHODS ? PREAUTH_DISCONNECT : OTHER;
            case ACCEPTED -> ACCEPTED;
            default -> OTHER;
        };
    }
}
