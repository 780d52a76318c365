package dev.vigil.scenario.ssh.auth;

import dev.vigil.scenario.ssh.auth.FailureRoles.Role;
import dev.vigil.scenario.ssh.auth.FailureRoles.Rule;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * sshd connections keyed by (origin, pid), as fail2ban keys its multi-line state: decides which lines are failures
 * of which address. A line without an address ("Disconnecting: Too many authentication failures for root") takes
 * the connection's address from an earlier line, or waits for a later one; a successful log-in excuses the
 * connection's helper lines unless several user names were tried; a disconnect forgets the connection.
 *
 * <p>Memory is bounded: a connection idle for {@code maxIdleMillis} of event time, or the least recently seen one
 * beyond {@code maxSessions}, is dropped (and handed to the eviction listener first).
 */
public final class SessionTracker {
    private final FailureMode mode;
    private final int maxSessions;
    private final long maxIdleMillis;
    private final Consumer<Session> onEvict;
    private final LinkedHashMap<Key, Session> sessions = new LinkedHashMap<>(256, 0.75f, true);

    public SessionTracker(FailureMode mode, int maxSessions, long maxIdleMillis, Consumer<Session> onEvict) {
        this.mode = mode;
        this.maxSessions = maxSessions;
        this.maxIdleMillis = maxIdleMillis;
        this.onEvict = onEvict == null ? s -> {} : onEvict;
    }

    public SessionTracker(FailureMode mode) {
        this(mode, 100_000, 10 * 60_000L, null);
    }

    public FailureMode mode() {
        return mode;
    }

    private record Key(String origin, long pid) {}

    /** One connection: fail2ban's state for it, plus what the detectors keep per connection. */
    public static final class Session {
        final String origin;
        final long pid;
        String address;
        String lastUser;
        private String[] users = new String[0];
        boolean pending;
        int pendingCount;
        int helperCount;
        long lastSeen;
        int lines;
        /** A successful log-in was seen on this connection. */
        public boolean accepted;
        /** Failed public keys not yet counted (counted when the connection ends without a log-in). */
        public int keyFailures;
        /** The connection's end was counted (one per connection, however many lines say it). */
        public boolean endCounted;
        /** sshd failure lines counted on this connection (their counts). */
        public int sshdFailures;
        /** PAM's auth failures on this connection: pam_unix lines, and the retries of "PAM N more authentication failures". */
        public int pamFailures;
        public int pamMore;
        /** Attempts counted on this connection's joined PAM and sshd view: max(PAM's, sshd's), never their sum. */
        public int joinedCounted;
        /** The connection's scanner or grace-time signal was counted (once per connection). */
        public boolean scanCounted;
        /** A scanner signal came before the connection's address was known (kex_exchange_identification lines name none). */
        public boolean scanPending;
        public boolean graceCounted;

        Session(String origin, long pid) {
            this.origin = origin;
            this.pid = pid;
        }

        public String origin() {
            return origin;
        }

        public long pid() {
            return pid;
        }

        /** The connection's remote address, once a line gave it. */
        public String address() {
            return address;
        }

        /** Lines seen on this connection so far, this one included. */
        public int lines() {
            return lines;
        }

        public String lastUser() {
            return lastUser;
        }

        int userCount() {
            return users.length;
        }

        void addUser(String u) {
            if (u == null || u.isEmpty()) return;
            lastUser = u;
            for (String x : users) if (x.equals(u)) return;
            if (users.length >= 16) return; // enough to know "several"
            String[] n = java.util.Arrays.copyOf(users, users.length + 1);
            n[users.length] = u;
            users = n;
        }

        void forget() {
            address = null;
            users = new String[0];
            pending = false;
            pendingCount = 0;
            helperCount = 0;
        }
    }

    /**
     * The outcome of one line.
     *
     * @param failure true when the line is a failure (in this tracker's mode) of {@code address}
     * @param address the line's address, or its connection's when the line gives none; null if unknown
     * @param user the line's user, or the connection's last one
     * @param attempts fail2ban's attempt count: the failure plus the connection's earlier helper lines
     * @param session the connection (null for lines without a pid)
     */
    public record Verdict(boolean failure, String address, String user, int attempts, Session session) {}

    /** Applies one classified line of connection ({@code origin}, {@code pid}) at event time {@code nowMillis}. */
    public Verdict observe(String origin, long pid, AuthEvent e, long nowMillis) {
        evictIdle(nowMillis);
        Session s = null;
        if (pid >= 0) {
            Key k = new Key(origin == null ? "" : origin, pid);
            s = sessions.get(k);
            if (s == null && e.kind().group() != AuthKind.Group.NONE && e.kind() != AuthKind.INFO) {
                s = new Session(k.origin(), pid);
                sessions.put(k, s);
                if (sessions.size() > maxSessions) evictEldest();
            }
            if (s != null) {
                s.lastSeen = nowMillis;
                s.lines++;
            }
        }
        Rule rule = FailureRoles.rule(e, mode);
        String address = e.address() != null ? e.address() : s == null ? null : s.address;
        String user = e.user() != null && !e.user().isEmpty() ? e.user() : s == null ? null : s.lastUser;
        if (rule.role() == Role.NONE) return new Verdict(false, address, user, 0, s);

        boolean helper = rule.role() == Role.NOFAIL;
        int attempts = e.count();
        if (s != null) {
            s.addUser(e.user());
            if (s.pending || s.userCount() > 1) helper = false; // several users tried: no excuse (fail2ban gh-2070)
            attempts += s.helperCount + (s.pending ? s.pendingCount : 0);
        }
        if (helper) {
            if (s != null) {
                if (rule.forget()) {
                    s.forget();
                } else {
                    if (e.address() != null) s.address = e.address();
                    s.helperCount += e.count();
                }
            }
            return new Verdict(false, address, user, 0, s);
        }
        if (address == null) {
            if (s != null) { // a failure waiting for its connection's address
                s.pending = true;
                s.pendingCount += e.count();
            }
            return new Verdict(false, null, user, 0, s);
        }
        if (s != null) {
            if (rule.forget()) {
                s.forget();
            } else {
                s.address = address;
                s.pending = false;
                s.pendingCount = 0;
                s.helperCount = 0;
            }
        }
        return new Verdict(true, address, user, attempts, s);
    }

    /** Drops every connection (end of input), handing each to the eviction listener. */
    public void flush() {
        for (Session s : sessions.values()) onEvict.accept(s);
        sessions.clear();
    }

    public int size() {
        return sessions.size();
    }

    private void evictIdle(long now) {
        Iterator<Map.Entry<Key, Session>> it = sessions.entrySet().iterator();
        for (int n = 0; n < 8 && it.hasNext(); n++) {
            Session s = it.next().getValue();
            if (now - s.lastSeen <= maxIdleMillis) return;
            it.remove();
            onEvict.accept(s);
        }
    }

    private void evictEldest() {
        Iterator<Map.Entry<Key, Session>> it = sessions.entrySet().iterator();
        if (!it.hasNext()) return;
        Session s = it.next().getValue();
        it.remove();
        onEvict.accept(s);
    }
}
