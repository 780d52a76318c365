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
        List<SourceAddress.Range> allowSources,
        boolean notifyAllowListed,
        Strategy strategy,
        QuarantineInstance quarantine,
        Duration banTime,
        int ruleLow,
        int ruleHigh,
        int escalateSources,
        Duration escalateWindow,
        Duration repeatAfter,
        int maxTrackedKeys) {

    /** "count in window"; a disabled option is null. */
    record Threshold(int count, Duration window) {
        long windowMillis() {
            return window.toMillis();
        }

        @Override
        public String toString() {
            return count + " in " + SshSettings.human(window);
        }
    }

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
        Threshold disconnects = threshold(p.child("disconnect-burst"), "threshold", 10, Duration.ofMinutes(5));

        Params bf = p.child("brute-force");
        Threshold brute = threshold(bf, "failures", 5, Duration.ofSeconds(60));
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

        List<SourceAddress.Range> allow = new ArrayList<>();
        for (String s : p.strings("allow-sources", List.of())) {
            SourceAddress.Range r = SourceAddress.Range.parse(s);
            if (r == null) throw p.error("allow-sources", "expected address ranges such as 10.0.0.0/8 or 2001:db8::/32, found '" + s + "'");
            allow.add(r);
        }
        boolean notifyAllowed = p.bool("notify-allow-listed", true);

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
                enumOn ? enumeration : null, lafOn ? loginAfter : null, List.copyOf(allow), notifyAllowed, strategy, quarantine, ban, lo, hi,
                escSources, escWindow, repeat, maxKeys);
    }

    private static Threshold threshold(Params p, String key, int def, Duration window) {
        return new Threshold(p.integer(key, def, 1, 1_000_000), p.duration("window", window));
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) return (s / 3600) + "h";
        if (s % 60 == 0) return (s / 60) + "m";
        return s + "s";
    }
}
