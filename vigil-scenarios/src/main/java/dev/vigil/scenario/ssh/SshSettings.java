package dev.vigil.scenario.ssh;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.policy.Params;
import dev.vigil.scenario.shared.QuarantineInstance;
import dev.vigil.scenario.ssh.auth.FailureMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code ssh-intrusion} policy parameters, with the defaults of the system the scenario comes from (CloudWatch
 * metric-filter alarms: 1 invalid user, 3 invalid keys in 5 minutes, 10 disconnects in 5 minutes; quarantine).
 */
record SshSettings(
        Map<String, InstanceId> hosts,
        Threshold invalidUser,
        Threshold invalidKey,
        Threshold disconnectBurst,
        Threshold bruteForce,
        FailureMode mode,
        Threshold slow,
        Threshold enumeration,
        Threshold loginAfterFailures,
        Rule scanner,
        Rule exploitAttempt,
        Rule slowBruteForce,
        Rule userEnumeration,
        List<SourceAddress.Range> allowSources,
        boolean notifyAllowListed,
        boolean ignoreSelf,
        List<SourceAddress.Range> selfAddresses,
        Strategy strategy,
        QuarantineInstance quarantine,
        Duration banTime,
        int ruleLow,
        int ruleHigh,
        int escalateSources,
        Duration escalateWindow,
        Duration repeatAfter,
        int maxTrackedKeys) {

    /**
     * "count in window" (a sliding window: fires on the count-th event within the window), or, with {@code leak} set,
     * CrowdSec's and fail2ban's leaky bucket: {@code count} is the capacity, one event leaks out every {@code leak},
     * and the event that finds the bucket full (count + 1 in a burst) overflows it. A disabled option is null.
     */
    record Threshold(int count, Duration window, Duration leak) {
        Threshold(int count, Duration window) {
            this(count, window, null);
        }

        long windowMillis() {
            return window.toMillis();
        }

        long leakMillis() {
            return leak == null ? 0 : leak.toMillis();
        }

        boolean bucket() {
            return leak != null;
        }

        @Override
        public String toString() {
            return bucket() ? "capacity " + count + ", leak 1 per " + SshSettings.human(leak) : count + " in " + SshSettings.human(window);
        }
    }

    /**
     * One of the detect-and-notify rules (ssh-scanner, ssh-exploit-attempt, ssh-slow-brute-force,
     * ssh-user-enumeration): its threshold, and whether its findings may propose responses ({@code act}, false by
     * default: reported, never acted on).
     */
    record Rule(Threshold limit, boolean act) {}

    /** Which responses the rules propose (the policy's {@code responses} still choose among them). */
    enum Strategy {
        /** quarantine-instance, as the original system. */
        QUARANTINE,
        /** block-source: a network ACL deny entry for the source, removed after {@code ban-time}. */
        BLOCK,
        /** block-source first; quarantine-instance too once several sources attack one instance, or after a log-in. */
        ESCALATE
    }

    static SshSettings read(Params p) {
        Map<String, InstanceId> hosts = new LinkedHashMap<>();
        p.stringMap("hosts", Map.of()).forEach((host, id) -> {
            try {
                hosts.put(host, InstanceId.of(id));
            } catch (IllegalArgumentException e) { // InvalidIdException, a null id
                throw p.error("hosts", "expected an instance id such as i-0123456789abcdef0 for host '" + host + "', found '" + id + "'");
            }
        });
        Threshold invalidUser = threshold(p.child("invalid-user"), "threshold", 1, Duration.ofMinutes(5));
        Threshold invalidKey = threshold(p.child("invalid-key"), "threshold", 3, Duration.ofMinutes(5));
        Threshold disconnects = limit(p.child("disconnect-burst"), "threshold", 10, Duration.ofMinutes(5));

        Params bf = p.child("brute-force");
        Threshold brute = limit(bf, "failures", 5, Duration.ofSeconds(60));
        String modeText = bf.string("mode", "normal");
        FailureMode mode = FailureMode.parse(modeText);
        if (mode == null) throw bf.error("mode", "expected normal, ddos, extra or aggressive, found '" + modeText + "'");
        Params slowP = bf.child("slow");
        boolean slowOn = slowP.bool("enabled", false);
        Threshold slow = threshold(slowP, "failures", 10, Duration.ofHours(1));
        Params enumP = bf.child("enumeration");
        boolean enumOn = enumP.bool("enabled", false);
        Threshold enumeration = threshold(enumP, "users", 5, Duration.ofMinutes(10));

        Params laf = p.child("login-after-failures");
        boolean lafOn = laf.bool("enabled", true);
        Threshold loginAfter = new Threshold(laf.integer("failures", 5, 1, 1_000_000), laf.duration("lookback", Duration.ofHours(1)));

        // detect-and-notify rules, on by default, as leaky buckets (CrowdSec's form); the older brute-force options,
        // when a policy enables them, stand in for their new rules (one finding, not two)
        Rule scanner = rule(p.child("scanner"), 3, Duration.ofMinutes(10), true);
        Rule exploit = rule(p.child("exploit-attempt"), 10, Duration.ofMinutes(1), true);
        Rule slowBf = rule(p.child("slow-brute-force"), 10, Duration.ofMinutes(10), !slowOn);
        Rule userEnum = rule(p.child("user-enumeration"), 5, Duration.ofMinutes(2), !enumOn);

        List<SourceAddress.Range> allow = new ArrayList<>();
        for (String s : p.strings("allow-sources", List.of())) {
            SourceAddress.Range r = SourceAddress.Range.parse(s);
            if (r == null) throw p.error("allow-sources", "expected address ranges such as 10.0.0.0/8 or 2001:db8::/32, found '" + s + "'");
            allow.add(r);
        }
        boolean notifyAllowed = p.bool("notify-allow-listed", true);
        // fail2ban's ignoreself: loopback and the instance's own addresses are reported, never acted on
        boolean ignoreSelf = p.bool("ignore-self", true);
        List<SourceAddress.Range> self = new ArrayList<>();
        for (String s : p.strings("self-addresses", List.of())) {
            SourceAddress.Range r = SourceAddress.Range.parse(s);
            if (r == null) throw p.error("self-addresses", "expected address ranges such as 10.0.1.17 or 10.0.1.0/24, found '" + s + "'");
            self.add(r);
        }

        String st = p.string("strategy", "quarantine").trim().toLowerCase(Locale.ROOT);
        Strategy strategy = switch (st) {
            case "quarantine" -> Strategy.QUARANTINE;
            case "block" -> Strategy.BLOCK;
            case "escalate" -> Strategy.ESCALATE;
            default -> throw p.error("strategy", "expected quarantine, block or escalate, found '" + st + "'");
        };
        QuarantineInstance quarantine = QuarantineInstance.read(p);

        Params block = p.child("block-source");
        Duration ban = block.duration("ban-time", Duration.ofHours(1));
        String range = block.string("rule-numbers", "1-99").trim();
        int dash = range.indexOf('-');
        int lo;
        int hi;
        try {
            lo = Integer.parseInt(range.substring(0, dash < 0 ? range.length() : dash).trim());
            hi = dash < 0 ? lo : Integer.parseInt(range.substring(dash + 1).trim());
        } catch (NumberFormatException e) {
            throw block.error("rule-numbers", "expected a range of network ACL rule numbers such as 1-99, found '" + range + "'");
        }
        if (lo < 1 || hi > 32766 || lo > hi) throw block.error("rule-numbers", "expected a range within 1-32766, found '" + range + "'");

        Params esc = p.child("escalate");
        int escSources = esc.integer("sources", 3, 1, 10_000);
        Duration escWindow = esc.duration("window", Duration.ofMinutes(10));
        Duration repeat = p.duration("repeat-after", Duration.ofHours(1));
        int maxKeys = p.integer("max-tracked-keys", 100_000, 100, 50_000_000);
        return new SshSettings(Map.copyOf(hosts), invalidUser, invalidKey, disconnects, brute, mode, slowOn ? slow : null,
                enumOn ? enumeration : null, lafOn ? loginAfter : null, scanner, exploit, slowBf, userEnum, List.copyOf(allow), notifyAllowed, ignoreSelf, List.copyOf(self), strategy, quarantine, ban, lo, hi,
                escSources, escWindow, repeat, maxKeys);
    }

    private static Threshold threshold(Params p, String key, int def, Duration window) {
        return new Threshold(p.integer(key, def, 1, 1_000_000), p.duration("window", window));
    }

    /** "{key: N, window: W}" (the default) or a leaky bucket "{capacity: N, leak-speed: D}". */
    private static Threshold limit(Params p, String key, int def, Duration window) {
        boolean bucket = p.has("capacity") || p.has("leak-speed");
        if (bucket && (p.has(key) || p.has("window"))) {
            throw p.error("capacity", "expected either " + key + " and window (a sliding window) or capacity and leak-speed (a leaky bucket), not both");
        }
        if (!bucket) return threshold(p, key, def, window);
        return bucket(p, def, window);
    }

    private static Threshold bucket(Params p, int capacity, Duration leak) {
        int cap = p.integer("capacity", capacity, 1, 1_000_000);
        Duration l = p.duration("leak-speed", leak);
        if (l.isZero() || l.isNegative()) throw p.error("leak-speed", "expected a positive duration such as 10s, found " + l);
        // l * (cap + 1) exactly, as Duration.multipliedBy would, without the BigDecimal arithmetic it does (and the JIT's work on it)
        long n = cap + 1L;
        return new Threshold(cap, Duration.ofSeconds(Math.multiplyExact(l.getSeconds(), n), Math.multiplyExact((long) l.getNano(), n)), l);
    }

    private static Rule rule(Params p, int capacity, Duration leak, boolean enabledByDefault) {
        boolean on = p.bool("enabled", enabledByDefault);
        Threshold t = bucket(p, capacity, leak);
        boolean act = p.bool("act", false);
        return on ? new Rule(t, act) : null;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) return (s / 3600) + "h";
        if (s % 60 == 0) return (s / 60) + "m";
        return s + "s";
    }
}
