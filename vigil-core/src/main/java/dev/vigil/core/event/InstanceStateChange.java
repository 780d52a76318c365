package dev.vigil.core.event;

import java.time.Instant;
import java.util.List;

/** An "EC2 Instance State-change Notification": {@code state} is pending, running, stopping, stopped, shutting-down or terminated. */
public record InstanceStateChange(
        String id, Instant time, AccountId account, Region region, Origin origin, InstanceId instance, String state)
        implements SecurityEvent {

    @Override
    public String kind() {
        return "instance-state-change";
    }

    @Override
    public List<String> resourceIds() {
        return List.of(instance.value());
    }
}
