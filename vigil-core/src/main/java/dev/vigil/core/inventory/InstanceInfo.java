package dev.vigil.core.inventory;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.SubnetId;
import dev.vigil.core.event.VpcId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a DescribeInstances look-up tells about one instance. Any field but {@code id} may be null/empty. */
public record InstanceInfo(
        InstanceId id,
        String state,
        Instant launchTime,
        Map<String, String> tags,
        VpcId vpc,
        SubnetId subnet,
        List<NetworkInterfaceInfo> interfaces,
        AccountId account,
        Region region) {

    public InstanceInfo {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }

    public String name() {
        return tags.get("Name");
    }

    public boolean running() {
        return "running".equals(state);
    }
}
