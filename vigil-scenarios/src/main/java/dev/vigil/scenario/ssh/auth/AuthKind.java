package dev.vigil.scenario.ssh.auth;

/**
 * What one sshd, Dropbear or auditd line says about authentication. The groups matter to the detectors:
 * {@link #failure()} kinds are failed log-in attempts, {@link #connectionEnd()} kinds end a connection before
 * authentication, {@link #context()} kinds only tell who is connecting.
 */
public enum AuthKind {
    /** "Invalid user U from H" (also "Illegal user", Dropbear's "Login attempt for nonexistent user"). */
    INVALID_USER(Group.FAILURE),
    /** "Failed password for [invalid user] U from H" (Dropbear: "Bad password attempt"). */
    FAILED_PASSWORD(Group.FAILURE),
    /** "Failed publickey for [invalid user] U from H" (a key the server did not accept). */
    FAILED_PUBLICKEY(Group.FAILURE),
    /** "Failed none / keyboard-interactive / hostbased / unknown ... for U from H"; the method is in detail. */
    FAILED_OTHER(Group.FAILURE),
    /** sshd's own PAM report: "error: PAM: Authentication failure for U from H", "User not known to the ... module". */
    PAM_ERROR(Group.FAILURE),
    /** "pam_unix(sshd:auth): authentication failure; ... rhost=H user=U" (PAM's view of the same attempt). */
    PAM_AUTH_FAILURE(Group.FAILURE),
    /** "PAM N more authentication failures; ... rhost=H": a summary of retries already logged one by one. */
    PAM_MORE_FAILURES(Group.FAILURE),
    /** "ROOT LOGIN REFUSED FROM H". */
    ROOT_LOGIN_REFUSED(Group.FAILURE),
    /** "User U from H not allowed because ..." (AllowUsers, DenyUsers, AllowGroups, DenyGroups); reason in detail. */
    USER_NOT_ALLOWED(Group.FAILURE),
    /** "User U not allowed because account is locked" (no address: the connection's other lines give it). */
    ACCOUNT_LOCKED(Group.FAILURE),
    /** "Disconnecting: Too many authentication failures [for U]" (old form, no address) or its newer repeat with one. */
    TOO_MANY_AUTH_FAILURES(Group.FAILURE),
    /** "maximum authentication attempts exceeded for [invalid user] U from H" (Dropbear: "Max auth tries reached"). */
    MAX_AUTH_ATTEMPTS(Group.FAILURE),
    /** "Disconnecting invalid user U H port P: Change of username or service not allowed". */
    CHANGE_OF_USERNAME(Group.FAILURE),
    /** "Received disconnect from H: 3: ...: Auth fail" (a client library giving up after failures). */
    AUTH_FAIL_DISCONNECT(Group.FAILURE),
    /** "refused connect from X (H)" (TCP wrappers). */
    REFUSED_CONNECT(Group.FAILURE),
    /** auditd USER_AUTH / USER_ERR record of sshd with res=failed. */
    AUDIT_AUTH_FAILED(Group.FAILURE),

    /** "Connection closed by / reset by [invalid|authenticating user U] H [port P]"; detail "closed" or "reset". */
    CONNECTION_CLOSED(Group.CONNECTION_END),
    /** "Disconnected from [invalid|authenticating user U] H port P" (before authentication). */
    DISCONNECTED(Group.CONNECTION_END),
    /** "Received disconnect from H [port P]: CODE: reason"; detail "CODE: reason". */
    RECEIVED_DISCONNECT(Group.CONNECTION_END),
    /** "Received disconnect from H: 14: No (supported|more user) authentication methods available". */
    NO_AUTH_METHODS(Group.CONNECTION_END),
    /** "Did not receive identification string from H". */
    NO_IDENTIFICATION(Group.CONNECTION_END),
    /** Garbage instead of SSH: bad protocol version, kex_exchange_identification, banner exchange, dispatch errors. */
    PROTOCOL_ERROR(Group.CONNECTION_END),
    /** "Unable to negotiate with H: no matching X found", "no matching mac found" (key exchange failed). */
    KEX_FAILURE(Group.CONNECTION_END),
    /** "Timeout before authentication for H" (sshd's LoginGraceTime). */
    PREAUTH_TIMEOUT(Group.CONNECTION_END),
    /** Other broken connections ("Write failed: Connection reset by peer", "banner line too long", Dropbear's exits). */
    CONNECTION_ERROR(Group.CONNECTION_END),

    /** "Connection from H port P on A port Q" (LogLevel VERBOSE), Dropbear's "Child connection from". */
    CONNECTION_FROM(Group.CONTEXT),
    /** "SSH: Server;Ltype: ...;Remote: H-port" (a patched sshd's connection log). */
    CONNECTION_INFO(Group.CONTEXT),
    /** "Accepted M for U from H port P": a successful log-in; method in detail. */
    ACCEPTED(Group.CONTEXT),
    /** "input_userauth_request: invalid user U" (repeats an INVALID_USER line, without address). */
    INVALID_USER_REQUEST(Group.CONTEXT),
    /** "reverse mapping checking getaddrinfo ... POSSIBLE BREAK-IN ATTEMPT", "Address H maps to X, but ..." (DNS only). */
    REVERSE_MAPPING(Group.CONTEXT),
    /** auditd USER_LOGIN record of sshd with res=failed (repeats the USER_AUTH failure). */
    AUDIT_LOGIN_FAILED(Group.CONTEXT),
    /** A known line of no consequence here (sessions, server start, logout, PAM bookkeeping). */
    INFO(Group.CONTEXT),

    /** An sshd line that no pattern knows: counted, so that a new OpenSSH wording shows as a rising number. */
    UNCLASSIFIED(Group.NONE),
    /** A line of another program (sudo, cron ...): not ours. */
    NOT_SSH(Group.NONE);

    /** The broad meaning of a kind. */
    public enum Group { FAILURE, CONNECTION_END, CONTEXT, NONE }

    private final Group group;

    AuthKind(Group group) {
        this.group = group;
    }

    public Group group() {
        return group;
    }

    public boolean failure() {
        return group == Group.FAILURE;
    }

    public boolean connectionEnd() {
        return group == Group.CONNECTION_END;
    }
}
