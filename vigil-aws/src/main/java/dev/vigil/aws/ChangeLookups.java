package dev.vigil.aws;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.response.ChangeCheck;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;

/**
 * Interrupted means unknown: for an action whose call the process did not see answered, a look-up per action type
 * tells whether its change is in place. The step that takes effect (the last of a plan) is looked up: a revoked rule
 * is gone from its group; an interface has exactly the isolation group; a subnet is on the quarantine ACL (the one
 * named, or one tagged as the plan creates it); a deny entry is at its rule number. Anything else, or a look-up that
 * fails, is {@link ChangeCheck.Unknown}: held and reported, never taken for done.
 */
final class ChangeLookups {
    private ChangeLookups() {}

    @SuppressWarnings("unchecked")
    static ChangeCheck check(Ec2Client ec2, ActionPlan plan) {
        List<Map<String, Object>> steps;
        Object s = plan.params().get("Steps");
        if (s instanceof List<?> l && !l.isEmpty()) steps = (List<Map<String, Object>>) l;
        else if (plan.params().get("Action") != null) steps = List.of(plan.params());
        else return new ChangeCheck.Unknown("no steps in the plan");
        Map<String, Object> last = steps.get(steps.size() - 1);
        String action = String.valueOf(last.get("Action"));
        try {
            return switch (action) {
                case "RevokeSecurityGroupIngress" -> ruleGone(ec2, last);
                case "CreateNetworkAclEntry" -> entryThere(ec2, last);
                case "ModifyNetworkInterfaceAttribute" -> interfaceIsolated(ec2, last, steps);
                case "ReplaceNetworkAclAssociation" -> subnetQuarantined(ec2, plan.target(), last, steps);
                default -> new ChangeCheck.Unknown("no look-up for " + action);
            };
        } catch (SdkException e) {
            return new ChangeCheck.Unknown("the look-up failed: " + Ec2Errors.oneLine(e.getMessage()));
        } catch (RuntimeException e) {
            return new ChangeCheck.Unknown("the look-up failed: " + Ec2Errors.oneLine(e.toString()));
        }
    }

    private static List<String> strings(Object v) {
        if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return v == null ? List.of() : List.of(String.valueOf(v));
    }

    private static ChangeCheck ruleGone(Ec2Client ec2, Map<String, Object> step) {
        List<String> ids = strings(step.get("SecurityGroupRuleId"));
        Object group = step.get("GroupId");
        if (ids.isEmpty() || group == null) return new ChangeCheck.Unknown("the revoke names no rule id and group");
        Set<String> there = new HashSet<>();
        ec2.describeSecurityGroupRulesPaginator(b -> b.filters(Filter.builder().name("group-id").values(String.valueOf(group)).build()))
                .securityGroupRules().forEach(r -> there.add(r.securityGroupRuleId()));
        List<String> left = ids.stream().filter(there::contains).toList();
        return left.isEmpty() ? new ChangeCheck.InPlace("rule(s) " + String.join(", ", ids) + " gone from " + group)
                : new ChangeCheck.NotInPlace("rule(s) " + String.join(", ", left) + " still on " + group);
    }

    private static ChangeCheck entryThere(Ec2Client ec2, Map<String, Object> step) {
        Map<String, Object> params = new LinkedHashMap<>(step);
        params.remove("Action");
        AclEntry want = AclEntry.read(new PlanParams(params, "CreateNetworkAclEntry"));
        Optional<NetworkAclEntry> there = NetworkAclCalls.entryAt(ec2, want.acl(), want.rule(), want.egress());
        if (there.isEmpty()) return new ChangeCheck.NotInPlace("no entry at rule " + want.rule() + " of " + want.acl());
        if (want.sameAs(there.get())) return new ChangeCheck.InPlace(want.describe() + " is there");
        return new ChangeCheck.Unknown("rule " + want.rule() + " of " + want.acl() + " holds a different entry (" + AclEntry.describe(there.get()) + ")");
    }

    private static ChangeCheck interfaceIsolated(Ec2Client ec2, Map<String, Object> step, List<Map<String, Object>> steps) {
        String eni = String.valueOf(step.get("NetworkInterfaceId"));
        List<String> want = strings(step.get("SecurityGroupId"));
        var found = ec2.describeNetworkInterfaces(b -> b.networkInterfaceIds(eni)).networkInterfaces();
        if (found.isEmpty()) return new ChangeCheck.Unknown(eni + " not found");
        List<GroupIdentifier> groups = found.get(0).groups();
        String seen = eni + " has " + groups.stream().map(GroupIdentifier::groupId).toList();
        if (want.contains(Placeholders.CREATED)) { // the isolation group the plan creates: known by its name
            String name = steps.stream().filter(x -> "CreateSecurityGroup".equals(x.get("Action"))).map(x -> String.valueOf(x.get("GroupName")))
                    .findFirst().orElse(null);
            if (name == null) return new ChangeCheck.Unknown("the plan creates no group to look for");
            boolean isolated = groups.size() == 1 && name.equals(groups.get(0).groupName());
            return isolated ? new ChangeCheck.InPlace(seen + " (" + name + ")") : new ChangeCheck.NotInPlace(seen);
        }
        boolean isolated = new HashSet<>(groups.stream().map(GroupIdentifier::groupId).toList()).equals(new HashSet<>(want));
        return isolated ? new ChangeCheck.InPlace(seen) : new ChangeCheck.NotInPlace(seen);
    }

    @SuppressWarnings("unchecked")
    private static ChangeCheck subnetQuarantined(Ec2Client ec2, String subnet, Map<String, Object> step, List<Map<String, Object>> steps) {
        Optional<NetworkAclAssociation> a = NetworkAclCalls.associationOf(ec2, subnet);
        if (a.isEmpty()) return new ChangeCheck.Unknown("no network ACL association found for " + subnet);
        String acl = a.get().networkAclId();
        String want = String.valueOf(step.get("NetworkAclId"));
        if (!Placeholders.CREATED.equals(want)) {
            return acl.equals(want) ? new ChangeCheck.InPlace(subnet + " is on " + acl) : new ChangeCheck.NotInPlace(subnet + " is on " + acl);
        }
        // the ACL the plan creates: known by the tags it is created with
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map<String, Object> x : steps) {
            if (!"CreateNetworkAcl".equals(x.get("Action")) || !(x.get("TagSpecification") instanceof List<?> specs)) continue;
            for (Object spec : specs) {
                if (spec instanceof Map<?, ?> m && m.get("Tag") instanceof List<?> ts) {
                    for (Object t : ts) if (t instanceof Map<?, ?> tm) tags.put(String.valueOf(tm.get("Key")), String.valueOf(tm.get("Value")));
                }
            }
        }
        if (tags.isEmpty()) return new ChangeCheck.Unknown("the plan's quarantine ACL carries no tags to look for");
        var found = ec2.describeNetworkAcls(b -> b.networkAclIds(acl)).networkAcls();
        Map<String, String> has = new LinkedHashMap<>();
        if (!found.isEmpty()) found.get(0).tags().forEach(t -> has.put(t.key(), t.value()));
        boolean quarantined = tags.entrySet().stream().allMatch(e -> e.getValue().equals(has.get(e.getKey())));
        return quarantined ? new ChangeCheck.InPlace(subnet + " is on quarantine ACL " + acl) : new ChangeCheck.NotInPlace(subnet + " is on " + acl);
    }
}
