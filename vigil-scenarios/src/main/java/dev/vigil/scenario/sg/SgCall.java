package dev.vigil.scenario.sg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.event.CloudTrailCall;
import java.util.ArrayList;
import java.util.List;

/**
 * A security-group call read from CloudTrail's {@code requestParameters} / {@code responseElements}: which group,
 * which permissions (the items form, or the legacy flat form), and the rule ids EC2 gave the new rules.
 */
record SgCall(String groupId, String groupName, boolean egress, List<Permission> permissions, List<RuleRef> rules) {

    /** A rule EC2 created, as {@code responseElements.securityGroupRuleSet} lists it. */
    record RuleRef(String id, boolean egress, String cidrV4, String cidrV6) {
        boolean world() {
            return Permission.world(cidrV4) || Permission.world(cidrV6);
        }
    }

    SgCall {
        permissions = List.copyOf(permissions);
        rules = List.copyOf(rules);
    }

    static SgCall of(CloudTrailCall c) {
        JsonNode req = c.requestParameters();
        boolean egress = c.eventName().endsWith("Egress");
        String groupId = text(req, "groupId");
        String groupName = text(req, "groupName");
        List<Permission> perms = new ArrayList<>();
        // an item that is no object (null, a number: not as CloudTrail writes it) is no permission; the decoder reports it
        for (JsonNode item : items(req.path("ipPermissions"))) if (item.isObject()) perms.add(permission(item));
        if (perms.isEmpty() && (req.has("ipProtocol") || req.has("cidrIp") || req.has("sourceSecurityGroupName"))) {
            perms.add(legacy(req));
        }
        List<RuleRef> rules = new ArrayList<>();
        for (JsonNode r : items(c.responseElements().path("securityGroupRuleSet"))) {
            String id = text(r, "securityGroupRuleId");
            if (id != null) rules.add(new RuleRef(id, r.path("isEgress").asBoolean(egress), text(r, "cidrIpv4"), text(r, "cidrIpv6")));
        }
        return new SgCall(groupId, groupName, egress, perms, rules);
    }

    private static Permission permission(JsonNode n) {
        List<Permission.Peer> v4 = new ArrayList<>();
        for (JsonNode r : items(n.path("ipRanges"))) v4.add(new Permission.Peer(text(r, "cidrIp"), text(r, "description")));
        List<Permission.Peer> v6 = new ArrayList<>();
        for (JsonNode r : items(n.path("ipv6Ranges"))) v6.add(new Permission.Peer(text(r, "cidrIpv6"), text(r, "description")));
        List<Permission.Peer> pl = new ArrayList<>();
        for (JsonNode r : items(n.path("prefixListIds"))) pl.add(new Permission.Peer(text(r, "prefixListId"), text(r, "description")));
        List<Permission.GroupPair> groups = new ArrayList<>();
        for (JsonNode g : items(n.path("groups"))) {
            groups.add(new Permission.GroupPair(text(g, "groupId"), text(g, "groupName"), text(g, "userId"), text(g, "vpcId"),
                    text(g, "vpcPeeringConnectionId"), text(g, "description")));
        }
        return new Permission(protocol(text(n, "ipProtocol")), integer(n, "fromPort"), integer(n, "toPort"), v4, v6, pl, groups);
    }

    /** The legacy flat form: {@code cidrIp, fromPort, toPort, ipProtocol, sourceSecurityGroupName/OwnerId}. */
    private static Permission legacy(JsonNode n) {
        List<Permission.Peer> v4 = new ArrayList<>();
        if (text(n, "cidrIp") != null) v4.add(new Permission.Peer(text(n, "cidrIp"), null));
        List<Permission.GroupPair> groups = new ArrayList<>();
        if (text(n, "sourceSecurityGroupName") != null) {
            groups.add(new Permission.GroupPair(null, text(n, "sourceSecurityGroupName"), text(n, "sourceSecurityGroupOwnerId"), null, null, null));
        }
        String protocol = text(n, "ipProtocol");
        return new Permission(protocol(protocol == null ? "-1" : protocol), integer(n, "fromPort"), integer(n, "toPort"), v4, List.of(),
                List.of(), groups);
    }

    private static String protocol(String p) {
        return p == null ? "-1" : p;
    }

    /** CloudTrail writes an empty collection as {@code {}} and a full one as {@code {"items":[...]}}. */
    static Iterable<JsonNode> items(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return List.of();
        if (n.isArray()) return n;
        JsonNode items = n.path("items");
        return items.isArray() ? items : List.of();
    }

    static String text(JsonNode n, String f) {
        JsonNode v = n == null ? null : n.get(f);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static Integer integer(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull() || v.isContainerNode()) return null;
        if (v.isNumber()) return v.asInt();
        try {
            return Integer.parseInt(v.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
