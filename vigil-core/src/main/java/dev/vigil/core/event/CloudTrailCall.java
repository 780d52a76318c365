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
 * @param fields other top-level fields of the record, kept only when an enabled detector names them (Sigma rules:
 *     {@code userIdentity} as a whole, {@code additionalEventData}, {@code eventType} ...); a missing node otherwise
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
        boolean viaEventBridge,
        JsonNode fields)
        implements SecurityEvent {

    public CloudTrailCall {
        if (fields == null) fields = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    public CloudTrailCall(String id, Instant time, AccountId account, Region region, Origin origin, String eventSource,
                          String eventName, Principal principal, String sourceIp, String userAgent, String errorCode,
                          String errorMessage, JsonNode requestParameters, JsonNode responseElements, boolean viaEventBridge) {
        this(id, time, account, region, origin, eventSource, eventName, principal, sourceIp, userAgent, errorCode, errorMessage,
                requestParameters, responseElements, viaEventBridge, null);
    }

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

    /** The AWS resource ids the call names (instances, groups, subnets, ...), from its request and response. */
    @Override
    public List<String> resourceIds() {
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        collect(requestParameters, ids, 0);
        collect(responseElements, ids, 0);
        return List.copyOf(ids);
    }

    private static final java.util.regex.Pattern RESOURCE_ID =
            java.util.regex.Pattern.compile("(i|sg|sgr|subnet|vpc|acl|aclassoc|eni|ami|vol|snap|igw|nat|rtb|pcx|pl)-[0-9a-zA-Z]{6,32}");

    private static void collect(JsonNode n, java.util.Set<String> out, int depth) {
        if (n == null || depth > 8 || out.size() >= 50) return;
        if (n.isTextual()) {
            if (RESOURCE_ID.matcher(n.asText()).matches()) out.add(n.asText());
        } else if (n.isContainerNode()) {
            for (JsonNode child : n) collect(child, out, depth + 1);
        }
    }
}
