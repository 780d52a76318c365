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
            case 'e' -> t.at("exited MaxStartups") || t.at("beginning MaxStartups") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'F' -> t.at("Failed ") ? failed(t) : t.at("Found matching ") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'I' -> t.at("Invalid user ") ? invalidUser(t, 13) : t.at("Illegal user ") ? invalidUser(t, 13) : AuthEvent.of(UNCLASSIFIED);
            case 'i' -> i(t);
            case 'k' -> t.at("kex_exchange_identification: ") ? kexIdent(t) : t.at("kex_protocol_error") ? AuthEvent.of(PROTOCOL_ERROR) : AuthEvent.of(UNCLASSIFIED);
            case 'm' -> t.at("maximum authentication attempts exceeded for ") ? maxAttempts(t) : AuthEvent.of(UNCLASSIFIED);
            case 'M' -> t.at("Magic value check failed (") ? magic(t) : AuthEvent.of(UNCLASSIFIED);
            case 'N' -> t.at("Nasty PTR record") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'n' -> t.at("no matching ") && t.find(" found", t.start) > 0 ? AuthEvent.of(KEX_FAILURE) : AuthEvent.of(UNCLASSIFIED);
            case 'P' -> p(t);
            case 'p' -> t.at("pam_") ? pam(t) : t.at("packet_write_wait") ? AuthEvent.of(CONNECTION_ERROR) : AuthEvent.of(UNCLASSIFIED);
            case 'R' -> r(t);
            case 'r' -> lowerR(t);
            case 'S' -> t.at("SSH: Server;Ltype: ") ? sshServer(t) : t.at("Server listening on") || t.at("Starting session") || t.at("Set /proc/self/oom")
                    || t.at("Server terminated") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 's' -> t.at("ssh_dispatch_run_fatal: Connection from ") ? dispatchFatal(t)
                    : t.at("subsystem request") || t.at("session_") || t.at("srclimit_penalise: ") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'T' -> t.at("Timeout before authentication for ") ? timeout(t) : t.at("Transferred:") ? AuthEvent.of(INFO) : AuthEvent.of(UNCLASSIFIED);
            case 'U' -> u(t);
            case 'u' -> t.at("unknown user for ") ? pamError(t) : AuthEvent.of(UNCLASSIFIED); // "PAM: unknown user for illegal user U from H"
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
        if (t.at("Bad protocol version identification ")) { // the identification string is the client's
            SourceSuffix.Read r = SourceSuffix.fromEnd(t, t.start + 37, false, false, false);
            if (r.found()) return event(PROTOCOL_ERROR, r.address, r.port, null, false, null);
            return r.ambiguous ? AuthEvent.unattributable(PROTOCOL_ERROR, null, false, null) : AuthEvent.of(PROTOCOL_ERROR);
        }
        if (t.at("Bad packet length") || t.at("Bad remote protocol version")) return AuthEvent.of(PROTOCOL_ERROR);
        return AuthEvent.of(UNCLASSIFIED);
    }

    private static AuthEvent c(Text t) {
        if (t.at("Connection closed by ")) return closed(t, CONNECTION_CLOSED, t.start + 21, "closed");
        if (t.at("Connection reset by ")) return closed(t, CONNECTION_CLOSED, t.start + 20, "reset");
        if (t.at("Connection from ")) return connectionFrom(t);
        // libwrap's debug line before its own "refused connect from H": no address, the refused line counts the attempt
        if (t.at("Connection refused by tcp wrapper")) return AuthEvent.of(REFUSED_CONNECT);
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
            int c = t.s.lastIndexOf("] failed", t.end); // the name is the DNS's (the attacker's own PTR record)
            int o = c < 0 ? -1 : t.s.lastIndexOf(" [", c);
            return event(REVERSE_MAPPING, o < t.start ? null : t.address(o + 2, c), -1, null, false, null);
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
        // the method's own String only for FAILED_OTHER, which keeps it (a failed password needs none)
        AuthKind kind = me - m == 8 && t.at("password", m) ? FAILED_PASSWORD : me - m == 9 && t.at("publickey", m) ? FAILED_PUBLICKEY : FAILED_OTHER;
        return userFromHost(t, kind, me + 5, kind == FAILED_OTHER ? t.sub(m, me) : null, true, true);
    }

    private static AuthEvent accepted(Text t) {
        int m = t.start + 9;
        int me = t.tokenEnd(m);
        if (!t.at(" for ", me)) return AuthEvent.of(UNCLASSIFIED);
        return userFromHost(t, ACCEPTED, me + 5, t.sub(m, me), false, true);
    }

    private static AuthEvent maxAttempts(Text t) {
        return userFromHost(t, MAX_AUTH_ATTEMPTS, t.start + 45, null, true, false).withPreauth();
    }

    /**
     * "[invalid user ]USER from HOST port P sshD[: INFO]" at {@code u}: the source is read from the end, where sshd
     * writes it after the (attacker-chosen) user name ({@link SourceSuffix}); a line with no single reading is
     * unattributable.
     */
    private static AuthEvent userFromHost(Text t, AuthKind kind, int u, String detail, boolean invalidMarkers, boolean info) {
        boolean invalid = false;
        if (invalidMarkers) {
            if (t.at("invalid user ", u) || t.at("illegal user ", u)) {
                invalid = true;
                u += 13;
            }
        }
        SourceSuffix.Read r = SourceSuffix.fromEnd(t, u, true, info, false);
        if (!r.found()) {
            return r.ambiguous ? AuthEvent.unattributable(kind, null, invalid, detail) : event(kind, null, -1, null, invalid, detail);
        }
        String user = r.userEnd < u ? "" : t.sub(u, r.userEnd);
        return event(kind, r.address, r.port, user, invalid || user.equals("<invalid username>"), detail);
    }

    /** "Invalid user USER from HOST[ port P]" (the user may be empty or contain " from "). */
    private static AuthEvent invalidUser(Text t, int skip) {
        int u = t.start + skip;
        SourceSuffix.Read r = SourceSuffix.fromEnd(t, u, false, false, false);
        if (!r.found()) {
            return r.ambiguous ? AuthEvent.unattributable(INVALID_USER, null, true, null) : event(INVALID_USER, null, -1, t.sub(u, t.end), true, null);
        }
        return event(INVALID_USER, r.address, r.port, r.userEnd < u ? "" : t.sub(u, r.userEnd), true, null);
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
        SourceSuffix.Read r = SourceSuffix.fromEnd(t, u, false, false, true);
        if (!r.found()) return AuthEvent.unattributable(PAM_ERROR, null, invalid, null);
        return event(PAM_ERROR, r.address, -1, r.userEnd < u ? "" : t.sub(u, r.userEnd), invalid, null);
    }

    /** "pam_X(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=R rhost=H [user=U]". */
    private static AuthEvent pam(Text t) {
        int paren = t.find("(sshd:auth): ", t.start);
        if (paren < 0 || paren > t.start + 24) return AuthEvent.of(INFO); // sessions, other PAM services and modules
        int r = paren + 13;
        if (!t.at("authentication failure;", r)) return AuthEvent.of(INFO); // "check pass; user unknown", requirements
        return pamFields(t, r, PAM_AUTH_FAILURE, 1);
    }

    /**
     * pam_unix's "... ruser=RU rhost=RH[  user=U]": RU and U may be the client's, RH is the one token after a
     * {@code " rhost="} that is followed by the end or by {@code "  user="}. Every such reading must agree.
     */
    private static AuthEvent pamFields(Text t, int from, AuthKind kind, int count) {
        String host = null;
        int at = -1;
        boolean seen = false;
        for (int k = t.find(" rhost=", from); k >= 0; k = t.find(" rhost=", k + 1)) {
            seen = true;
            int v = k + 7;
            int e = t.tokenEnd(v);
            if (!(e == t.end || t.at("  user=", e))) continue;
            String h = e == v ? "" : t.address(v, e);
            if (e > v && !SourceSuffix.addressLike(t.s, v, e)) continue;
            if (at >= 0 && !java.util.Objects.equals(h, host)) return AuthEvent.unattributable(kind, null, false, null).withCount(count);
            if (at < 0) {
                host = h;
                at = e;
            }
        }
        if (at < 0) return seen ? AuthEvent.unattributable(kind, null, false, null).withCount(count) : event(kind, null, -1, null, false, null).withCount(count);
        String user = at + 7 < t.end && t.at("  user=", at) ? t.sub(at + 7, t.end) : null;
        if (user == null) user = field(t, "ruser=", from);
        return event(kind, host == null || host.isEmpty() ? null : host, -1, user, false, null).withCount(count);
    }

    /** "PAM N more authentication failure[s]; ... rhost=H [user=U]": counts N. */
    private static AuthEvent pamMore(Text t) {
        int n = t.number(t.start + 4);
        return pamFields(t, t.start, PAM_MORE_FAILURES, Math.max(n, 1));
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

    /**
     * "Disconnecting (invalid|authenticating) user USER HOST port P: REASON" (packet.c's connection id, then the
     * reason). The user name comes first and may hold ": " and " port N"; each ": " preceded by " HOST port N" and
     * followed by a reason sshd gives is a reading, and all readings must agree.
     */
    private static AuthEvent disconnectingUser(Text t, int u, boolean invalid) {
        Preamble p = preambleColon(t, u, SshdMessages::disconnectReason);
        if (p == null) return AuthEvent.unattributable(CONNECTION_ERROR, null, invalid, null).withPreauth();
        String reason = t.sub(p.colon + 2, t.end);
        AuthKind kind = reason.startsWith("Too many authentication failures") ? TOO_MANY_AUTH_FAILURES
                : reason.startsWith("Change of username") ? CHANGE_OF_USERNAME : CONNECTION_ERROR;
        if (p.ambiguous) return AuthEvent.unattributable(kind, null, invalid, reason).withPreauth();
        return event(kind, p.host, p.port, p.user, invalid, reason).withPreauth();
    }

    private static final String CHANGE = "Change of username or service not allowed: (";

    /**
     * A reason sshd gives: "Too many authentication failures"; auth2.c's change of user name, which repeats the user
     * of the connection id first ("(USER,service) -> (NEW,service)", at most 100 characters as packet.c logs it);
     * otherwise one of sshd's short phrases (no ": ", no " port ").
     */
    private static boolean disconnectReason(Text t, int r, String user) {
        if (t.at("Too many authentication failures", r) && r + 32 == t.end) return true;
        if (t.at(CHANGE, r)) {
            int u = r + CHANGE.length();
            // at most 100 characters (trailing spaces of a cut reason are trimmed with the line)
            if (t.at(user, u) && t.at(",", u + user.length())) return t.endsWith(")") || t.end - r <= 100;
            // cut inside the repeated user name
            return t.end - r <= 100 && (user + ",").startsWith(t.sub(u, t.end));
        }
        return genericReason(t, r, user);
    }

    private static boolean genericReason(Text t, int r, String user) {
        return t.find(": ", r) < 0 && t.find(" port ", r) < 0;
    }

    private interface Reason {
        boolean valid(Text t, int reasonStart, String user);
    }

    private record Preamble(String host, int port, String user, int colon, boolean ambiguous) {}

    /** Readings of "USER HOST port N: REASON" from {@code u}; the last valid one, or null when there is none. */
    private static Preamble preambleColon(Text t, int u, Reason reason) {
        Preamble found = null;
        boolean ambiguous = false;
        for (int c = t.find(": ", u); c >= 0; c = t.find(": ", c + 1)) {
            int p = t.s.lastIndexOf(" port ", c);
            if (p < u - 1 || p + 6 >= c || t.digitsEnd(p + 6) != c || c - (p + 6) > 5) continue;
            int h = t.s.lastIndexOf(' ', p - 1);
            int hs = h < u - 1 ? u : h + 1;
            if (!SourceSuffix.addressLike(t.s, hs, p)) continue;
            String user = h < u ? "" : t.sub(u, h);
            if (!reason.valid(t, c + 2, user)) continue;
            String host = t.address(hs, p);
            if (found != null && !found.host.equals(host)) ambiguous = true;
            found = new Preamble(host, t.number(p + 6), user, c, false);
        }
        return found == null ? null : ambiguous ? new Preamble(null, -1, null, found.colon, true) : found;
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
        if (invalid || authenticating) return closedUser(t, kind, u + (invalid ? 13 : 20), invalid, detail);
        int h = t.s.lastIndexOf(' ', e - 1);
        if (h >= u) return event(kind, t.address(h + 1, e), port, null, false, detail); // odd text before the address
        return event(kind, t.address(u, e), port, null, false, detail);
    }

    /**
     * "... [invalid|authenticating] user USER HOST port P" (packet.c writes the user name, then the address and port,
     * last): the address is the word before the final " port N", whatever the user name holds.
     */
    private static AuthEvent closedUser(Text t, AuthKind kind, int us, boolean invalid, String detail) {
        int p = t.s.lastIndexOf(" port ", t.end - 1);
        if (p < us - 1 || p + 6 >= t.end || t.digitsEnd(p + 6) != t.end || t.end - (p + 6) > 5) {
            return AuthEvent.unattributable(kind, null, invalid, detail).withPreauth();
        }
        int h = t.s.lastIndexOf(' ', p - 1);
        int hs = h < us - 1 ? us : h + 1;
        if (!SourceSuffix.addressLike(t.s, hs, p)) return AuthEvent.unattributable(kind, null, invalid, detail).withPreauth();
        return event(kind, t.address(hs, p), t.number(p + 6), h < us ? "" : t.sub(us, h), invalid, detail).withPreauth();
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

    /** "ssh_dispatch_run_fatal: Connection from [invalid user U |authenticating user U ]HOST port P: ERROR". */
    private static AuthEvent dispatchFatal(Text t) {
        int u = t.start + 40;
        boolean invalid = t.at("invalid user ", u);
        if (!invalid && !t.at("authenticating user ", u)) return hostAfter(t, PROTOCOL_ERROR, u);
        Preamble p = preambleColon(t, u + (invalid ? 13 : 20), SshdMessages::genericReason);
        if (p == null || p.ambiguous) return AuthEvent.unattributable(PROTOCOL_ERROR, null, invalid, null).withPreauth();
        return event(PROTOCOL_ERROR, p.host, p.port, p.user, invalid, null).withPreauth();
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

    /** A patched sshd's obfuscated handshake: "Magic value check failed (N) on obfuscated handshake from HOST port P". */
    private static AuthEvent magic(Text t) {
        int f = t.find(" on obfuscated handshake from ", t.start);
        return f < 0 ? AuthEvent.of(PROTOCOL_ERROR) : hostAfter(t, PROTOCOL_ERROR, f + 30);
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

    /** "Connection from HOST port P on A port Q": detail is A, sshd's own (local) address. */
    private static AuthEvent connectionFrom(Text t) {
        int h = t.start + 16;
        if (h >= t.end) return AuthEvent.of(CONNECTION_FROM);
        Hp hp = hostPort(t, h);
        return event(CONNECTION_FROM, hp.host, hp.port, null, false, hp.local);
    }

    private static AuthEvent hostAfter(Text t, AuthKind kind, int h) {
        if (h >= t.end) return AuthEvent.of(kind);
        Hp hp = hostPort(t, h);
        return event(kind, hp.host, hp.port, null, false, null);
    }

    private static AuthEvent withUser(AuthEvent e, String user) {
        return new AuthEvent(e.kind(), e.address(), e.port(), user, e.invalidUser(), e.preauth(), e.count(), e.detail(), e.unattributable());
    }

    private static AuthEvent event(AuthKind kind, String host, int port, String user, boolean invalid, String detail) {
        return new AuthEvent(kind, host, port, user, invalid, false, 1, detail);
    }

    /** An address and what follows it: " port N", " on X", " sshN", in any order, at most once each. */
    private static final class Hp {
        String host;
        int port = -1;
        int tail;
        String local;
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
                int le = t.tokenEnd(i + 4);
                if (hp.local == null && le > i + 4) hp.local = t.address(i + 4, le);
                i = le;
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
