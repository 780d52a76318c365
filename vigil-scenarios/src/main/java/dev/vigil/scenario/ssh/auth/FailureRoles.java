package dev.vigil.scenario.ssh.auth;

/**
 * What a classified line does to its connection's failure count, following fail2ban's sshd filter (1.1): a
 * failure ({@code FAIL}); a helper that only tells the connection's address and user, or excuses it
 * ({@code NOFAIL}); or nothing ({@code NONE}). {@code forget} ends what is known of the connection (a disconnect),
 * {@code gained} marks a successful log-in.
 */
final class FailureRoles {
    private FailureRoles() {}

    enum Role { NONE, NOFAIL, FAIL }

    record Rule(Role role, boolean forget, boolean gained) {
        static final Rule NONE = new Rule(Role.NONE, false, false);
        static final Rule NOFAIL = new Rule(Role.NOFAIL, false, false);
        static final Rule NOFAIL_FORGET = new Rule(Role.NOFAIL, true, false);
        static final Rule FAIL = new Rule(Role.FAIL, false, false);
        static final Rule FAIL_FORGET = new Rule(Role.FAIL, true, false);
        static final Rule GAINED = new Rule(Role.NOFAIL, true, true);
    }

    static Rule rule(AuthEvent e, FailureMode mode) {
        boolean host = e.address() != null;
        return switch (e.kind()) {
            case INVALID_USER, FAILED_PASSWORD, FAILED_OTHER, PAM_ERROR, ROOT_LOGIN_REFUSED, USER_NOT_ALLOWED, REFUSED_CONNECT,
                    AUDIT_AUTH_FAILED -> host ? Rule.FAIL : Rule.NONE;
            // a valid user offering several keys is no attack (fail2ban gh-1263): only the connection's end decides
            case FAILED_PUBLICKEY -> !host ? Rule.NONE : e.invalidUser() ? Rule.FAIL : Rule.NOFAIL;
            case PAM_AUTH_FAILURE -> host ? Rule.NOFAIL : Rule.NONE;
            // the newer form with an address repeats a "maximum authentication attempts exceeded" counted already
            case TOO_MANY_AUTH_FAILURES -> host ? Rule.NOFAIL : Rule.FAIL;
            case ACCOUNT_LOCKED, MAX_AUTH_ATTEMPTS -> Rule.FAIL;
            case CHANGE_OF_USERNAME, AUTH_FAIL_DISCONNECT -> Rule.FAIL_FORGET;
            case CONNECTION_CLOSED, DISCONNECTED -> closed(e, mode);
            case RECEIVED_DISCONNECT -> e.disconnectCode() == 11 ? Rule.NOFAIL_FORGET : Rule.NONE;
            case NO_AUTH_METHODS -> mode.extra() && e.detail() != null
                    && (e.detail().contains("No supported authentication methods") || e.detail().contains("No authentication methods"))
                    ? Rule.FAIL_FORGET : Rule.NONE;
            case NO_IDENTIFICATION, PROTOCOL_ERROR, PREAUTH_TIMEOUT -> mode.ddos() ? Rule.FAIL : Rule.NONE;
            case KEX_FAILURE -> mode.extra() ? Rule.FAIL : Rule.NONE;
            case CONNECTION_FROM -> host ? Rule.NOFAIL : Rule.NONE;
            case CONNECTION_INFO -> mode.ddos() && host ? Rule.NOFAIL : Rule.NONE;
            case ACCEPTED -> host ? Rule.GAINED : Rule.NONE;
            default -> Rule.NONE;
        };
    }

    private static Rule closed(AuthEvent e, FailureMode mode) {
        if (e.address() == null) return Rule.NONE;
        if (mode.ddos()) return e.preauth() ? Rule.FAIL_FORGET : Rule.NOFAIL_FORGET;
        if (mode == FailureMode.EXTRA) {
            return e.kind() == AuthKind.DISCONNECTED && e.user() != null && e.preauth() ? Rule.FAIL_FORGET : Rule.NONE;
        }
        return Rule.NOFAIL_FORGET;
    }
}
