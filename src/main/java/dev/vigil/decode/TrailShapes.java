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

    /** {@code source name} to the specs of requestParameters and responseElements (null: not read). */
    private static final Map<String, Obj[]> CALLS = new LinkedHashMap<>();
    /** The names in {@link #CALLS}, so that most calls are passed over without building a key. */
    private static final java.util.Set<String> NAMES = new java.util.HashSet<>();

    static {
        String ec2 = "ec2.amazonaws.com ";
        for (String n : new String[] {"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
                "RevokeSecurityGroupEgress"}) {
            CALLS.put(ec2 + n, new Obj[] {SG_CHANGE, SG_RULES});
        }
        Map<String, Spec> modify = new LinkedHashMap<>(MODIFY_BODY.fields());
        modify.put("ModifySecurityGroupRulesRequest", MODIFY_BODY);
        CALLS.put(ec2 + "ModifySecurityGroupRules", new Obj[] {new Obj(modify, false), null});
        CALLS.put(ec2 + "CreateSecurityGroup", new Obj[] {required(obj("groupName", TEXT, "vpcId", TEXT, "tagSpecificationSet", TAG_SPECS)),
                obj("groupId", TEXT)});
        CALLS.put(ec2 + "DeleteSecurityGroup", new Obj[] {required(obj("groupId", TEXT, "groupName", TEXT)), null});
        Obj tags = required(obj("tagSet", items(TAG), "resourcesSet", items(obj("resourceId", TEXT))));
        CALLS.put(ec2 + "CreateTags", new Obj[] {tags, null});
        CALLS.put(ec2 + "DeleteTags", new Obj[] {tags, null});
        CALLS.put(ec2 + "RunInstances", new Obj[] {obj("tagSpecificationSet", TAG_SPECS), obj("instancesSet", INSTANCES)});
        CALLS.put(ec2 + "TerminateInstances", new Obj[] {obj("instancesSet", INSTANCES), obj("instancesSet", INSTANCES)});
        String iam = "iam.amazonaws.com ";
        CALLS.put(iam + "CreateUser", new Obj[] {obj("userName", TEXT), obj("user", obj("userName", TEXT))});
        CALLS.put(iam + "CreateAccessKey", new Obj[] {obj("userName", TEXT), obj("accessKey", obj("userName", TEXT))});
        CALLS.put(iam + "AttachUserPolicy", new Obj[] {obj("userName", TEXT, "policyArn", TEXT), null});
    }

    static {
        for (String k : CALLS.keySet()) NAMES.add(k.substring(k.indexOf(' ') + 1));
    }

    /** The first field of a wrong shape, as one line ({@code requestParameters.ipPermissions.items[0]: ...}), or null. */
    static String check(CloudTrailCall c) {
        if (c.eventSource() == null || c.eventName() == null || !NAMES.contains(c.eventName())) return null;
        Obj[] specs = CALLS.get(c.eventSource() + " " + c.eventName());
        if (specs == null) return null;
        boolean failed = c.failed(); // a failed call changed nothing; CloudTrail may leave its parameters out
        String wrong = null;
        if (specs[0] != null && c.requestParameters() != null && !c.requestParameters().isMissingNode()) {
            wrong = check(c.requestParameters(), failed ? new Obj(specs[0].fields(), true) : specs[0], "requestParameters");
        }
        if (wrong == null && specs[1] != null && c.responseElements() != null && !c.responseElements().isMissingNode()) {
            wrong = check(c.responseElements(), specs[1], "responseElements");
        }
        return wrong == null ? null : c.eventName() + " with " + wrong + " (not as CloudTrail writes it: the rules read what they can)";
    }

    private static String check(JsonNode n, Spec spec, String path) {
        if (n == null || n.isMissingNode()) return null;
        return switch (spec) {
            case Text t -> n.isNull() || n.isTextual() ? null : path + " " + found(n) + ", not a string";
            case Scalar s -> n.isNull() || n.isTextual() || n.isNumber() ? null : path + " " + found(n) + ", not a string or number";
            case Bool b -> n.isNull() || n.isBoolean() || n.isTextual() ? null : path + " " + found(n) + ", not true or false";
            case Obj o -> {
                if (n.isNull() && o.nullable()) yield null;
                if (!n.isObject()) yield path + " " + found(n) + ", not an object";
                for (Map.Entry<String, Spec> f : o.fields().entrySet()) {
                    String w = check(n.get(f.getKey()), f.getValue(), path + "." + f.getKey());
                    if (w != null) yield w;
                }
                yield null;
            }
            case Items it -> {
                if (n.isNull()) yield null;
                JsonNode list = n;
                String at = path;
                if (n.isObject()) {
                    list = n.get("items");
                    at = path + ".items";
                    if (list == null) yield null; // {}: CloudTrail's empty collection
                }
                if (!list.isArray()) yield at + " " + found(list) + ", not a list";
                yield elements(list, it.item(), at);
            }
            case OneOrMany om -> n.isNull() ? null : n.isArray() ? elements(n, om.item(), path) : check(n, om.item(), path);
        };
    }

    private static String elements(JsonNode list, Spec item, String path) {
        int i = 0;
        for (JsonNode e : list) {
            String at = path + "[" + i++ + "]";
            if (e.isNull()) return at + " is null";
            String w = check(e, item instanceof Obj o ? new Obj(o.fields(), false) : item, at);
            if (w != null) return w;
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
