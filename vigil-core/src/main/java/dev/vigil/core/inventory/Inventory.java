package dev.vigil.core.inventory;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.event.SubnetId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The look-ups that live mode makes against AWS (DescribeInstances, DescribeSecurityGroups, DescribeNetworkAcls);
 * in replay they are answered from files given with {@code --inventory}.
 */
public interface Inventory {
    Optional<InstanceInfo> instance(InstanceId id);

    Collection<InstanceInfo> instances();

    Optional<SecurityGroupInfo> securityGroup(SecurityGroupId id);

    Collection<SecurityGroupInfo> securityGroups();

    Collection<NetworkAclInfo> networkAcls();

    /** Instances with a network interface in the subnet. */
    default List<InstanceInfo> instancesIn(SubnetId subnet) {
        return instances().stream()
                .filter(i -> subnet.equals(i.subnet()) || i.interfaces().stream().anyMatch(n -> subnet.equals(n.subnet())))
                .toList();
    }

    /** The network ACL a subnet is associated with, if known. */
    default Optional<NetworkAclInfo> aclOf(SubnetId subnet) {
        return networkAcls().stream().filter(a -> a.associationOf(subnet) != null).findFirst();
    }

    /** Tags of an instance or security group id, empty when unknown. */
    default Map<String, String> tagsOf(String resourceId) {
        if (resourceId == null) return Map.of();
        if (resourceId.startsWith("i-")) {
            try {
                return instance(InstanceId.of(resourceId)).map(InstanceInfo::tags).orElse(Map.of());
            } catch (RuntimeException e) {
                return Map.of();
            }
        }
        if (resourceId.startsWith("sg-")) {
            try {
                return securityGroup(SecurityGroupId.of(resourceId)).map(SecurityGroupInfo::tags).orElse(Map.of());
            } catch (RuntimeException e) {
                return Map.of();
            }
        }
        return Map.of();
    }
}
