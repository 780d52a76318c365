package dev.vigil.core.event;

import java.time.Instant;
import java.util.List;

/** A well-formed event of a type no rule knows (AWS Health, Security Hub, Config, ...): valid input, never an error. */
public record GenericEvent(
        String id, Instant time, AccountId account, Region region, Origin origin, String source, String detailType,
        List<String> resources)
        implements SecurityEvent {

    public GenericEvent {
        resources = List.copyOf(resources);
    }

    @Override
    public String kind() {
        return "generic";
    }

    @Override
    public List<String> resourceIds() {
        return resources;
    }
}
