package dev.vigil.scenario.ssh.auth;

/**
 * Reads the remote address of an sshd message from the position sshd writes it: after the (attacker-chosen) user
 * name, at the end of the line. OpenSSH formats these messages as {@code ... for [invalid user ]USER from ADDR port N
 * sshD[: INFO]} (auth.c {@code auth_log}), {@code Invalid user USER from ADDR port N}, {@code maximum authentication
 * attempts exceeded for [invalid user ]USER from ADDR port N ssh2}: the user name is written verbatim (sshd's log
 * encodes only control characters, as {@code \n}, {@code \t} or {@code \ooo}), so it may hold spaces, colons,
 * quotes, {@code from}, addresses, {@code port} and {@code ssh2}.
 *
 * <p>Every {@code " from "} in the text is a candidate for the one sshd wrote; a candidate is valid when what follows
 * it is exactly sshd's suffix: an address token, then {@code port N}, then {@code sshD}, then the end of the line or
 * {@code ": "} and an INFO of one of the shapes sshd writes (a key, a certificate, hostbased client names, SSH-1's
 * ruser). The user name cannot make a candidate of its own valid: whatever it holds is followed by sshd's suffix, so
 * the text after it cannot end where an address, a port or one of those shapes must. Only INFO fields that are
 * themselves attacker-written (a certificate's key id, hostbased client names, ruser) can; then two valid readings
 * disagree and the line is <em>ambiguous</em>: no address, counted, never guessed.
 *
 * <p>Candidates with the full suffix ({@code port N} and, where sshd writes it, {@code sshD}) are preferred to
 * {@code legacy} ones without (every OpenSSH since 3.0 writes the port in these messages; fail2ban's test logs
 * carry port-less lines, read only when no full candidate exists).
 */
final class SourceSuffix {
    private SourceSuffix() {}

    /** The reading of one line: the address, its port, where the user name ends, or why there is none. */
    static final class Read {
        String address;
        int port = -1;
        /** Index of the {@code " from "} sshd wrote (the user name ends there), or -1. */
        int userEnd = -1;
        /** True when the line has a {@code " from "} but no single reading of it. */
        boolean ambiguous;

        boolean found() {
            return address != null;
        }
    }

    private static final int INVALID = 0;
    private static final int LEGACY = 1;
    private static final int FULL = 2;

    /**
     * The source written after a user name that starts at {@code userStart}.
     *
     * @param wantsSsh sshd writes {@code sshD} after the port in this message
     * @param info an {@code ": INFO"} may follow (auth_log's method info)
     * @param via a {@code " via HOST"} may follow the address (PAM's messages)
     */
    static Read fromEnd(Text t, int userStart, boolean wantsSsh, boolean info, boolean via) {
        Read r = new Read();
        int lowest = Math.max(userStart - 1, t.start); // an empty user name: "for invalid user  from ADDR"
        boolean sawFrom = false;
        boolean fullSeen = false;
        String fullAddr = null;
        int fullPort = -1;
        int fullAt = -1;
        String legacyAddr = null;
        int legacyPort = -1;
        int legacyAt = -1;
        int[] port = new int[1];
        for (int f = t.findLast(" from ", lowest); f >= lowest; f = t.s.lastIndexOf(" from ", f - 1)) {
            sawFrom = true;
            int kind = candidate(t, f, wantsSsh, info, via, port);
            if (kind == INVALID) continue;
            String a = t.address(f + 6, t.tokenEnd(f + 6));
            if (kind == FULL) {
                if (fullSeen && !a.equals(fullAddr)) {
                    r.ambiguous = true;
                    return r;
                }
                if (!fullSeen) { // the last one: the longest user name, sshd's own INFO
                    fullSeen = true;
                    fullAddr = a;
                    fullPort = port[0];
                    fullAt = f;
                }
            } else if (legacyAddr == null) {
                legacyAddr = a;
                legacyPort = port[0];
                legacyAt = f;
            }
        }
        if (fullSeen) {
            r.address = fullAddr;
            r.port = fullPort;
            r.userEnd = fullAt;
        } else if (legacyAddr != null) {
            r.address = legacyAddr;
            r.port = legacyPort;
            r.userEnd = legacyAt;
        } else {
            r.ambiguous = sawFrom;
        }
        return r;
    }

    /** Whether the text after the {@code " from "} at {@code f} is sshd's suffix, and how complete. */
    private static int candidate(Text t, int f, boolean wantsSsh, boolean info, boolean via, int[] portOut) {
        int a = f + 6;
        int ae = t.tokenEnd(a);
        if (!addressLike(t.s, a, ae)) return INVALID;
        int i = ae;
        int port = -1;
        if (t.at(" port ", i)) {
            int d = t.digitsEnd(i + 6);
            if (d == i + 6 || d - (i + 6) > 5) return INVALID;
            port = t.number(i + 6);
            i = d;
        }
        int sshv = -1;
        if (t.at(" ssh", i)) {
            int d = t.digitsEnd(i + 4);
            sshv = d > i + 4 ? t.number(i + 4) : 0;
            i = d;
        }
        if (via && t.at(" via ", i)) {
            int ve = t.tokenEnd(i + 5);
            if (ve == i + 5) return INVALID;
            i = ve;
        }
        portOut[0] = port;
        boolean full = port >= 0 && (sshv >= 0 || !wantsSsh);
        if (i == t.end) return full ? FULL : LEGACY;
        if (info && full && sshv >= 0 && t.at(": ", i) && validInfo(t, i + 2, sshv)) return FULL;
        return INVALID;
    }

    /**
     * The INFO shapes sshd writes after {@code sshD: } (auth2-pubkey.c, auth2-hostbased.c, auth.c format_method_key;
     * SSH-1's auth-rh-rsa.c): {@code TYPE FP}; {@code TYPE[ FP] ID KEYID (serial N) CA TYPE FP} for certificates;
     * either followed by {@code , client user "U", client host "H"} for hostbased; {@code ruser U} after ssh1.
     */
    static boolean validInfo(Text t, int s, int sshv) {
        if (sshv == 1 && t.at("ruser ", s)) return true;
        int te = t.tokenEnd(s);
        if (!keyType(t.s, s, te) || !t.at(" ", te)) return false;
        boolean cert = te - s > 5 && t.s.startsWith("-CERT", te - 5);
        int i = te + 1;
        if (cert && t.at("ID ", i)) return certRest(t, i + 3);
        int fe = t.tokenEnd(i);
        if (fe == i) return false;
        if (cert && t.at(" ID ", fe)) return certRest(t, fe + 4);
        if (fe == t.end) return true;
        return t.charAt(fe - 1) == ',' && fe - 1 > i && hostbased(t, fe);
    }

    /** {@code KEYID (serial N) CA TYPE FP[, client user ...]} with the key id (free text) starting at {@code k}. */
    private static boolean certRest(Text t, int k) {
        for (int p = t.find(" (serial ", k - 1); p >= 0; p = t.find(" (serial ", p + 1)) {
            int d = t.digitsEnd(p + 9);
            if (d == p + 9 || !t.at(") CA ", d)) continue;
            int ts = d + 5;
            int te = t.tokenEnd(ts);
            if (!keyType(t.s, ts, te) || !t.at(" ", te)) continue;
            int fe = t.tokenEnd(te + 1);
            if (fe == te + 1) continue;
            if (fe == t.end) return true;
            if (t.charAt(fe - 1) == ',' && hostbased(t, fe)) return true;
        }
        return false;
    }

    /** {@code  client user "U", client host "H"} from {@code i} to the end (U and H are the client's). */
    private static boolean hostbased(Text t, int i) {
        return t.at(" client user \"", i) && t.endsWith("\"") && t.find("\", client host \"", i + 14) > 0;
    }

    /** sshkey_type's names: RSA, ECDSA, ED25519, DSA, ECDSA-SK, RSA-CERT ... */
    private static boolean keyType(String s, int a, int b) {
        if (b - a < 2 || b - a > 40) return false;
        for (int i = a; i < b; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
        }
        return true;
    }

    /** An IPv4 or IPv6 literal (maybe bracketed, with a zone) or a host name: nothing an encoding or a quote could be. */
    static boolean addressLike(String s, int a, int b) {
        if (b <= a || b - a > 255) return false;
        for (int i = a; i < b; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == ':' || c == '-'
                    || c == '_' || c == '%' || c == '[' || c == ']';
            if (!ok) return false;
        }
        return true;
    }
}
