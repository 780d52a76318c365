package dev.vigil.scenario.ssh;

import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.SubnetId;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.inventory.NetworkAclInfo;
import dev.vigil.core.inventory.NetworkInterfaceInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code block-source} response, like fail2ban's ban: an inbound deny entry for the source's /32 (or /128) in
 * the network ACL of each subnet the instance uses (CreateNetworkAclEntry, RuleAction deny, at a rule number vigil
 * manages, below the usual allow rules), removed after the ban time by an {@code unblock-source}
 * (DeleteNetworkAclEntry) that a durable timer proposes. Network ACLs are stateless: unlike a security-group swap,
 * a deny entry also cuts the source's connections already open.
 */
final class SourceBlocks {
    static final String BLOCK = "block-source";
    static final String UNBLOCK = "unblock-source";
    static final String TIMER_PREFIX = "unban:";

    private final SshSettings settings;
    /** Active bans by ACL, then CIDR: which rule number each holds. */
    private final Map<String, Map<String, Ban>> bans = new HashMap<>();

    SourceBlocks(SshSettings settings) {
        this.settings = settings;
    }

    record Ban(String acl, String cidr, int ruleNumber, long start, long until) {}

    /** Plans, or why there are none. */
    record Outcome(List<ActionPlan> plans, String whyNot) {}

    Outcome block(InstanceId instance, String source, Inventory inventory, DetectorContext ctx, String why) {
        String cidr = SourceAddress.cidr(source);
        if (cidr == null) return new Outcome(List.of(), "source '" + source + "' is not a literal IP address (host names and odd forms are not blocked)");
        if (instance == null) return new Outcome(List.of(), "no instance id, so no subnet to protect");
        Optional<InstanceInfo> info = inventory.instance(instance);
        if (info.isEmpty()) return new Outcome(List.of(), instance + " is not in the inventory: its subnets' network ACLs are unknown");
        Set<SubnetId> subnets = new LinkedHashSet<>();
        if (info.get().subnet() != null) subnets.add(info.get().subnet());
        for (NetworkInterfaceInfo n : info.get().interfaces()) if (n.subnet() != null) subnets.add(n.subnet());
        List<ActionPlan> plans = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long now = ctx.now().toEpochMilli();
        for (SubnetId subnet : subnets) {
            Optional<NetworkAclInfo> acl = inventory.aclOf(subnet);
            if (acl.isEmpty()) {
                problems.add("the network ACL of " + subnet + " is not in the inventory");
                continue;
            }
            String aclId = acl.get().id().value();
            Map<String, Ban> active = bans.computeIfAbsent(aclId, k -> new LinkedHashMap<>());
            Ban ban = active.get(cidr);
            if (ban == null || ban.until <= now) {
                int rule = freeRule(acl.get(), active);
                if (rule < 0) {
                    problems.add("no free rule number in " + settings.ruleLow() + "-" + settings.ruleHigh() + " of " + aclId);
                    continue;
                }
                ban = new Ban(aclId, cidr, rule, now, now + settings.banTime().toMillis());
                active.put(cidr, ban);
                ctx.schedule(TIMER_PREFIX + aclId + ":" + cidr, Instant.ofEpochMilli(ban.until), Map.of(
                        "acl", aclId, "cidr", cidr, "rule", String.valueOf(rule), "start", String.valueOf(ban.start),
                        "instance", instance.value()));
            }
            plans.add(plan(ban, subnet, instance, why));
        }
        return new Outcome(plans, plans.isEmpty() ? String.join("; ", problems) : null);
    }

    private int freeRule(NetworkAclInfo acl, Map<String, Ban> active) {
        Set<Integer> used = new HashSet<>();
        for (NetworkAclInfo.Entry e : acl.entries()) if (!e.egress()) used.add(e.ruleNumber());
        for (Ban b : active.values()) used.add(b.ruleNumber);
        for (int r = settings.ruleLow(); r <= settings.ruleHigh(); r++) if (!used.contains(r)) return r;
        return -1;
    }

    private ActionPlan plan(Ban ban, SubnetId subnet, InstanceId instance, String why) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("Action", "CreateNetworkAclEntry");
        params.put("NetworkAclId", ban.acl);
        params.put("RuleNumber", ban.ruleNumber);
        params.put("Protocol", "-1");
        params.put("RuleAction", "deny");
        params.put("Egress", false);
        params.put(SourceAddress.isV6(ban.cidr) ? "Ipv6CidrBlock" : "CidrBlock", ban.cidr);
        return new ActionPlan(BLOCK, ban.acl, params,
                "deny all inbound traffic from " + ban.cidr + " in " + ban.acl + " (subnet " + subnet + " of " + instance + ") at rule "
                        + ban.ruleNumber + " for " + SshSettings.human(settings.banTime()) + " (" + why + ")",
                BLOCK + ":" + ban.acl + ":" + ban.cidr + ":" + ban.start, true, delete(ban.acl, ban.ruleNumber));
    }

    /** The unblock plan for an expired ban timer, or null when the timer is not a ban. */
    ActionPlan expire(Timer timer) {
        Map<String, String> d = timer.data();
        String acl = d.get("acl");
        String cidr = d.get("cidr");
        if (acl == null || cidr == null || d.get("rule") == null) return null;
        Map<String, Ban> active = bans.get(acl);
        if (active != null) {
            active.remove(cidr);
            if (active.isEmpty()) bans.remove(acl);
        }
        int rule = Integer.parseInt(d.get("rule"));
        Map<String, Object> undo = new LinkedHashMap<>();
        undo.put("Action", "CreateNetworkAclEntry");
        undo.put("NetworkAclId", acl);
        undo.put("RuleNumber", rule);
        undo.put("Protocol", "-1");
        undo.put("RuleAction", "deny");
        undo.put("Egress", false);
        undo.put(SourceAddress.isV6(cidr) ? "Ipv6CidrBlock" : "CidrBlock", cidr);
        return new ActionPlan(UNBLOCK, acl, delete(acl, rule), "remove the deny entry for " + cidr + " (rule " + rule + ") from " + acl
                + ": ban time over", UNBLOCK + ":" + acl + ":" + cidr + ":" + d.getOrDefault("start", ""), true, undo);
    }

    private static Map<String, Object> delete(String acl, int rule) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Action", "DeleteNetworkAclEntry");
        p.put("NetworkAclId", acl);
        p.put("RuleNumber", rule);
        p.put("Egress", false);
        return p;
    }

    int activeBans() {
        return bans.values().stream().mapToInt(Map::size).sum();
    }
}
