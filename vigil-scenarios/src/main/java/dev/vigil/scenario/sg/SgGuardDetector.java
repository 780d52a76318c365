package dev.vigil.scenario.sg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Interest;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.finding.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The security group guard's rules over CloudTrail calls. */
final class SgGuardDetector implements Detector {
    private static final String EC2 = "ec2.amazonaws.com";
    private static final Interest INTEREST = Interest.of(Set.of(CloudTrailCall.class), Set.of(
            "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress",
            "ModifySecurityGroupRules", "CreateSecurityGroup", "DeleteSecurityGroup", "CreateTags", "DeleteTags"));

    private final SgGuard.Settings settings;

    SgGuardDetector(SgGuard.Settings settings) {
        this.settings = settings;
    }

    @Override
    public Interest interest() {
        return INTEREST;
    }

    @Override
    public void onEvent(SecurityEvent event, DetectorContext ctx) {
        if (!(event instanceof CloudTrailCall c) || !EC2.equals(c.eventSource())) return;
        switch (c.eventName()) {
            case "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress" -> authorize(c, ctx);
            case "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress" -> revoked(c, ctx);
            case "ModifySecurityGroupRules" -> modified(c, ctx);
            case "CreateSecurityGroup" -> created(c);
            case "DeleteSecurityGroup" -> deleted(c, ctx);
            case "CreateTags", "DeleteTags" -> tagged(c);
            default -> { }
        }
    }

    private void authorize(CloudTrailCall c, DetectorContext ctx) {
        SgCall call = SgCall.of(c);
        String group = call.groupId() != null ? call.groupId() : call.groupName();
        if (group == null) return;
        String why = settings.protection().reason(call.groupId(), call.groupName(), ctx.inventory());
        List<String> words = new ArrayList<>();
        call.permissions().forEach(p -> words.addAll(p.plainWords(call.egress())));
        String who = c.principal().display() + (c.sourceIp() == null ? "" : " from " + c.sourceIp());
        String direction = call.egress() ? "egress" : "ingress";
        if (why != null) {
            FindingDraft d = draft(SgGuard.INGRESS_CHANGED, settings.changed(), c, group, who, direction, words, why);
            d.summary((c.failed() ? "attempt (failed: " + c.errorCode() + ") by " + who + " to add " : who + " added ") + direction
                    + " to protected group " + group + ": " + String.join("; ", words));
            if (c.failed()) {
                d.noAction("the call failed (" + c.errorCode() + "): nothing was added, nothing to revoke");
            } else {
                d.propose(revoke(call, group, c, call.egress() ? SgGuard.REVOKE_EGRESS : SgGuard.REVOKE_INGRESS, call.permissions(), call.rules()));
            }
            ctx.report(d);
        }
        if (call.egress()) return;
        List<Permission> open = call.permissions().stream().filter(Permission::openToWorld).toList();
        if (open.isEmpty()) return;
        List<String> openWords = new ArrayList<>();
        open.forEach(p -> openWords.addAll(p.worldOnly().plainWords(false)));
        FindingDraft d = draft(SgGuard.OPEN_TO_WORLD, severity(open), c, group, who, direction, openWords, why);
        d.summary((c.failed() ? "attempt (failed: " + c.errorCode() + ") by " + who + " to open " : who + " opened ") + group
                + " to the world: " + String.join("; ", openWords));
        if (c.failed()) {
            d.noAction("the call failed (" + c.errorCode() + "): the group was not opened");
        } else {
            List<SgCall.RuleRef> worldRules = call.rules().stream().filter(SgCall.RuleRef::world).toList();
            // rule ids only when every world-open range has one; else the exact world-only permissions
            long ranges = open.stream().mapToLong(p -> p.worldV4().size() + p.worldV6().size()).sum();
            List<SgCall.RuleRef> byId = worldRules.size() == ranges ? worldRules : List.of();
            d.propose(revoke(call, group, c, SgGuard.REVOKE_WORLD_OPEN, open.stream().map(Permission::worldOnly).toList(), byId));
        }
        ctx.report(d);
    }

    private Severity severity(List<Permission> open) {
        Severity s = settings.other();
        for (Permission p : open) {
            if (p.allPorts()) s = max(s, settings.allPorts());
            else if (settings.sensitivePorts().stream().anyMatch(p::covers)) s = max(s, settings.sensitive());
        }
        return s;
    }

    private static Severity max(Severity a, Severity b) {
        return a.atLeast(b) ? a : b;
    }

    private static FindingDraft draft(String rule, Severity sev, CloudTrailCall c, String group, String who, String direction,
                                      List<String> words, String why) {
        return FindingDraft.of(rule, sev).from(c).resource(group).source(c.sourceIp())
                .fact("who", c.principal().display()).fact("source-ip", c.sourceIp()).fact("call", c.eventName())
                .fact("group", group).fact("direction", direction).fact("what", String.join("; ", words)).fact("protected", why)
                .fact("error", c.errorCode());
    }

    /**
     * The exact inverse: the rule ids EC2 created when CloudTrail lists them (nothing else can be hit), else the
     * permissions as they were sent. Undo is the matching Authorize call.
     */
    private static ActionPlan revoke(SgCall call, String group, CloudTrailCall c, String type, List<Permission> perms, List<SgCall.RuleRef> ids) {
        boolean egress = call.egress();
        String action = egress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress";
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("Action", action);
        if (call.groupId() != null) params.put("GroupId", call.groupId());
        else params.put("GroupName", call.groupName());
        List<Map<String, Object>> api = perms.stream().map(Permission::toApi).toList();
        if (!ids.isEmpty()) params.put("SecurityGroupRuleId", ids.stream().map(SgCall.RuleRef::id).toList());
        else params.put("IpPermissions", api);
        Map<String, Object> undo = new LinkedHashMap<>();
        undo.put("Action", egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress");
        if (call.groupId() != null) undo.put("GroupId", call.groupId());
        else undo.put("GroupName", call.groupName());
        undo.put("IpPermissions", api);
        List<String> words = new ArrayList<>();
        perms.forEach(p -> words.addAll(p.plainWords(egress)));
        String detail = "revoke " + (ids.isEmpty() ? "" : "rule(s) " + String.join(", ", ids.stream().map(SgCall.RuleRef::id).toList()) + ": ")
                + String.join("; ", words) + " on " + group;
        String key = type + ":" + group + ":" + (c.id() != null ? c.id() : api.toString());
        return new ActionPlan(type, group, params, detail, key, true, undo);
    }

    private void revoked(CloudTrailCall c, DetectorContext ctx) {
        SgCall call = SgCall.of(c);
        String why = settings.protection().reason(call.groupId(), call.groupName(), ctx.inventory());
        if (!settings.reportRemovals() || why == null || c.failed()) return;
        String group = call.groupId() != null ? call.groupId() : call.groupName();
        List<String> words = new ArrayList<>();
        call.permissions().forEach(p -> words.addAll(p.plainWords(call.egress())));
        String who = c.principal().display() + (c.sourceIp() == null ? "" : " from " + c.sourceIp());
        ctx.report(draft(SgGuard.INGRESS_CHANGED, Severity.MEDIUM, c, group, who, call.egress() ? "egress" : "ingress", words, why)
                .summary(who + " removed " + (words.isEmpty() ? "rules" : String.join("; ", words)) + " from protected group " + group)
                .noAction("a rule removed from a protected group is reported, not put back"));
    }

    private void modified(CloudTrailCall c, DetectorContext ctx) {
        JsonNode req = c.requestParameters();
        JsonNode body = req.has("ModifySecurityGroupRulesRequest") ? req.get("ModifySecurityGroupRulesRequest") : req;
        String group = SgCall.text(body, "GroupId");
        if (group == null) group = SgCall.text(body, "groupId");
        if (group == null) return;
        String why = settings.protection().reason(group, null, ctx.inventory());
        String who = c.principal().display() + (c.sourceIp() == null ? "" : " from " + c.sourceIp());
        List<String> worldIds = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode r : rulesOf(body)) {
            String id = SgCall.text(r, "SecurityGroupRuleId");
            JsonNode rule = r.path("SecurityGroupRule");
            if (id != null) ids.add(id);
            if (id != null && (Permission.world(SgCall.text(rule, "CidrIpv4")) || Permission.world(SgCall.text(rule, "CidrIpv6")))) worldIds.add(id);
        }
        if (why != null) {
            ctx.report(draft(SgGuard.INGRESS_CHANGED, settings.changed(), c, group, who, "ingress", ids, why)
                    .summary(who + " modified rule(s) " + String.join(", ", ids) + " of protected group " + group)
                    .noAction(c.failed() ? "the call failed (" + c.errorCode() + ")" : "CloudTrail does not record a modified rule's previous form: revert it by hand"));
        }
        if (!worldIds.isEmpty()) {
            FindingDraft d = draft(SgGuard.OPEN_TO_WORLD, settings.sensitive(), c, group, who, "ingress", worldIds, why)
                    .summary(who + " modified rule(s) " + String.join(", ", worldIds) + " of " + group + " to allow the whole internet");
            if (c.failed()) {
                d.noAction("the call failed (" + c.errorCode() + ")");
            } else {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("Action", "RevokeSecurityGroupIngress");
                params.put("GroupId", group);
                params.put("SecurityGroupRuleId", worldIds);
                d.propose(new ActionPlan(SgGuard.REVOKE_WORLD_OPEN, group, params, "revoke rule(s) " + String.join(", ", worldIds) + " on " + group,
                        SgGuard.REVOKE_WORLD_OPEN + ":" + group + ":" + c.id(), true, Map.of()));
            }
            ctx.report(d);
        }
    }

    private static List<JsonNode> rulesOf(JsonNode body) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode r = body.path("SecurityGroupRule");
        if (r.isArray()) r.forEach(out::add);
        else if (r.isObject()) out.add(r);
        return out;
    }

    private void created(CloudTrailCall c) {
        if (c.failed()) return;
        JsonNode req = c.requestParameters();
        String id = SgCall.text(c.responseElements(), "groupId");
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode spec : SgCall.items(req.path("tagSpecificationSet"))) {
            for (JsonNode t : SgCall.items(spec.path("tags"))) {
                if (SgCall.text(t, "key") != null) tags.put(SgCall.text(t, "key"), String.valueOf(SgCall.text(t, "value")));
            }
        }
        settings.protection().learnGroup(id, SgCall.text(req, "groupName"), SgCall.text(req, "vpcId"), tags);
    }

    private void deleted(CloudTrailCall c, DetectorContext ctx) {
        String id = SgCall.text(c.requestParameters(), "groupId");
        String name = SgCall.text(c.requestParameters(), "groupName");
        String why = settings.protection().reason(id, name, ctx.inventory());
        String group = id != null ? id : name;
        if (why != null && group != null) {
            String who = c.principal().display() + (c.sourceIp() == null ? "" : " from " + c.sourceIp());
            ctx.report(draft(SgGuard.INGRESS_CHANGED, settings.changed(), c, group, who, "ingress", List.of(), why)
                    .summary((c.failed() ? "attempt (failed: " + c.errorCode() + ") by " : "") + who + " to delete protected group " + group)
                    .noAction(c.failed() ? "the call failed (" + c.errorCode() + ")" : "a deleted group cannot be revoked; recreate it by hand"));
        }
        if (!c.failed() && id != null) settings.protection().forget(id);
    }

    private void tagged(CloudTrailCall c) {
        if (c.failed()) return;
        JsonNode req = c.requestParameters();
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode t : SgCall.items(req.path("tagSet"))) {
            if (SgCall.text(t, "key") != null) tags.put(SgCall.text(t, "key"), String.valueOf(SgCall.text(t, "value")));
        }
        for (JsonNode r : SgCall.items(req.path("resourcesSet"))) {
            String id = SgCall.text(r, "resourceId");
            if (id != null && id.startsWith("sg-")) settings.protection().learnTags(id, tags, "DeleteTags".equals(c.eventName()));
        }
    }
}
