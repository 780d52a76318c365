package dev.vigil.core.event;

import java.time.Instant;
import java.util.List;

/** An EventBridge "Scheduled Event": a rule's schedule fired; {@code resources} are the rule ARNs. */
public record ScheduledTick(String id, Instant time, AccountId account, Region region, Origin origin, List<String> resources)
        implements SecurityEvent {

    public ScheduledTick {
        resources = List.copyOf(resources);
    }

    @Override
    public String kind() {
        return "scheduled";
    }

    @Override
    public List<String> resourceIds() {
        return resources;
    }
}
