package dev.vigil.scenario.ssh.auth;

import static dev.vigil.scenario.ssh.auth.AuthKind.*;

/** Dropbear's messages and auditd's records of sshd (SELinux systems). */
final class OtherMessages {
    private OtherMessages() {}

    /** Dropbear (svr-auth.c, svr-authpasswd.c, svr-authpubkey.c, common-session.c); addresses are HOST:PORT. */
    static AuthEvent dropbear(Text t) {
        if (t.atAnyCase("Bad password attempt for ") || t.atAnyCase("Bad PAM password attempt for ")) {
            return quotedUserFrom(t, FAILED_PASSWORD, false);
        }
        if (t.atAnyCase("Login attempt for nonexistent user")) {
            return quotedUserFrom(t, INVALID_USER, true);
        }
        if (t.atAnyCase("Exit before auth")) return exitBeforeAuth(t);
        if (t.at("Child connection from ")) return hostColonPort(t, CONNECTION_FROM, t.start + 22, t.end, null, false);
        if (t.at("Password auth succeeded for ") || t.at("Pubkey auth succeeded for ")) {
            AuthEvent e = quotedUserFrom(t, ACCEPTED, false);
            return new AuthEvent(ACCEPTED, e.address(), e.port(), e.user(), false, false, 1, t.at("Password") ? "password" : "publickey");
        }
        if (t.at("Pubkey auth attempt with unknown algo") || t.at("Pubkey auth bad signature")) return quotedUserFrom(t, FAILED_PUBLICKEY, false);
        if (t.at("User account '") && t.endsWith("' is locked")) {
            return new AuthEvent(ACCOUNT_LOCKED, null, -1, t.sub(t.start + 14, t.end - 11), false, true, 1, "account is locked");
        }
        if (t.atAnyCase("root login rejected")) return new AuthEvent(ROOT_LOGIN_REFUSED, null, -1, "root", false, true, 1, null);
        if (t.at("Exit (") || t.at("Running in background") || t.at("Not backgrounding") || t.at("Early exit")
                || t.at("Premature exit") || t.at("Failed listening") || t.at("Generated hostkey") || t.at("Password auth ")) {
            return AuthEvent.of(INFO);
        }
        return AuthEvent.of(UNCLASSIFIED);
    }

    /**
     * "... for 'USER' from HOST:PORT" (or "... user from HOST:PORT" with no quoted user). Dropbear writes the user
     * name raw, quotes and all, and the address last: the address is the one token after the last " from ", and the
     * user name runs from the first quote to the last quote before it.
     */
    private static AuthEvent quotedUserFrom(Text t, AuthKind kind, boolean invalid) {
        int f = t.findLast(" from ", t.start);
        String user = null;
        int q = t.find('\'', t.start);
        if (q > 0 && (f < 0 || q < f)) {
            int q2 = t.s.lastIndexOf('\'', f < 0 ? t.end - 1 : f - 1);
            if (q2 > q) user = t.sub(q + 1, q2);
        }
        if (f < 0) return new AuthEvent(kind, null, -1, user, invalid, true, 1, null);
        int h = f + 6;
        if (t.tokenEnd(h) != t.end || !SourceSuffix.addressLike(t.s, h, t.end)) return new AuthEvent(kind, null, -1, user, invalid, true, 1, null, true);
        return hostColonPort(t, kind, h, t.end, user, invalid);
    }

    /**
     * "Exit before auth (user 'U', N fails): Max auth tries reached - user 'U' from HOST:PORT", or since 2022
     * "Exit before auth from <HOST:PORT>: (user 'U', N fails): Max auth tries reached - user 'U'" (the address
     * first, at a fixed place); other reasons (timeouts, client disconnects) end a connection before authentication.
     */
    private static AuthEvent exitBeforeAuth(Text t) {
        boolean max = t.find("Max auth tries reached", t.start) > 0;
        AuthKind kind = max ? MAX_AUTH_ATTEMPTS : CONNECTION_ERROR;
        String user = null;
        int uq = t.find("user '", t.start);
        if (uq > 0) {
            int q2 = t.find("', ", uq + 6);
            if (q2 < 0) q2 = t.find('\'', uq + 6);
            if (q2 > 0) user = t.sub(uq + 6, q2);
        }
        if (t.at(" from <", t.start + 16)) {
            int lt = t.start + 23;
            int gt = t.find('>', lt);
            if (gt > 0 && t.at(":", gt + 1)) return hostColonPort(t, kind, lt, gt, user, "is invalid".equals(user));
            return new AuthEvent(kind, null, -1, user, false, true, 1, null, true);
        }
        int f = t.findLast(" from ", t.start);
        if (f > 0) {
            int h = f + 6;
            if (t.tokenEnd(h) != t.end || !SourceSuffix.addressLike(t.s, h, t.end)) return new AuthEvent(kind, null, -1, user, false, true, 1, null, true);
            return hostColonPort(t, kind, h, t.end, user, false);
        }
        return new AuthEvent(kind, null, -1, user, false, true, 1, null);
    }

    private static AuthEvent hostColonPort(Text t, AuthKind kind, int a, int b, String user, boolean invalid) {
        int c = t.s.lastIndexOf(':', b - 1);
        int port = -1;
        int he = b;
        if (c > a && t.digitsEnd(c + 1) == b && b > c + 1) {
            port = t.number(c + 1);
            he = c;
        }
        return new AuthEvent(kind, t.address(a, he), port, user, invalid, true, 1, null);
    }

    /**
     * auditd: "type=USER_AUTH msg=audit(...): pid=.. uid=0 ... msg='op=password acct="dan" exe="/usr/sbin/sshd"
     * hostname=? addr=H terminal=ssh res=failed'", or journald's "USER_AUTH pid=... msg='...'" under program audit.
     */
    static AuthEvent audit(Text t) {
        int ts = t.at("type=") ? t.start + 5 : t.start;
        int te = t.tokenEnd(ts);
        String type = t.sub(ts, te);
        int exe = t.find("exe=\"", te);
        if (exe < 0 || t.find("sshd\"", exe) < 0 || t.find("sshd\"", exe) > t.tokenEnd(exe)) return AuthEvent.of(NOT_SSH);
        int res = t.find("res=", te);
        boolean failed = res > 0 && t.at("failed", res + 4);
        if (!failed) return AuthEvent.of(INFO);
        AuthKind kind = type.equals("USER_AUTH") || type.equals("USER_ERR") ? AUDIT_AUTH_FAILED
                : type.equals("USER_LOGIN") ? AUDIT_LOGIN_FAILED : INFO;
        if (kind == INFO) return AuthEvent.of(INFO);
        String host = null;
        int ad = t.find(" addr=", te);
        if (ad > 0) {
            int e = t.tokenEnd(ad + 6);
            String a = t.address(ad + 6, e);
            host = "?".equals(a) ? null : a;
        }
        return new AuthEvent(kind, host, -1, account(t, te), false, false, 1, null);
    }

    /** acct="name" or acct=HEX (auditd hex-encodes values with spaces, e.g. "(invalid user)"). */
    private static String account(Text t, int from) {
        int a = t.find(" acct=", from);
        if (a < 0) return null;
        int v = a + 6;
        if (v < t.end && t.charAt(v) == '"') {
            int q = t.find('"', v + 1);
            return q < 0 ? null : t.sub(v + 1, q);
        }
        int e = t.tokenEnd(v);
        String raw = t.sub(v, e);
        if (raw.length() % 2 != 0 || raw.isEmpty()) return raw;
        StringBuilder b = new StringBuilder(raw.length() / 2);
        for (int i = 0; i < raw.length(); i += 2) {
            int hi = Character.digit(raw.charAt(i), 16);
            int lo = Character.digit(raw.charAt(i + 1), 16);
            if (hi < 0 || lo < 0) return raw;
            b.append((char) (hi * 16 + lo));
        }
        return b.toString();
    }
}
