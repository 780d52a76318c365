package dev.vigil.scenario.ssh.auth;

import static dev.vigil.scenario.ssh.auth.AuthKind.*;

/**
 * OpenSSH's messages (sshd, sshd-session, sshd-auth), dispatched on the first character and fixed prefixes. Where a
 * user name (attacker-chosen text) precedes the address, the address is the one sshd wrote last, so that a user
 * named "x from 10.0.0.1" cannot frame another host.
 */
final class SshdMessages {
    private SshdMessages() {}

    static AuthEvent classify(Text t) {
        if (t.start >= t.end) return AuthEvent.of(UNCLASSIFIED);
        return switch (t.charAt(t.start)) {
            case 'A' -> a(t);
            case 'a' -> t.at("authentication failure for ") || t.at("authentication error for ") ? pamError(t) : AuthEvent.of(UNCLASSIFIED);
            case 'B' -> b(t);
            case 'b' -> t.at("banner exchange: Connection from ") ? banner(t) : t.at("bad ownership or modes") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'C' -> c(t);
            case 'D' -> d(t);
            case 'd' -> t.at("debug") ? AuthEvent.of(INFO) : t.at("drop connection #") ? drop(t)
                    : t.at("dispatch_protocol_error") ? AuthEvent.of(PROTOCOL_ERROR) : AuthEvent.of(UNCLASSIFIED);
            case 'E' -> t.at("Exiting on signal") || t.at("Exited ") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'e' -> t.at("exited MaxStartups") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'F' -> t.at("Failed ") ? failed(t) : t.at("Found matching ") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'I' -> t.at("Invalid user ") ? invalidUser(t, 13) : t.at("Illegal user ") ? invalidUser(t, 13) : AuthEvent.of(UNCLASSIFIED);
            case 'i' -> i(t);
            case 'k' -> t.at("kex_exchange_identification: ") ? kexIdent(t) : t.at("kex_protocol_error") ? AuthEvent.of(PROTOCOL_ERROR) : AuthEvent.of(UNCLASSIFIED);
            case 'm' -> t.at("maximum authentication attempts exceeded for ") ? maxAttempts(t) : AuthEvent.of(UNCLASSIFIED);
            case 'N' -> t.at("Nasty PTR record") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'n' -> t.at("no matching ") && t.find(" found", t.start) > 0 ? AuthEvent.of(KEX_FAILURE) : AuthEvent.of(UNCLASSIFIED);
            case 'P' -> p(t);
            case 'p' -> t.at("pam_") ? pam(t) : t.at("packet_write_wait") ? AuthEvent.of(CONNECTION_ERROR) : AuthEvent.of(UNCLASSIFIED);
            case 'R' -> r(t);
            case 'r' -> lowerR(t);
            case 'S' -> t.at("SSH: Server;Ltype: ") ? sshServer(t) : t.at("Server listening on") || t.at("Starting session") || t.at("Set /proc/self/oom")
                    || t.at("Server terminated") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 's' -> t.at("ssh_dispatch_run_fatal: Connection from ") ? hostAfter(t, PROTOCOL_ERROR, t.start + 40)
                    : t.at("subsystem request") || t.at("session_") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'T' -> t.at("Timeout before authentication for ") ? timeout(t) : t.at("Transferred:") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'U' -> u(t);
            case 'W' -> t.at("Write failed: ") ? AuthEvent.of(CONNECTION_ERROR) : AuthEvent.of(UNCLASSIFIED);
            default -> AuthEvent.of(UNCLASSIFIED);
        };
    }

    // ---- by first letter

    private static AuthEvent a(Text t) {
        if (t.at("Accepted key ") || t.at("Accepted certificate ")) return AuthEvent.of(INFO);
        if (t.at("Accepted ")) return accepted(t);
        if (t.at("Authentication failure for ") || t.at("Authentication error for ") || t.at("Authentication failed for ")) return pamError(t);
        if (t.at("Address ") && t.find("POSSIBLE BREAK-IN", t.start) > 0) {
            int h = t.start + 8;
            return event(REVERSE_MAPPING, t.address(h, t.tokenEnd(h)), -1, null, false, null);
        }
        if (t.at("Authentication refused") || t.at("Authorized to") || t.at("Authenticated ")) return AuthEvent.of(INFO);
        return AuthEvent.of(UNCLASSIFIED);
    }

    private static AuthEvent b(Text t) {
        if (t.at("Bad protocol version identification ")) {
            int f = t.findLast(" from ", t.start);
            return f < 0 ? AuthEvent.of(PROTOCOL_ERROR) : hostAfter(t, PROTOCOL_ERROR, f + 6);
        }
        if (t.at("Bad packet length") || t.at("Bad remote protocol version")) return AuthEvent.of(PROTOCOL_ERROR);
        return AuthEvent.of(UNCLASSIFIED);
    }

    private static AuthEvent c(Text t) {
        if (t.at("Connection closed by ")) return closed(t, CONNECTION_CLOSED, t.start + 21, "closed");
        if (t.at("Connection reset by ")) return closed(t, CONNECTION_CLOSED, t.start + 20, "reset");
        if (t.at("Connection from ")) return hostAfter(t, CONNECTION_FROM, t.start + 16);
        if (t.at("Close session") || t.at("Changed root directory") || t.at("Connection refused")) return AuthEvent.of(INFO);
        return AuthEvent.of(UNCLASSIFIED);
    }

    private static AuthEvent d(Text t) {
        if (t.at("Did not receive identification string from ")) return hostAfter(t, NO_IDENTIFICATION, t.start + 43);
        if (t.at("Disconnecting: Too many authentication failures")) {
            int f = t.find(" for ", t.start + 47);
            return f < 0 ? AuthEvent.of(TOO_MANY_AUTH_FAILURES).withPreauth()
                    : event(TOO_MANY_AUTH_FAILURES, null, -1, t.sub(f + 5, t.end), false, null).withPreauth();
        }
        if (t.at("Disconnecting: Change of username")) return AuthEvent.of(CHANGE_OF_USERNAME).withPreauth();
        if (t.at("Disconnecting invalid user ")) return disconnectingUser(t, t.start + 27, true);
        if (t.at("Disconnecting authenticating user ")) return disconnectingUser(t, t.start + 34, false);
        if (t.at("Disconnecting user ") || t.at("Disconnected from user ")) return AuthEvent.of(INFO); // after log-in
        if (t.at("Disconnecting: ")) return AuthEvent.of(PROTOCOL_ERROR); // "Packet corrupt", "Corrupted MAC on input"
        if (t.at("Disconnected from ")) return closed(t, DISCONNECTED, t.start + 18, null);
        return AuthEvent.of(UNCLASSIFIED);
    }

    private static AuthEvent i(Text t) {
        if (t.at("input_userauth_request: invalid user ") || t.at("input_userauth_request: illegal user ")) {
            return event(INVALID_USER_REQUEST, null, -1, t.sub(t.start + 37, t.end), true, null);
        }
        if (t.at("input_userauth")) return AuthEvent.of(INFO);
        if (t.at("illegal user ")) return invalidUser(t, 13);
        if (t.at("invalid public DH value")) return AuthEvent.of(PROTOCOL_ERROR);
        return AuthEvent.of(UNCLASSIFIED);
    }

    private static AuthEvent p(Text t) {
        if (t.at("PAM ") && t.start + 4 < t.end && Text.isDigit(t.charAt(t.start + 4))) return pamMore(t);
        if (t.at("PAM service(") || t.at("PAM unable") || t.at("PAM adding") || t.at("PAM session")) return AuthEvent.of(INFO);
        if (t.at("Postponed ") || t.at("Partial ")) return AuthEvent.of(INFO);
        if (t.at("Protocol major versions differ")) return AuthEvent.of(PROTOCOL_ERROR);
        return AuthEvent.of(UNCLASSIFIED);
    }

    private static AuthEvent r(Text t) {
        if (t.at("ROOT LOGIN REFUSED")) {
            int f = t.find(" FROM ", t.start);
            return f < 0 ? event(ROOT_LOGIN_REFUSED, null, -1, "root", false, null) : withUser(hostAfter(t, ROOT_LOGIN_REFUSED, f + 6), "root");
        }
        if (t.at("Received disconnect from ")) return receivedDisconnect(t);
        if (t.at("Read from socket failed: ")) {
            return t.at("Connection reset by peer", t.start + 25) ? AuthEvent.of(PROTOCOL_ERROR) : AuthEvent.of(CONNECTION_ERROR);
        }
        if (t.at("Received signal") || t.at("Received SIGHUP")) return AuthEvent.of(INFO);
        return AuthEvent.of(UNCLASSIFIED);
    }

    private static AuthEvent lowerR(Text t) {
        if (t.at("refused connect from ")) {
            int o = t.s.lastIndexOf('(', t.end);
            int c = t.find(')', Math.max(o, t.start));
            if (o > t.start && c > o) return event(REFUSED_CONNECT, t.address(o + 1, c), -1, null, false, null);
            return AuthEvent.of(REFUSED_CONNECT);
        }
        if (t.at("reverse mapping checking getaddrinfo for ")) {
            int o = t.find(" [", t.start);
            int c = o < 0 ? -1 : t.find(']', o);
            return event(REVERSE_MAPPING, c < 0 ? null : t.address(o + 2, c), -1, null, false, null);
        }
        if (t.at("rexec line")) return AuthEvent.of(INFO);
        return AuthEvent.of(UNCLASSIFIED);
    }

    private static AuthEvent u(Text t) {
        if (t.at("User not known to the underlying authentication module for ")) return pamError(t);
        if (t.at("Unable to negotiate with ")) return hostAfter(t, KEX_FAILURE, t.start + 25);
        if (t.at("Unable to negotiate")) return AuthEvent.of(KEX_FAILURE);
        if (t.at("User child is on pid")) return AuthEvent.of(INFO);
        if (t.at("User ")) return userNotAllowed(t);
        return AuthEvent.of(UNCLASSIFIED);
    }

    // ---- message shapes

    /** "Failed METHOD for [invalid user ]USER from HOST[ port P][ sshN][: details]". */
    private static AuthEvent failed(Text t) {
        int m = t.start + 7;
        int me = t.tokenEnd(m);
        if (!t.at(" for ", me)) return AuthEvent.of(UNCLASSIFIED);
        String method = t.sub(m, me);
        AuthKind kind = method.equals("password") ? FAILED_PASSWORD : method.equals("publickey") ? FAILED_PUBLICKEY : FAILED_OTHER;
        return userFromHost(t, kind, me + 5, kind == FAILED_OTHER ? method : null, true);
    }

    private static AuthEvent accepted(Text t) {
        int m = t.start + 9;
        int me = t.tokenEnd(m);
        if (!t.at(" for ", me)) return AuthEvent.of(UNCLASSIFIED);
        return userFromHost(t, ACCEPTED, me + 5, t.sub(m, me), false);
    }

    private static AuthEvent maxAttempts(Text t) {
        return userFromHost(t, MAX_AUTH_ATTEMPTS, t.start + 45, null, true).withPreauth();
    }

    /**
     * "[invalid user ]USER from HOST ..." at {@code u}. A one-word user directly followed by " from HOST" and then
     * the end or ": " is taken as is; otherwise the host is the last " from ": sshd writes the address after the
     * (attacker-chosen) user name, so the last one is sshd's.
     */
    private static AuthEvent userFromHost(Text t, AuthKind kind, int u, String detail, boolean invalidMarkers) {
        boolean invalid = false;
        if (invalidMarkers) {
            if (t.at("invalid user ", u) || t.at("illegal user ", u)) {
                invalid = true;
                u += 13;
            }
        }
        int ue = t.tokenEnd(u);
        if (ue > u && t.at(" from ", ue)) {
            Hp hp = hostPort(t, ue + 6);
            if (hp.tail == t.end || t.at(": ", hp.tail)) {
                String user = t.sub(u, ue);
                return event(kind, hp.host, hp.port, user, invalid || user.equals("<invalid username>"), detail);
            }
        }
        int f = t.findLast(" from ", u - 1);
        if (f < 0) return event(kind, null, -1, null, invalid, detail);
        Hp hp = hostPort(t, f + 6);
        String user = f < u ? "" : t.sub(u, f);
        return event(kind, hp.host, hp.port, user, invalid || user.equals("<invalid username>"), detail);
    }

    /** "Invalid user USER from HOST[ port P]" (the user may be empty or contain " from "). */
    private static AuthEvent invalidUser(Text t, int skip) {
        int u = t.start + skip;
        int f = t.findLast(" from ", u - 1);
        if (f < 0) return event(INVALID_USER, null, -1, t.sub(u, t.end), true, null);
        Hp hp = hostPort(t, f + 6);
        return event(INVALID_USER, hp.host, hp.port, f < u ? "" : t.sub(u, f), true, null);
    }

    /** "[aA]uthentication (failure|error|failed) for USER from HOST[ via X]" and "User not known ... for USER from HOST". */
    private static AuthEvent pamError(Text t) {
        int fr = t.find(" for ", t.start);
        int f = t.findLast(" from ", fr < 0 ? t.start : fr);
        if (fr < 0 || f < 0) return AuthEvent.of(PAM_ERROR);
        int u = fr + 5;
        boolean invalid = false;
        if (t.at("illegal user ", u) || t.at("invalid user ", u)) {
            invalid = true;
            u += 13;
        }
        int h = f + 6;
        return event(PAM_ERROR, t.address(h, t.tokenEnd(h)), -1, f < u ? "" : t.sub(u, f), invalid, null);
    }

    /** "pam_X(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=R rhost=H [user=U]". */
    private static AuthEvent pam(Text t) {
        int paren = t.find("(sshd:auth): ", t.start);
        if (paren < 0 || paren > t.start + 24) return AuthEvent.of(INFO); // sessions, other PAM services and modules
        int r = paren + 13;
        if (!t.at("authentication failure;", r)) return AuthEvent.of(INFO); // "check pass; user unknown", requirements
        String host = field(t, "rhost=", r);
        String user = field(t, " user=", r);
        if (user == null) user = field(t, "ruser=", r);
        return event(PAM_AUTH_FAILURE, host, -1, user, false, null);
    }

    /** "PAM N more authentication failure[s]; ... rhost=H [user=U]": counts N. */
    private static AuthEvent pamMore(Text t) {
        int n = t.number(t.start + 4);
        return event(PAM_MORE_FAILURES, field(t, "rhost=", t.start), -1, field(t, " user=", t.start), false, null).withCount(Math.max(n, 1));
    }

    /** The non-empty value of {@code key} (up to a space), or null. */
    private static String field(Text t, String key, int from) {
        int k = t.find(key, from);
        if (k < 0) return null;
        int v = k + key.length();
        int e = t.tokenEnd(v);
        return e == v ? null : key.endsWith("host=") ? t.address(v, e) : t.sub(v, e);
    }

    /** "User USER from HOST not allowed because REASON" or "User USER not allowed because REASON". */
    private static AuthEvent userNotAllowed(Text t) {
        int u = t.start + 5;
        int na = t.find(" not allowed because ", u - 1);
        if (na < 0) return AuthEvent.of(UNCLASSIFIED);
        String reason = t.sub(na + 21, t.end);
        int f = t.s.lastIndexOf(" from ", na - 6);
        if (f >= u - 1) {
            return event(USER_NOT_ALLOWED, t.address(f + 6, na), -1, f < u ? "" : t.sub(u, f), false, reason);
        }
        String user = t.sub(u, na);
        return reason.equals("account is locked") ? event(ACCOUNT_LOCKED, null, -1, user, false, reason)
                : event(USER_NOT_ALLOWED, null, -1, user, false, reason);
    }

    /** "Disconnecting (invalid|authenticating) user USER HOST port P: REASON". */
    private static AuthEvent disconnectingUser(Text t, int u, boolean invalid) {
        int colon = t.find(": ", u);
        if (colon < 0) return AuthEvent.of(UNCLASSIFIED);
        String reason = t.sub(colon + 2, t.end);
        AuthKind kind = reason.startsWith("Too many authentication failures") ? TOO_MANY_AUTH_FAILURES
                : reason.startsWith("Change of username") ? CHANGE_OF_USERNAME : CONNECTION_ERROR;
        int e = colon;
        int port = -1;
        int p = t.s.lastIndexOf(" port ", e);
        if (p > u && t.digitsEnd(p + 6) == e) {
            port = t.number(p + 6);
            e = p;
        }
        int h = t.s.lastIndexOf(' ', e - 1);
        if (h < u - 1) return event(kind, t.address(u, e), port, null, invalid, reason).withPreauth();
        return event(kind, t.address(h + 1, e), port, h < u ? "" : t.sub(u, h), invalid, reason).withPreauth();
    }

    /**
     * "Connection closed by [invalid user U |authenticating user U ]HOST[ port P][ on A port Q]", likewise
     * "Connection reset by" and "Disconnected from". The address is the last word before the port: the user name
     * before it may contain spaces.
     */
    private static AuthEvent closed(Text t, AuthKind kind, int u, String detail) {
        int e = t.end;
        int port = -1;
        for (int k = 0; k < 3; k++) { // strip " port N" and " on X" from the end
            int sp = t.s.lastIndexOf(' ', e - 1);
            if (sp <= u) break;
            int pw = t.s.lastIndexOf(' ', sp - 1);
            if (pw < u - 1) break;
            if (t.s.startsWith(" port ", pw) && pw + 6 == sp + 1 && t.digitsEnd(sp + 1) == e) {
                port = t.number(sp + 1);
                e = pw;
            } else if (t.s.startsWith(" on ", pw) && pw + 4 == sp + 1) {
                e = pw;
                port = -1;
            } else {
                break;
            }
        }
        boolean invalid = t.at("invalid user ", u);
        boolean authenticating = !invalid && t.at("authenticating user ", u);
        int h = t.s.lastIndexOf(' ', e - 1);
        if (invalid || authenticating) {
            int us = u + (invalid ? 13 : 20);
            if (h < us - 1) return event(kind, null, port, null, invalid, detail).withPreauth();
            return event(kind, t.address(h + 1, e), port, h < us ? "" : t.sub(us, h), invalid, detail).withPreauth();
        }
        if (h >= u) return event(kind, t.address(h + 1, e), port, null, false, detail); // odd text before the address
        return event(kind, t.address(u, e), port, null, false, detail);
    }

    /** "Received disconnect from HOST[ port P]:[ ]CODE: REASON". */
    private static AuthEvent receivedDisconnect(Text t) {
        int h = t.start + 25;
        int he;
        int port = -1;
        int after;
        int p = t.find(" port ", h);
        int colon = t.find(": ", h);
        if (p > 0 && (colon < 0 || p < colon) && p == t.tokenEnd(h)) {
            he = p;
            int pe = t.digitsEnd(p + 6);
            port = t.number(p + 6);
            if (pe >= t.end || t.charAt(pe) != ':') return event(RECEIVED_DISCONNECT, t.address(h, he), port, null, false, null);
            after = pe + 1;
        } else {
            if (colon < 0) return event(RECEIVED_DISCONNECT, t.address(h, t.tokenEnd(h)), -1, null, false, null);
            he = colon;
            after = colon + 1;
        }
        while (after < t.end && t.charAt(after) == ' ') after++;
        String host = t.address(h, he);
        String detail = t.sub(after, t.end);
        int code = t.number(after);
        AuthKind kind = RECEIVED_DISCONNECT;
        if (code == 3 && detail.endsWith("Auth fail")) kind = AUTH_FAIL_DISCONNECT;
        else if (code == 14 && detail.contains("authentication methods available")) kind = NO_AUTH_METHODS;
        return event(kind, host, port, null, false, detail);
    }

    private static AuthEvent kexIdent(Text t) {
        int r = t.start + 29;
        if (t.at("read: ", r)) r += 6;
        if (t.at("client sent invalid protocol identifier", r) || t.at("Client sent invalid protocol identifier", r)
                || t.at("Connection closed by remote host", r) || t.at("connection closed by remote host", r)
                || t.at("Connection reset by peer", r) || t.at("connection reset by peer", r)) {
            return AuthEvent.of(PROTOCOL_ERROR);
        }
        return AuthEvent.of(CONNECTION_ERROR); // "banner line too long", "read: Connection timed out", ...
    }

    private static AuthEvent banner(Text t) {
        AuthEvent e = hostAfter(t, t.endsWith("invalid format") ? PROTOCOL_ERROR : CONNECTION_ERROR, t.start + 33);
        return e;
    }

    /** "Timeout before authentication for [connection from ]HOST[ port P][ to A, pid = N]". */
    private static AuthEvent timeout(Text t) {
        int h = t.start + 34;
        if (t.at("connection from ", h)) h += 16;
        return hostAfter(t, PREAUTH_TIMEOUT, h).withPreauth();
    }

    /** "SSH: Server;Ltype: Kex;Remote: HOST-PORT;...". */
    private static AuthEvent sshServer(Text t) {
        int r = t.find(";Remote: ", t.start);
        if (r < 0) return AuthEvent.of(CONNECTION_INFO);
        int semi = t.find(';', r + 9);
        int e = semi < 0 ? t.end : semi;
        int dash = t.s.lastIndexOf('-', e);
        int port = dash > r + 9 ? t.number(dash + 1) : -1;
        return event(CONNECTION_INFO, t.address(r + 9, dash > r + 9 ? dash : e), port, null, false, null);
    }

    /** OpenSSH 9.8 PerSourcePenalties: "drop connection #N from [HOST]:PORT on [A]:P penalty: ...". */
    private static AuthEvent drop(Text t) {
        int f = t.find(" from ", t.start);
        if (f < 0) return AuthEvent.of(CONNECTION_ERROR);
        int h = f + 6;
        int e = t.tokenEnd(h);
        int close = t.s.lastIndexOf("]:", e);
        return event(CONNECTION_ERROR, close > h ? t.address(h, close + 1) : t.address(h, e), -1, null, false, "penalty");
    }

    private static AuthEvent hostAfter(Text t, AuthKind kind, int h) {
        if (h >= t.end) return AuthEvent.of(kind);
        Hp hp = hostPort(t, h);
        return event(kind, hp.host, hp.port, null, false, null);
    }

    private static AuthEvent withUser(AuthEvent e, String user) {
        return new AuthEvent(e.kind(), e.address(), e.port(), user, e.invalidUser(), e.preauth(), e.count(), e.detail());
    }

    private static AuthEvent event(AuthKind kind, String host, int port, String user, boolean invalid, String detail) {
        return new AuthEvent(kind, host, port, user, invalid, false, 1, detail);
    }

    /** An address and what follows it: " port N", " on X", " sshN", in any order, at most once each. */
    private static final class Hp {
        String host;
        int port = -1;
        int tail;
    }

    private static Hp hostPort(Text t, int h) {
        Hp hp = new Hp();
        int he = t.tokenEnd(h);
        if (he - 1 > h && t.charAt(he - 1) == ':' && t.s.indexOf(':', h) == he - 1) he--; // "from 1.2.3.4: 11: ..."
        hp.host = t.address(h, he);
        int i = he;
        for (int k = 0; k < 3; k++) {
            if (t.at(" port ", i) && t.digitsEnd(i + 6) > i + 6) {
                if (hp.port < 0) hp.port = t.number(i + 6);
                i = t.digitsEnd(i + 6);
            } else if (t.at(" on ", i)) {
                i = t.tokenEnd(i + 4);
            } else if (t.at(" ssh", i) && endsWord(t, t.digitsEnd(i + 4))) {
                i = t.digitsEnd(i + 4);
            } else {
                break;
            }
        }
        hp.tail = i;
        return hp;
    }

    private static boolean endsWord(Text t, int j) {
        return j == t.end || t.charAt(j) == ' ' || t.charAt(j) == ':';
    }
}
