package dev.vigil.decode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.event.CloudTrailCall;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shapes of the CloudTrail fields that the bundled rules read (sg-guard, cloudtrail-audit, bastion-watch), as a
 * table of paths. The rules read leniently (a wrong shape reads as absent or as text, never throws); this check makes such a
 * record visible: one counted error naming the record and the first wrong path, and the call still goes to the rules.
 * Absent fields and null scalars are fine (CloudTrail leaves out what was not sent); a value of another type, a null
 * where the rules need an object, or a null item in a list is not.
 */
final class TrailShapes {
    private TrailShapes() {}

    /** What a value must be. */
    private sealed interface Spec {}

    /** A string (null allowed). */
    private record Text() implements Spec {}

    /** A string or a number (protocols, ports: CloudTrail writes both). */
    private record Scalar() implements Spec {}

    /** true/false, or its text. */
    private record Bool() implements Spec {}

    /** An object with these fields (others are not read); {@code nullable}: null reads as empty. */
    private record Obj(Map<String, Spec> fields, boolean nullable) implements Spec {}

    /** A CloudTrail collection: {@code {"items":[...]}}, {@code {}} or a plain list, of items of one spec. */
    private record Items(Spec item) implements Spec {}

    /** One object, or a list of them (ModifySecurityGroupRules' {@code SecurityGroupRule}). */
    private record OneOrMany(Spec item) implements Spec {}

    private static final Spec TEXT = new Text();
    private static final Spec SCALAR = new Scalar();
    private static final Spec BOOL = new Bool();

    private static Obj obj(Object... kv) {
        Map<String, Spec> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Spec) kv[i + 1]);
        return new Obj(m, true);
    }

    private static Obj required(Obj o) {
        return new Obj(o.fields(), false);
    }

    private static Items items(Spec s) {
        return new Items(s);
    }

    private static final Spec TAG = obj("key", TEXT, "value", TEXT);
    private static final Spec PERMISSION = obj("ipProtocol", SCALAR, "fromPort", SCALAR, "toPort", SCALAR,
            "ipRanges", items(obj("cidrIp", TEXT, "description", TEXT)),
            "ipv6Ranges", items(obj("cidrIpv6", TEXT, "description", TEXT)),
            "prefixListIds", items(obj("prefixListId", TEXT, "description", TEXT)),
            "groups", items(obj("groupId", TEXT, "groupName", TEXT, "userId", TEXT, "vpcId", TEXT, "vpcPeeringConnectionId", TEXT,
                    "description", TEXT)));
    private static final Obj SG_CHANGE = required(obj("groupId", TEXT, "groupName", TEXT, "ipPermissions", items(PERMISSION),
            "cidrIp", TEXT, "ipProtocol", SCALAR, "fromPort", SCALAR, "toPort", SCALAR, "sourceSecurityGroupName", TEXT,
            "sourceSecurityGroupOwnerId", TEXT));
    private static final Obj SG_RULES = obj("securityGroupRuleSet", items(obj("securityGroupRuleId", TEXT, "isEgress", BOOL,
            "cidrIpv4", TEXT, "cidrIpv6", TEXT)));
    private static final Obj MODIFY_BODY = obj("GroupId", TEXT, "groupId", TEXT, "SecurityGroupRule",
            new OneOrMany(obj("SecurityGroupRuleId", TEXT, "SecurityGroupRule", obj("CidrIpv4", TEXT, "CidrIpv6", TEXT))));
    private static final Spec TAG_SPECS = items(obj("resourceType", TEXT, "tags", items(TAG)));
    private static final Spec INSTANCES = items(obj("instanceId", TEXT, "tagSet", items(TAG), "launchTime", SCALAR));

    /** {@code source} to {@code name} to the specs of requestParameters and responseElements (null: not read). */
    private static final Map<String, Map<String, Obj[]>> CALLS = new LinkedHashMap<>();

    private static void call(String source, String name, Obj request, Obj response) {
        CALLS.computeIfAbsent(source, x -> new java.util.HashMap<>()).put(name, new Obj[] {request, response});
    }

    static {
        String ec2 = "ec2.amazonaws.com";
        for (String n : new String[] {"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
                "RevokeSecurityGroupEgress"}) {
            call(ec2, n, SG_CHANGE, SG_RULES);
        }
        Map<String, Spec> modify = new LinkedHashMap<>(MODIFY_BODY.fields());
        modify.put("ModifySecurityGroupRulesRequest", MODIFY_BODY);
        call(ec2, "ModifySecurityGroupRules", new Obj(modify, false), null);
        call(ec2, "CreateSecurityGroup", required(obj("groupName", TEXT, "vpcId", TEXT, "tagSpecificationSet", TAG_SPECS)), obj("groupId", TEXT));
        call(ec2, "DeleteSecurityGroup", required(obj("groupId", TEXT, "groupName", TEXT)), null);
        Obj tags = required(obj("tagSet", items(TAG), "resourcesSet", items(obj("resourceId", TEXT))));
        call(ec2, "CreateTags", tags, null);
        call(ec2, "DeleteTags", tags, null);
        call(ec2, "RunInstances", obj("tagSpecificationSet", TAG_SPECS), obj("instancesSet", INSTANCES));
        call(ec2, "TerminateInstances", obj("instancesSet", INSTANCES), obj("instancesSet", INSTANCES));
        String iam = "iam.amazonaws.com";
        call(iam, "CreateUser", obj("userName", TEXT), obj("user", obj("userName", TEXT)));
        call(iam, "CreateAccessKey", obj("userName", TEXT), obj("accessKey", obj("userName", TEXT)));
        call(iam, "AttachUserPolicy", obj("userName", TEXT, "policyArn", TEXT), null);
    }

    /**
     * The first field of a wrong shape, as one line ({@code requestParameters.ipPermissions.items[0]: ...}), or null.
     * Its path is put together only for a record that has one ({@link Wrong}): most records pass.
     */
    static String check(CloudTrailCall c) {
        if (c.eventSource() == null || c.eventName() == null) return null;
        Map<String, Obj[]> names = CALLS.get(c.eventSource());
        Obj[] specs = names == null ? null : names.get(c.eventName());
        if (specs == null) return null;
        boolean failed = c.failed(); // a failed call changed nothing; CloudTrail may leave its parameters out
        String wrong = null;
        if (specs[0] != null && c.requestParameters() != null && !c.requestParameters().isMissingNode()) {
            Wrong w = check(c.requestParameters(), failed ? new Obj(specs[0].fields(), true) : specs[0]);
            if (w != null) wrong = w.text("requestParameters");
        }
        if (wrong == null && specs[1] != null && c.responseElements() != null && !c.responseElements().isMissingNode()) {
            Wrong w = check(c.responseElements(), specs[1]);
            if (w != null) wrong = w.text("responseElements");
        }
        return wrong == null ? null : c.eventName() + " with " + wrong + " (not as CloudTrail writes it: the rules read what they can)";
    }

    /** A wrong shape found: what is wrong, and the path to it, gathered innermost first as the check returns. */
    private static final class Wrong {
        private final String what;
        private final java.util.ArrayList<String> path = new java.util.ArrayList<>();

        Wrong(String what) {
            this.what = what;
        }

        Wrong at(String step) {
            path.add(step);
            return this;
        }

        String text(String root) {
            StringBuilder b = new StringBuilder(root);
            for (int i = path.size() - 1; i >= 0; i--) b.append(path.get(i));
            return b.append(what).toString();
        }
    }

    private static Wrong check(JsonNode n, Spec spec) {
        if (n == null || n.isMissingNode()) return null;
        return switch (spec) {
            case Text t -> n.isNull() || n.isTextual() ? null : new Wrong(" " + found(n) + ", not a string");
            case Scalar s -> n.isNull() || n.isTextual() || n.isNumber() ? null : new Wrong(" " + found(n) + ", not a string or number");
            case Bool b -> n.isNull() || n.isBoolean() || n.isTextual() ? null : new Wrong(" " + found(n) + ", not true or false");
            case Obj o -> {
                if (n.isNull() && o.nullable()) yield null;
                if (!n.isObject()) yield new Wrong(" " + found(n) + ", not an object");
                for (Map.Entry<String, Spec> f : o.fields().entrySet()) {
                    Wrong w = check(n.get(f.getKey()), f.getValue());
                    if (w != null) yield w.at("." + f.getKey());
                }
                yield null;
            }
            case Items it -> {
                if (n.isNull()) yield null;
                JsonNode list = n;
                if (n.isObject()) {
                    list = n.get("items");
                    if (list == null) yield null; // {}: CloudTrail's empty collection
                }
                Wrong w = list.isArray() ? elements(list, it.item()) : new Wrong(" " + found(list) + ", not a list");
                yield w != null && n.isObject() ? w.at(".items") : w;
            }
            case OneOrMany om -> n.isNull() ? null : n.isArray() ? elements(n, om.item()) : check(n, om.item());
        };
    }

    private static Wrong elements(JsonNode list, Spec item) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            // a null item is wrong whatever its spec, so an object item is checked as required without saying so
            if (e.isNull()) return new Wrong(" is null").at("[" + i + "]");
            Wrong w = check(e, item);
            if (w != null) return w.at("[" + i + "]");
        }
        return null;
    }

    private static String found(JsonNode n) {
        if (n.isNull()) return "is null";
        if (n.isTextual()) return "is a string";
        if (n.isNumber()) return "is a number";
        if (n.isBoolean()) return "is a boolean";
        if (n.isArray()) return "is a list";
        if (n.isObject()) return "is an object";
        return "is " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
