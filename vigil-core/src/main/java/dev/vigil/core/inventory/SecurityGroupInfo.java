package dev.vigil.core.inventory;

import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.event.VpcId;
import java.util.Map;

/** What DescribeSecurityGroups tells about one group. */
public record SecurityGroupInfo(SecurityGroupId id, String name, VpcId vpc, String ownerId, Map<String, String> tags) {
    public SecurityGroupInfo {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
