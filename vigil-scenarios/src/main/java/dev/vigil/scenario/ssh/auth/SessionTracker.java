package dev.vigil.scenario.ssh.auth;

import dev.vigil.scenario.ssh.auth.FailureRoles.Role;
import dev.vigil.scenario.ssh.auth.FailureRoles.Rule;
import java.security.SecureRandom;
import java.util.function.Consumer;

/**
 * sshd connections keyed by (origin, pid), as fail2ban keys its multi-line state: decides which lines are failures
 * of which address. A line without an address ("Disconnecting: Too many authentication failures for root") takes
 * the connection's address from an earlier line, or waits for a later one; a successful log-in excuses the
 * connection's helper lines unless several user names were tried; a disconnect forgets the connection.
 *
 * <p>Memory is bounded: a connection idle for {@code maxIdleMillis} of event time, or the least recently seen one
 * beyond {@code maxSessions}, is dropped (and handed to the eviction listener first).
 *
 * <p>The connections are a hash table of their own, chained through the sessions, with a list through them in
 * least-recently-seen order (what an access-ordered {@code LinkedHashMap} of (origin, pid) records did, without a key
 * object a line). The key is not the attacker's to choose (the origin is the log's instance or host, the pid sshd's
 * process), and its hash is mixed with a random multiplier drawn once per tracker all the same.
 */
public final class SessionTracker {
    private final FailureMode mode;
    private final int maxSessions;
    private final long maxIdleMillis;
    private final Consumer<Session> onEvict;
    private Session[] buckets = new Session[256];
    private int size;
    /** Least recently seen first. */
    private Session head;
    private Session tail;
    private final long multiplier = Seeds.RANDOM.nextLong() | 1;

    private static final class Seeds {
        static final SecureRandom RANDOM = new SecureRandom();
    }

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
        private final int hash;
        private Session chain;
        private Session prev;
        private Session next;

        Session(String origin, long pid, int hash) {
            this.origin = origin;
            this.pid = pid;
            this.hash = hash;
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
            String o = origin == null ? "" : origin;
            int h = hash(o, pid);
            s = get(o, pid, h);
            if (s == null && e.kind().group() != AuthKind.Group.NONE && e.kind() != AuthKind.INFO) {
                s = new Session(o, pid, h);
                put(s);
                if (size > maxSessions) evictEldest();
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
        for (Session s = head; s != null; s = s.next) onEvict.accept(s);
        java.util.Arrays.fill(buckets, null);
        for (Session s = head; s != null; ) {
            Session n = s.next;
            s.prev = null;
            s.next = null;
            s.chain = null;
            s = n;
        }
        head = null;
        tail = null;
        size = 0;
    }

    public int size() {
        return size;
    }

    private int hash(String origin, long pid) {
        long h = (origin.hashCode() * 0x9e3779b97f4a7c15L + pid) * multiplier;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    /** The connection, now the most recently seen, or null. */
    private Session get(String origin, long pid, int h) {
        for (Session s = buckets[h & (buckets.length - 1)]; s != null; s = s.chain) {
            if (s.hash == h && s.pid == pid && s.origin.equals(origin)) {
                if (s != tail) {
                    unlink(s);
                    append(s);
                }
                return s;
            }
        }
        return null;
    }

    private void put(Session s) {
        int i = s.hash & (buckets.length - 1);
        s.chain = buckets[i];
        buckets[i] = s;
        append(s);
        if (++size > buckets.length - (buckets.length >>> 2)) grow();
    }

    private void remove(Session s) {
        int i = s.hash & (buckets.length - 1);
        if (buckets[i] == s) {
            buckets[i] = s.chain;
        } else {
            Session p = buckets[i];
            while (p.chain != s) p = p.chain;
            p.chain = s.chain;
        }
        s.chain = null;
        unlink(s);
        size--;
    }

    private void grow() {
        Session[] old = buckets;
        buckets = new Session[old.length * 2];
        for (Session s : old) {
            while (s != null) {
                Session next = s.chain;
                int i = s.hash & (buckets.length - 1);
                s.chain = buckets[i];
                buckets[i] = s;
                s = next;
            }
        }
    }

    private void append(Session s) {
        s.prev = tail;
        s.next = null;
        if (tail == null) head = s;
        else tail.next = s;
        tail = s;
    }

    private void unlink(Session s) {
        if (s.prev == null) head = s.next;
        else s.prev.next = s.next;
        if (s.next == null) tail = s.prev;
        else s.next.prev = s.prev;
        s.prev = null;
        s.next = null;
    }

    private void evictIdle(long now) {
        for (int n = 0; n < 8 && head != null; n++) {
            Session s = head;
            if (now - s.lastSeen <= maxIdleMillis) return;
            remove(s);
            onEvict.accept(s);
        }
    }

    private void evictEldest() {
        Session s = head;
        if (s == null) return;
        remove(s);
        onEvict.accept(s);
    }
}
