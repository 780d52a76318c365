package dev.vigil.core.inventory;

import dev.vigil.core.event.NetworkInterfaceId;
import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.event.SubnetId;
import dev.vigil.core.event.VpcId;
import java.util.List;

/** One network interface of an instance: its subnet and security groups. */
public record NetworkInterfaceInfo(NetworkInterfaceId id, SubnetId subnet, VpcId vpc, List<SecurityGroupId> groups) {
    public NetworkInterfaceInfo {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
