package dev.vigil.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A GuardDuty finding, bare or from its EventBridge envelope ({@code detail}).
 *
 * @param severity GuardDuty's own scale, 0.1 to 10
 * @param count how many times GuardDuty has seen it ({@code service.count}), 1 when absent
 * @param detail the finding as GuardDuty wrote it, for scenario-specific fields (resource, network interfaces)
 */
public record GuardDutyFinding(
        String id,
        Instant time,
        AccountId account,
        Region region,
        Origin origin,
        String findingId,
        String type,
        double severity,
        String title,
        boolean sample,
        boolean archived,
        long count,
        InstanceId instance,
        JsonNode detail)
        implements SecurityEvent {

    @Override
    public String kind() {
        return "guardduty-finding";
    }

    @Override
    public List<String> resourceIds() {
        return instance == null ? List.of() : List.of(instance.value());
    }
}
