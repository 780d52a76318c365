package dev.vigil.scenario.ssh;

import static dev.vigil.scenario.ssh.SshIntrusion.*;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Interest;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.finding.Severity;
import dev.vigil.scenario.ssh.SshFindings.Hit;
import dev.vigil.scenario.ssh.SshFindings.Target;
import dev.vigil.scenario.ssh.SshSettings.Strategy;
import dev.vigil.scenario.ssh.SshSettings.Threshold;
import dev.vigil.scenario.ssh.auth.AuthEvent;
import dev.vigil.scenario.ssh.auth.AuthKind;
import dev.vigil.scenario.ssh.auth.SessionTracker;
import dev.vigil.scenario.ssh.auth.SessionTracker.Session;
import dev.vigil.scenario.ssh.auth.SessionTracker.Verdict;
import dev.vigil.scenario.ssh.auth.SshAuthClassifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code ssh-intrusion} policy at work: classifies each line, follows connections by pid (fail2ban's failure
 * rules), and counts per instance and source address in event time. Public for its {@link #stats()}.
 */
public final class SshIntrusionDetector implements Detector {
    private static final Interest INTEREST = Interest.of(Set.of(SshLogLine.class), Set.of());
    private static final long SESSION_IDLE_MILLIS = 10 * 60_000L;

    private final SshSettings s;
    private final SshStats stats = new SshStats();
    private final SessionTracker tracker;
    private final List<Session> evicted = new ArrayList<>();
    private final KeyedWindows invalidUsers;
    private final KeyedWindows invalidKeys;
    private final KeyedWindows disconnects;
    private final KeyedWindows brute;
    private final KeyedWindows slow;
    private final KeyedWindows enumeration;
    private final KeyedWindows beforeLogin;
    private final KeyedWindows sourcesPerInstance;
    private final KeyedWindows scanner;
    private final KeyedWindows exploit;
    private final KeyedWindows slowBrute;
    private final KeyedWindows userEnum;
    /** The keys (instance and source address) of every window but {@code sourcesPerInstance}'s. */
    private final KeyTable sources = new KeyTable();
    private final SourceBlocks blocks;
    private final SshFindings findings;
    private final java.util.Map<String, Target> targets = new java.util.HashMap<>();

    SshIntrusionDetector(SshSettings s) {
        this.s = s;
        long mute = s.repeatAfter().toMillis();
        int max = s.maxTrackedKeys();
        tracker = new SessionTracker(s.mode(), max, SESSION_IDLE_MILLIS, evicted::add);
        invalidUsers = windows(s.invalidUser(), mute, false);
        invalidKeys = windows(s.invalidKey(), mute, false);
        disconnects = windows(s.disconnectBurst(), mute, false);
        brute = windows(s.bruteForce(), mute, false);
        slow = s.slow() == null ? null : windows(s.slow(), mute, false);
        enumeration = s.enumeration() == null ? null : windows(s.enumeration(), mute, true);
        beforeLogin = s.loginAfterFailures() == null ? null : windows(s.loginAfterFailures(), 0, false);
        sourcesPerInstance = s.strategy() == Strategy.ESCALATE
                ? new KeyedWindows(s.escalateSources(), s.escalateWindow().toMillis(), mute, max, true) : null;
        scanner = buckets(s.scanner(), mute, false);
        exploit = buckets(s.exploitAttempt(), mute, false);
        slowBrute = buckets(s.slowBruteForce(), mute, false);
        userEnum = buckets(s.userEnumeration(), mute, true);
        blocks = new SourceBlocks(s);
        findings = new SshFindings(s, blocks, stats);
    }

    private KeyedWindows windows(Threshold t, long mute, boolean distinct) {
        return new KeyedWindows(sources, t.count(), t.windowMillis(), mute, s.maxTrackedKeys(), distinct, t.leakMillis());
    }

    private KeyedWindows buckets(SshSettings.Rule r, long mute, boolean distinct) {
        return r == null ? null : windows(r.limit(), mute, distinct);
    }

    /** This policy's counters (lines, failures, unclassified sshd lines), for the run summary. */
    public SshStats stats() {
        return stats;
    }

    @Override
    public Map<String, Long> counters() {
        return stats.asMap();
    }

    /** Keys held in windows and connections followed: what memory grows with. */
    public int trackedKeys() {
        int n = tracker.size() + invalidUsers.size() + invalidKeys.size() + disconnects.size() + brute.size();
        for (KeyedWindows w : new KeyedWindows[] {slow, enumeration, beforeLogin, sourcesPerInstance, scanner, exploit, slowBrute, userEnum}) {
            if (w != null) n += w.size();
        }
        return n;
    }

    @Override
    public Interest interest() {
        return INTEREST;
    }

    /**
     * The last host name a prepared line had. Read and written without synchronisation on purpose: a String is
     * immutable (safe to publish through a race), and it only replaces a line's host that is equal to it.
     */
    private String preparedHost;

    /**
     * The classifier's reading of the line (pure, static): made on the reading thread of a big log. The line's host
     * becomes the previous line's String when equal, so that {@link #target} finds it the same by identity.
     */
    @Override
    public SecurityEvent prepare(SecurityEvent event) {
        if (!(event instanceof SshLogLine line) || line.prepared() != null) return event;
        SshLogLine out = line.withPrepared(SshAuthClassifier.classify(line.program(), line.message()), preparedHost);
        preparedHost = out.host();
        return out;
    }

    @Override
    public void onEvent(SecurityEvent event, DetectorContext ctx) {
        if (!(event instanceof SshLogLine line)) return;
        AuthEvent e = line.prepared() instanceof AuthEvent a ? a : SshAuthClassifier.classify(line.program(), line.message());
        stats.line(e.kind(), line.message());
        if (e.unattributable()) stats.unattributable();
        if (e.kind() == AuthKind.NOT_SSH || e.kind() == AuthKind.UNCLASSIFIED || e.kind() == AuthKind.INFO) return;
        Target target = target(line);
        long now = ctx.now().toEpochMilli();
        if (e.kind() == AuthKind.CONNECTION_FROM && e.detail() != null) findings.localAddress(target.origin(), e.detail());
        Verdict v = tracker.observe(target.origin(), line.pid(), e, now);
        drainEvicted(ctx);
        String src = v.address();
        Session ses = v.session();
        KeyTable.Row key = src == null ? null : sources.row(target.origin(), src); // one look-up for every rule
        if (v.failure()) {
            stats.failures(e.count());
            // PAM and sshd lines of one attempt count once: a connection counts max(PAM's, sshd's), whichever came first
            int n = ses == null ? e.count() : joined(ses, e.count(), 0, 0);
            if (n > 0) failure(ctx, line, target, src, key, printable(v.user()), n, now);
        } else if (ses != null && src != null && e.kind() == AuthKind.PAM_AUTH_FAILURE) {
            // PAM's line usually comes just before sshd's of the same attempt: held until sshd's line or the connection's end
            joinedRecord(ses, 0, e.count(), 0);
        } else if (ses != null && src != null && e.kind() == AuthKind.PAM_MORE_FAILURES) {
            pamOnly(ctx, line, target, src, key, v.user(), joined(ses, 0, 0, e.count()), now); // a summary, at the connection's end
        }
        if (ses != null && src != null && (e.kind().connectionEnd() || endsConnection(e.kind()))) {
            pamOnly(ctx, line, target, src, key, v.user(), joined(ses, 0, 0, 0), now); // PAM's attempts that sshd never reported
        }
        if (key == null) {
            if (ses != null && scanKind(e.kind())) ses.scanPending = true;
            return;
        }
        preauthSignals(ctx, line, e, target, src, key, ses, now);
        switch (e.kind()) {
            case INVALID_USER -> {
                KeyedWindows.Window w = invalidUsers.add(key, now, e.count(), printable(e.user()), line);
                if (w != null) fire(ctx, invalidUsers, w, now, INVALID_USER, target, src, () -> new Hit(INVALID_USER, Severity.MEDIUM, target, src,
                        w.sum() + " log-in attempt(s) for users that do not exist from " + src + " on " + target.display(), w.sum(),
                        s.invalidUser().toString(), users(printable(e.user())), samples(w), null, false), line);
            }
            case FAILED_PUBLICKEY -> {
                if (ses != null) ses.keyFailures += e.count();
                else keyFailures(ctx, line, target, src, key, e.count(), now);
            }
            case ACCEPTED -> accepted(ctx, line, e, target, src, key, ses, now);
            default -> { }
        }
        if (endsConnection(e.kind()) && ses != null && ses.keyFailures > 0 && !ses.accepted) {
            int n = ses.keyFailures;
            ses.keyFailures = 0;
            keyFailures(ctx, line, target, src, key, n, now);
        }
        if (e.kind().connectionEnd() && (ses == null || !ses.endCounted) && beforeAuth(e, ses)) {
            if (ses != null) ses.endCounted = true;
            KeyedWindows.Window w = disconnects.add(key, now, 1, null, line);
            if (w != null) fire(ctx, disconnects, w, now, DISCONNECT_BURST, target, src, () -> new Hit(DISCONNECT_BURST, Severity.LOW, target, src,
                    w.sum() + " connections from " + src + " ended before authentication on " + target.display(), w.sum(),
                    s.disconnectBurst().toString(), List.of(), samples(w), null, false), line);
        }
    }

    /**
     * The attempts a line adds on its connection's joined view: PAM's count (pam_unix lines, or one plus the "N more")
     * and sshd's count of failure lines are two views of the same attempts, so the connection counts the larger.
     */
    private static int joined(Session ses, int sshd, int pamUnix, int pamMore) {
        joinedRecord(ses, sshd, pamUnix, pamMore);
        int pam = Math.max(ses.pamFailures, (ses.pamFailures > 0 || ses.pamMore > 0 ? 1 : 0) + ses.pamMore);
        int total = Math.max(pam, ses.sshdFailures);
        int add = total - ses.joinedCounted;
        ses.joinedCounted = total;
        return Math.max(0, add);
    }

    private static void joinedRecord(Session ses, int sshd, int pamUnix, int pamMore) {
        ses.sshdFailures += sshd;
        ses.pamFailures += pamUnix;
        ses.pamMore += pamMore;
    }

    /** Counts attempts only PAM's lines showed (sshd wrote no failure line for them). */
    private void pamOnly(DetectorContext ctx, SshLogLine line, Target target, String src, KeyTable.Row key, String user, int n, long now) {
        if (n <= 0) return;
        stats.pamOnly(n);
        failure(ctx, line, target, src, key, printable(user), n, now);
    }

    private static boolean scanKind(AuthKind k) {
        return k == AuthKind.KEX_FAILURE || k == AuthKind.PROTOCOL_ERROR || k == AuthKind.NO_IDENTIFICATION;
    }

    /** ssh-scanner (key-exchange, banner, protocol failures) and ssh-exploit-attempt (grace-time timeouts): once per connection. */
    private void preauthSignals(DetectorContext ctx, SshLogLine line, AuthEvent e, Target target, String src, KeyTable.Row key, Session ses, long now) {
        if (scanner != null && (scanKind(e.kind()) || (ses != null && ses.scanPending)) && (ses == null || !ses.scanCounted)) {
            if (ses != null) {
                ses.scanCounted = true;
                ses.scanPending = false;
            }
            KeyedWindows.Window w = scanner.add(key, now, 1, null, line);
            if (w != null) {
                fire(ctx, scanner, w, now, SCANNER, target, src, () -> new Hit(SCANNER, Severity.MEDIUM, target, src, w.sum() + " connection(s) from " + src + " on " + target.display()
                        + " failed key exchange, banner or protocol identification (a scanner)", w.sum(), s.scanner().limit().toString(),
                        List.of(), samples(w), null, false), line, s.scanner().act());
            }
        }
        if (exploit != null && e.kind() == AuthKind.PREAUTH_TIMEOUT && (ses == null || !ses.graceCounted)) {
            if (ses != null) ses.graceCounted = true;
            KeyedWindows.Window w = exploit.add(key, now, 1, null, line);
            if (w != null) {
                fire(ctx, exploit, w, now, EXPLOIT_ATTEMPT, target, src, () -> new Hit(EXPLOIT_ATTEMPT, Severity.HIGH, target, src, w.sum() + " connection(s) from " + src + " on "
                        + target.display() + " timed out before authentication (LoginGraceTime) in a burst: the pattern of the regreSSHion"
                        + " exploit, CVE-2024-6387", w.sum(), s.exploitAttempt().limit().toString(), List.of(), samples(w), null, false),
                        line, s.exploitAttempt().act());
            }
        }
    }

    private void failure(DetectorContext ctx, SshLogLine line, Target target, String src, KeyTable.Row key, String user, int n, long now) {
        Object sample = line;
        boolean escalating = false;
        if (sourcesPerInstance != null) {
            KeyedWindows.Window w = sourcesPerInstance.add(target.origin(), now, 1, src, sample);
            if (w != null) {
                List<String> sources = w.labels();
                fire(ctx, sourcesPerInstance, w, now, BRUTE_FORCE, target, null, () -> new Hit(BRUTE_FORCE, Severity.HIGH, target, null,
                        "failed log-ins from " + sources.size() + " sources on " + target.display() + " within " + SshSettings.human(s.escalateWindow()),
                        sources.size(), s.escalateSources() + " sources in " + SshSettings.human(s.escalateWindow()), List.of(), samples(w),
                        "distributed: " + String.join(", ", sources), true), line);
            }
            escalating = sourcesPerInstance.muted(target.origin(), now);
        }
        boolean escalated = escalating;
        if (beforeLogin != null) beforeLogin.add(key, now, n, null, sample);
        KeyedWindows.Window w = brute.add(key, now, n, null, sample);
        if (slowBrute != null) {
            if (w != null || brute.lastAddMuted()) {
                slowBrute.mute(key, now); // the fast finding reports this attack: the slow rule would repeat it
            } else {
                KeyedWindows.Window sw = slowBrute.add(key, now, n, null, sample);
                if (sw != null) {
                    fire(ctx, slowBrute, sw, now, SLOW_BRUTE_FORCE, target, src, () -> new Hit(SLOW_BRUTE_FORCE, Severity.HIGH, target, src, sw.sum() + " failed log-ins from " + src + " on "
                            + target.display() + " spread over time (" + s.slowBruteForce().limit() + ")", sw.sum(),
                            s.slowBruteForce().limit().toString(), users(user), samples(sw), null, escalated), line, s.slowBruteForce().act());
                }
            }
        }
        if (userEnum != null && user != null) {
            KeyedWindows.Window uw = userEnum.add(key, now, 1, user, sample);
            if (uw != null) {
                List<String> names = uw.labels();
                fire(ctx, userEnum, uw, now, USER_ENUMERATION, target, src, () -> new Hit(USER_ENUMERATION, Severity.MEDIUM, target, src, names.size() + " different user names tried from "
                        + src + " on " + target.display(), names.size(), s.userEnumeration().limit().toString(), names, samples(uw), null,
                        escalated), line, s.userEnumeration().act());
            }
        }
        if (w != null) {
            fire(ctx, brute, w, now, BRUTE_FORCE, target, src, () -> new Hit(BRUTE_FORCE, Severity.HIGH, target, src, w.sum() + " failed log-ins from " + src + " on "
                    + target.display() + " within " + SshSettings.human(s.bruteForce().window()), w.sum(), s.bruteForce().toString(),
                    users(user), samples(w), "fast", escalated), line);
            if (slow != null) slow.add(key, now, n, null, null); // the slow window keeps counting, its finding would repeat this one
        } else if (slow != null) {
            KeyedWindows.Window sw = slow.add(key, now, n, null, sample);
            if (sw != null) fire(ctx, slow, sw, now, BRUTE_FORCE, target, src, () -> new Hit(BRUTE_FORCE, Severity.HIGH, target, src, sw.sum() + " failed log-ins from " + src
                    + " on " + target.display() + " within " + SshSettings.human(s.slow().window()), sw.sum(), s.slow().toString(),
                    users(user), samples(sw), "slow", escalated), line);
        }
        if (enumeration != null && user != null) {
            KeyedWindows.Window ew = enumeration.add(key, now, 1, user, sample);
            if (ew != null) fire(ctx, enumeration, ew, now, BRUTE_FORCE, target, src, () -> new Hit(BRUTE_FORCE, Severity.HIGH, target, src, ew.labels().size()
                    + " different user names tried from " + src + " on " + target.display(), ew.labels().size(), s.enumeration().toString(),
                    ew.labels(), samples(ew), "user-enumeration", escalated), line);
        }
    }

    private void accepted(DetectorContext ctx, SshLogLine line, AuthEvent e, Target target, String src, KeyTable.Row key, Session ses, long now) {
        if (ses != null) {
            ses.accepted = true;
            ses.keyFailures = 0;
        }
        if (beforeLogin == null) return;
        KeyedWindows.Window w = beforeLogin.reached(key, now);
        if (w == null) return;
        long failed = w.sum();
        List<String> samples = new ArrayList<>(samples(w));
        samples.add(sample(line));
        beforeLogin.fired(w, now);
        findings.report(ctx, new Hit(LOGIN_AFTER_FAILURES, Severity.CRITICAL, target, src, "successful log-in from " + src + " on "
                + target.display() + " after at least " + failed + " failed attempts within " + SshSettings.human(s.loginAfterFailures().window()),
                failed, s.loginAfterFailures().toString(), users(printable(e.user())), samples, null, true), line);
    }

    private void keyFailures(DetectorContext ctx, SshLogLine line, Target target, String src, KeyTable.Row key, int n, long now) {
        KeyedWindows.Window w = invalidKeys.add(key, now, n, null, line == null ? null : line);
        if (w != null) fire(ctx, invalidKeys, w, now, INVALID_KEY, target, src, () -> new Hit(INVALID_KEY, Severity.MEDIUM, target, src, w.sum()
                + " public key(s) rejected from " + src + " on " + target.display() + " on connections that never logged in", w.sum(),
                s.invalidKey().toString(), List.of(), samples(w), null, false), line);
    }

    private void fire(DetectorContext ctx, KeyedWindows windows, KeyedWindows.Window w, long now, String rule, Target target, String src,
                      java.util.function.Supplier<Hit> hit, SshLogLine line) {
        fire(ctx, windows, w, now, rule, target, src, hit, line, true);
    }

    /**
     * A window reached its threshold: it is muted, and the finding reported. The finding (its summary and sample lines)
     * is built only when it is not dropped (a source that repeats an instance's finding, an allow-listed one that is not
     * to be reported), and before the window is emptied.
     */
    private void fire(DetectorContext ctx, KeyedWindows windows, KeyedWindows.Window w, long now, String rule, Target target, String src,
                      java.util.function.Supplier<Hit> hit, SshLogLine line, boolean act) {
        SshFindings.Admitted a = findings.admit(ctx, rule, target, src);
        Hit h = a == null ? null : hit.get();
        windows.fired(w, now);
        if (h != null) findings.report(ctx, a, h, line, act);
    }

    /** Connections dropped for idleness or memory: their rejected keys count now, unless they logged in; so do PAM-only attempts. */
    private void drainEvicted(DetectorContext ctx) {
        if (evicted.isEmpty()) return;
        List<Session> done = new ArrayList<>(evicted);
        evicted.clear();
        long now = ctx.now().toEpochMilli();
        for (Session ses : done) {
            if (ses.address() == null) continue;
            Target t = targets.getOrDefault(ses.origin(), new Target(instanceOf(ses.origin()), ses.origin(), null));
            KeyTable.Row key = sources.row(ses.origin(), ses.address());
            pamOnly(ctx, null, t, ses.address(), key, ses.lastUser(), joined(ses, 0, 0, 0), now); // PAM-only attempts of a connection that never ended
            if (ses.keyFailures == 0 || ses.accepted) continue;
            keyFailures(ctx, null, t, ses.address(), key, ses.keyFailures, now);
        }
    }

    @Override
    public void onTimer(Timer timer, DetectorContext ctx) {
        if (!timer.key().startsWith(SourceBlocks.TIMER_PREFIX)) return;
        ActionPlan unblock = blocks.expire(timer);
        if (unblock == null) return;
        String cidr = timer.data().get("cidr");
        FindingDraft d = FindingDraft.of(BAN_EXPIRED, Severity.INFO).time(ctx.now())
                .resource(timer.data().getOrDefault("instance", unblock.target())).source(cidr.substring(0, cidr.indexOf('/')))
                .summary("ban of " + cidr + " in " + unblock.target() + " is over after " + SshSettings.human(s.banTime()))
                .fact("acl", unblock.target()).fact("rule-number", timer.data().get("rule")).propose(unblock);
        ctx.report(d);
    }

    @Override
    public void onFinish(Instant end, DetectorContext ctx) {
        tracker.flush();
        drainEvicted(ctx);
    }

    /** The last line's instance and host, and their target (a log's lines name the same ones, line after line). */
    private InstanceId lastInstance;
    private String lastHost;
    private Target lastTarget;

    private Target target(SshLogLine line) {
        if (lastTarget != null && java.util.Objects.equals(line.instance(), lastInstance) && java.util.Objects.equals(line.host(), lastHost)) return lastTarget;
        Target t = newTarget(line);
        lastInstance = line.instance();
        lastHost = line.host();
        lastTarget = t;
        return t;
    }

    private Target newTarget(SshLogLine line) {
        InstanceId inst = line.instance() != null ? line.instance() : line.host() == null ? null : s.hosts().get(line.host());
        String origin = inst != null ? inst.value() : line.host() != null ? "host:" + line.host() : "-";
        Target t = targets.get(origin);
        if (t == null || !java.util.Objects.equals(t.host(), line.host())) {
            t = new Target(inst, origin, line.host());
            if (targets.size() < 10_000) targets.put(origin, t);
        }
        return t;
    }

    private static InstanceId instanceOf(String origin) {
        try {
            return origin.startsWith("i-") ? InstanceId.of(origin) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Kinds after which no more keys are offered on the connection. */
    private static boolean endsConnection(AuthKind k) {
        return k.connectionEnd() || k == AuthKind.TOO_MANY_AUTH_FAILURES || k == AuthKind.MAX_AUTH_ATTEMPTS
                || k == AuthKind.CHANGE_OF_USERNAME || k == AuthKind.AUTH_FAIL_DISCONNECT;
    }

    /** An end of connection that happened before authentication (sshd 9.8+ may omit [preauth]: the connection tells). */
    private static boolean beforeAuth(AuthEvent e, Session ses) {
        return switch (e.kind()) {
            case NO_IDENTIFICATION, PROTOCOL_ERROR, KEX_FAILURE, PREAUTH_TIMEOUT, NO_AUTH_METHODS -> true;
            default -> e.preauth() || (ses != null && !ses.accepted && ses.lines() > 1);
        };
    }

    private static List<String> samples(KeyedWindows.Window w) {
        List<Object> given = w.samples();
        List<String> out = new ArrayList<>(given.size());
        for (Object o : given) if (o instanceof SshLogLine l) out.add(sample(l));
        return out;
    }

    private static List<String> users(String user) {
        return user == null || user.isEmpty() ? List.of() : List.of(user);
    }

    /**
     * A user name or log text as findings show it: sshd already encodes control characters ({@code \012}), Dropbear
     * and the journal do not, so what is left (C0 and C1 controls, DEL, ANSI escapes, bidirectional overrides,
     * line and paragraph separators) is written as backslash-x and two hex digits, or backslash-u and four: a user name cannot forge a line,
     * a colour or a right-to-left run in a notification.
     */
    static String printable(String s) {
        if (s == null) return null;
        int i = 0;
        while (i < s.length() && !unprintable(s.charAt(i))) i++;
        if (i == s.length()) return s;
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!unprintable(c)) b.append(c);
            else if (c < 0x100) b.append(String.format("\\x%02x", (int) c));
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }

    private static boolean unprintable(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029 || c == 0x200e || c == 0x200f || c == 0x061c;
    }

    private static String sample(SshLogLine line) {
        String m = line.message() == null ? "" : printable(line.message());
        if (m.length() > 240) m = m.substring(0, 240) + "...";
        return line.time() + " " + (line.program() == null ? "" : line.program() + (line.pid() >= 0 ? "[" + line.pid() + "]" : "") + ": ") + m;
    }
}
