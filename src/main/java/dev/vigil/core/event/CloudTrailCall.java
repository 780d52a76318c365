package dev.vigil.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One CloudTrail record: an AWS API call, from an S3 log file, a bare record, or an EventBridge
 * "AWS API Call via CloudTrail" event.
 *
 * @param requestParameters the call's parameters as CloudTrail wrote them (a missing node when absent or not
 *     materialized because no enabled rule looks at this call)
 * @param responseElements likewise
 * @param errorCode non-null when the call failed; such calls are never acted on
 */
public record CloudTrailCall(
        String id,
        Instant time,
        AccountId account,
        Region region,
        Origin origin,
        String eventSource,
        String eventName,
        Principal principal,
        String sourceIp,
        String userAgent,
        String errorCode,
        String errorMessage,
        JsonNode requestParameters,
        JsonNode responseElements,
        boolean viaEventBridge)
        implements SecurityEvent {

    @Override
    public String kind() {
        return "cloudtrail-call";
    }

    public boolean failed() {
        return errorCode != null && !errorCode.isEmpty();
    }

    /** True for {@code ec2.amazonaws.com} and {@code eventName}, the usual way rules select calls. */
    public boolean is(String source, String name) {
        return name.equals(eventName) && source.equals(eventSource);
    }

    @Override
    public List<String> resourceIds() {
        return List.of();
    }
}
