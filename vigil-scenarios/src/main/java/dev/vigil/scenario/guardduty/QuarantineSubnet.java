package dev.vigil.scenario.guardduty;

import dev.vigil.core.event.SubnetId;
import dev.vigil.core.event.VpcId;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.inventory.NetworkAclInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code quarantine-subnet} response for one subnet: find vigil's quarantine network ACL in the subnet's VPC
 * (tagged {@code vigil:quarantine=true} and, checked entry by entry, allowing nothing), or create it; then move the
 * subnet's association to it with ReplaceNetworkAclAssociation. Undo moves the association back to the previous ACL.
 *
 * <p>Exactly-once, in two layers. The plan's idempotency key is {@code quarantine-subnet:<subnet>}: the responder
 * claims it in the ledger before anything is called, so of two findings for one subnet handled at the same moment
 * only one runs the steps and the other is {@code already-applied}. Two findings for different subnets of one VPC
 * both plan CreateNetworkAcl while the inventory shows no quarantine ACL yet; their CreateNetworkAcl carries the same
 * {@code ClientToken} (derived from the VPC), so EC2 itself returns the first ACL to the second call instead of
 * creating another.
 */
final class QuarantineSubnet {
    static final String TYPE = "quarantine-subnet";
    static final String TAG_KEY = "vigil:quarantine";
    static final String TAG_VALUE = "true";
    static final String ACL_NAME = "vigil-quarantine";
    /** Placeholder for the id CreateNetworkAcl returns in the step before. */
    static final String CREATED = "(created)";
    static final String NEW_ASSOCIATION = "(NewAssociationId returned by the quarantine step)";

    /** The plan for one subnet, or why there is none. */
    record SubnetPlan(SubnetId subnet, ActionPlan plan, String note) {}

    private QuarantineSubnet() {}

    /**
     * @param vpcHint the VPC the finding or the inventory gives for the subnet; may be null
     * @param collateral what else the change cuts off, for the plan's detail
     */
    static SubnetPlan plan(SubnetId subnet, VpcId vpcHint, Inventory inventory, String collateral, String why) {
        NetworkAclInfo current = inventory.aclOf(subnet).orElse(null);
        VpcId vpc = vpcHint != null ? vpcHint : current != null ? current.vpc() : null;
        if (vpc == null) return new SubnetPlan(subnet, null, subnet + ": VPC unknown, not quarantined");
        if (current != null && isQuarantineAcl(current)) {
            return new SubnetPlan(subnet, null, subnet + ": already behind quarantine ACL " + current.id());
        }
        List<NetworkAclInfo> tagged = inventory.networkAcls().stream()
                .filter(a -> vpc.equals(a.vpc()) && TAG_VALUE.equalsIgnoreCase(a.tags().get(TAG_KEY)))
                .sorted(Comparator.comparing(a -> a.id().value()))
                .toList();
        NetworkAclInfo usable = tagged.stream().filter(QuarantineSubnet::isQuarantineAcl).findFirst().orElse(null);
        List<String> tainted = tagged.stream().filter(a -> !isQuarantineAcl(a)).map(a -> a.id().value()).toList();

        List<Map<String, Object>> steps = new ArrayList<>();
        String aclRef;
        if (usable == null) {
            steps.add(createAcl(vpc, tainted));
            aclRef = CREATED;
        } else {
            aclRef = usable.id().value();
        }
        NetworkAclInfo.Association assoc = current == null ? null : current.associationOf(subnet);
        Map<String, Object> replace = new LinkedHashMap<>();
        replace.put("Action", "ReplaceNetworkAclAssociation");
        replace.put("AssociationId", assoc != null ? assoc.associationId() : "(association of " + subnet + ", looked up at execution)");
        replace.put("NetworkAclId", aclRef);
        steps.add(replace);

        Map<String, Object> undo = new LinkedHashMap<>();
        undo.put("Action", "ReplaceNetworkAclAssociation");
        undo.put("AssociationId", NEW_ASSOCIATION);
        undo.put("NetworkAclId", current != null ? current.id().value() : "(previous ACL of " + subnet + ", recorded at execution)");

        String target = usable == null ? "a new quarantine ACL" : "quarantine ACL " + usable.id();
        String detail = "move " + subnet + " (" + vpc + ") from ACL " + (current != null ? current.id() : "(unknown)") + " to "
                + target + " (denies all traffic); also cuts off " + collateral + " (" + why + ")";
        String note = tainted.isEmpty() ? null
                : subnet + ": ACL(s) " + String.join(", ", tainted) + " tagged " + TAG_KEY + " allow traffic: not used";
        return new SubnetPlan(subnet, new ActionPlan(TYPE, subnet.value(), Map.of("Steps", steps),
                detail, TYPE + ":" + subnet, true, undo), note);
    }

    /** Vigil's tag, not a VPC's default ACL, and no entry allows anything (IPv4 and IPv6, both directions). */
    static boolean isQuarantineAcl(NetworkAclInfo acl) {
        return TAG_VALUE.equalsIgnoreCase(acl.tags().get(TAG_KEY)) && !acl.isDefault() && acl.deniesAll();
    }

    private static Map<String, Object> createAcl(VpcId vpc, List<String> tainted) {
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("Action", "CreateNetworkAcl");
        create.put("VpcId", vpc.value());
        create.put("ClientToken", clientToken(vpc, tainted));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ResourceType", "network-acl");
        spec.put("Tag", List.of(tag(TAG_KEY, TAG_VALUE), tag("Name", ACL_NAME)));
        create.put("TagSpecification", List.of(spec));
        return create;
    }

    /**
     * Equal for every finding in one VPC, so concurrent creations collapse into one ACL; changes when a tagged ACL
     * has been opened up (so EC2 does not hand that one back). At most 64 ASCII characters, as EC2 requires.
     */
    static String clientToken(VpcId vpc, List<String> tainted) {
        String base = "vigil-quarantine-" + vpc.value();
        if (!tainted.isEmpty()) base += "-" + Integer.toHexString(String.join(",", tainted).hashCode());
        return base.length() <= 64 ? base : base.substring(0, 64);
    }

    private static Map<String, Object> tag(String key, String value) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("Key", key);
        t.put("Value", value);
        return t;
    }
}
