package dev.vigil.core.inventory;

import dev.vigil.core.event.NetworkAclId;
import dev.vigil.core.event.SubnetId;
import dev.vigil.core.event.VpcId;
import java.util.List;
import java.util.Map;

/** What DescribeNetworkAcls tells about one network ACL. */
public record NetworkAclInfo(
        NetworkAclId id, VpcId vpc, boolean isDefault, Map<String, String> tags, List<Entry> entries, List<Association> associations) {

    public NetworkAclInfo {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        entries = entries == null ? List.of() : List.copyOf(entries);
        associations = associations == null ? List.of() : List.copyOf(associations);
    }

    /** One ACL entry; {@code cidr} or {@code ipv6Cidr} is set. */
    public record Entry(int ruleNumber, String protocol, String ruleAction, boolean egress, String cidr, String ipv6Cidr) {
        public boolean allows() {
            return "allow".equalsIgnoreCase(ruleAction);
        }
    }

    /** A subnet association, with the id ReplaceNetworkAclAssociation needs. */
    public record Association(String associationId, SubnetId subnet) {}

    /** True when no entry allows anything (the implicit final rule then denies all traffic both ways). */
    public boolean deniesAll() {
        return entries.stream().noneMatch(Entry::allows);
    }

    public Association associationOf(SubnetId subnet) {
        return associations.stream().filter(a -> subnet.equals(a.subnet())).findFirst().orElse(null);
    }
}
