package dev.vigil.scenario.ssh;

import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.SshLogLine;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.scenario.ssh.SshSettings.Strategy;
import java.util.List;

/**
 * Builds the findings of the SSH rules: who (instance, host, source), how many in which window, sample lines, and
 * the responses the strategy proposes. Allow-listed sources and logs without an instance are reported with no action.
 */
final class SshFindings {
    static final String LIMITATION = "a security-group swap does not cut connections already tracked (an SSH session open now stays open);"
            + " a network ACL change does (block-source, quarantine-subnet)";

    private final SshSettings settings;
    private final SourceBlocks blocks;
    private final SshStats stats;
    /** Under quarantine, the last finding time per rule and instance (the first quarantines; later ones would repeat it). */
    private final java.util.LinkedHashMap<String, Long> lastPerInstance = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Long> eldest) {
            return size() > 50_000;
        }
    };

    /** sshd's own (local) addresses per origin, from its "Connection from H port P on A port Q" lines. */
    private final java.util.Map<String, java.util.Set<String>> localAddresses = new java.util.HashMap<>();

    /** Notes an address sshd names as its own for {@code origin} (bounded: 16 per origin, 10,000 origins). */
    void localAddress(String origin, String address) {
        if (address == null) return;
        java.util.Set<String> set = localAddresses.get(origin);
        if (set == null) {
            if (localAddresses.size() >= 10_000) return;
            set = new java.util.HashSet<>();
            localAddresses.put(origin, set);
        }
        if (set.size() < 16) set.add(address);
    }

    /** Why {@code source} is this host itself, or null: loopback, self-addresses, or an address sshd names as its own. */
    private String self(Target target, String source, byte[] ip) {
        if (!settings.ignoreSelf() || ip == null) return null;
        if (SourceAddress.loopback(ip)) return "a loopback address";
        for (SourceAddress.Range r : settings.selfAddresses()) if (r.contains(ip)) return "in self-addresses";
        java.util.Set<String> local = localAddresses.get(target.origin());
        if (local != null && local.contains(source)) return "this host's own address (sshd's local address)";
        return null;
    }

    SshFindings(SshSettings settings, SourceBlocks blocks, SshStats stats) {
        this.settings = settings;
        this.blocks = blocks;
        this.stats = stats;
    }

    /** Where the lines came from: the instance (when known) and the log's host name. */
    record Target(InstanceId instance, String origin, String host) {
        String display() {
            return instance != null ? instance.value() : host != null ? "host " + host : "an unknown host";
        }
    }

    /** One finding to report. {@code quarantine} forces quarantine-instance into the proposals (escalation). */
    record Hit(String rule, Severity severity, Target target, String source, String summary, long count, String window,
               List<String> users, List<String> samples, String variant, boolean quarantine) {}

    /**
     * Under strategy quarantine, one finding per rule and instance within repeat-after: the first quarantines the
     * instance, later sources would only repeat it. A log-in after failures is always reported. Block and escalate
     * act per source, so every source's finding counts there.
     */
    private boolean repeatsInstance(String rule, Target target, long now) {
        if (settings.strategy() != Strategy.QUARANTINE || rule.equals(SshIntrusion.LOGIN_AFTER_FAILURES)) return false;
        String k = instanceKey(rule, target.origin());
        Long last = lastPerInstance.get(k);
        if (last != null && now < last + settings.repeatAfter().toMillis()) return true;
        lastPerInstance.put(k, now);
        return false;
    }

    /** The last few keys of {@link #repeatsInstance}, by the identity of their parts (the rules' constants, a log's one origin). */
    private final String[] keyRules = new String[8];
    private final String[] keyOrigins = new String[8];
    private final String[] keys = new String[8];
    private int nextKey;

    /** {@code rule + '|' + origin}, made once for the same two Strings while they are among the last 8 asked. */
    private String instanceKey(String rule, String origin) {
        for (int i = 0; i < keys.length; i++) if (keyRules[i] == rule && keyOrigins[i] == origin && keys[i] != null) return keys[i];
        String k = rule + '|' + origin;
        int i = nextKey;
        nextKey = (i + 1) & (keys.length - 1);
        keyRules[i] = rule;
        keyOrigins[i] = origin;
        keys[i] = k;
        return k;
    }

    void report(DetectorContext ctx, Hit hit, SshLogLine trigger) {
        report(ctx, hit, trigger, true);
    }

    /** What decides a finding's fate before it is built: its source's address, the allow-list and the host itself. */
    record Admitted(boolean allowed, String self) {}

    /**
     * Whether a finding of {@code rule} for {@code source} on {@code target} is reported: null when it is dropped (an
     * allow-listed source not to be reported, or one that repeats its instance's finding; counted), else what
     * {@link #report(DetectorContext, Admitted, Hit, SshLogLine, boolean)} needs. Checked before the finding is built.
     */
    Admitted admit(DetectorContext ctx, String rule, Target target, String source) {
        byte[] ip = SourceAddress.parse(source);
        boolean allowed = allowListed(ip);
        if (allowed && !settings.notifyAllowListed()) {
            stats.allowListed();
            return null;
        }
        String self = self(target, source, ip);
        if (!allowed && self == null && repeatsInstance(rule, target, ctx.now().toEpochMilli())) {
            stats.repeatSuppressed();
            return null;
        }
        return new Admitted(allowed, self);
    }

    private boolean allowListed(byte[] ip) {
        if (ip == null) return false;
        for (SourceAddress.Range r : settings.allowSources()) {
            if (r.contains(ip)) return true;
        }
        return false;
    }

    /** {@code act} false: a detect-and-notify rule, reported with no response proposed. */
    void report(DetectorContext ctx, Hit hit, SshLogLine trigger, boolean act) {
        Admitted a = admit(ctx, hit.rule, hit.target, hit.source);
        if (a != null) report(ctx, a, hit, trigger, act);
    }

    /** A finding {@link #admit} let through. */
    void report(DetectorContext ctx, Admitted a, Hit hit, SshLogLine trigger, boolean act) {
        boolean allowed = a.allowed();
        String self = a.self();
        FindingDraft d = FindingDraft.of(hit.rule, hit.severity);
        if (trigger != null) d.from(trigger);
        else d.time(ctx.now());
        InstanceId inst = hit.target.instance;
        d.resource(inst != null ? inst.value() : hit.target.host).source(hit.source).summary(hit.summary);
        d.fact("instance", inst);
        if (inst != null) d.fact("instance-name", ctx.inventory().instance(inst).map(InstanceInfo::name).orElse(null));
        d.fact("host", hit.target.host).fact("source", hit.source).fact("count", hit.count).fact("window", hit.window);
        if (hit.variant != null) d.fact("variant", hit.variant);
        if (hit.users != null && !hit.users.isEmpty()) d.fact("users", String.join(", ", hit.users.subList(0, Math.min(10, hit.users.size()))));
        for (int i = 0; i < hit.samples.size(); i++) d.fact("sample-" + (i + 1), hit.samples.get(i));
        d.fact("strategy", settings.strategy().name().toLowerCase(java.util.Locale.ROOT));

        boolean quarantine = settings.strategy() == Strategy.QUARANTINE || hit.quarantine;
        boolean block = settings.strategy() != Strategy.QUARANTINE && hit.source != null;
        String why = hit.rule + (hit.source == null ? "" : " from " + hit.source);
        if (self != null) d.fact("self", self);
        if (allowed) {
            d.noAction("source " + hit.source + " is in allow-sources: reported, never acted on");
        } else if (self != null) {
            d.noAction("source " + hit.source + " is " + self + ": reported, never acted on (ignore-self: false to change)");
        } else if (!act) {
            d.noAction(hit.rule + " detects and notifies (act: true in its parameters lets it propose the strategy's responses)");
        } else if (inst == null) {
            d.noAction("no instance id for this log (" + hit.target.display() + "): replay with --instance, name the CloudWatch log stream"
                    + " after the instance, or map the host in params.hosts");
        } else {
            if (quarantine) {
                for (ActionPlan p : settings.quarantine().plan(inst, ctx.inventory(), why)) d.propose(p);
                d.fact("limitation", LIMITATION);
            }
            if (block) {
                SourceBlocks.Outcome o = blocks.block(inst, hit.source, ctx.inventory(), ctx, why);
                o.plans().forEach(d::propose);
                if (o.whyNot() != null) d.fact("block-source", "not possible: " + o.whyNot());
            }
        }
        ctx.report(d);
    }
}
