package dev.vigil.deploy;

import java.util.Map;

/**
 * One EventBridge rule of the deployment.
 *
 * @param id logical id stem (CloudFormation resource {@code <id>Rule}), unique in the template
 * @param policy the policy it feeds, or null for a shared rule (the trail bucket's objects)
 * @param pattern the event pattern, as data (lists of values, {@code {"prefix": ...}} objects)
 * @param target where matching events go
 */
public record EventRule(String id, String policy, Map<String, Object> pattern, Target target) {
    /** The function that takes a rule's events: EventsHandler (low volume, direct), the queue (bursty), S3Handler. */
    public enum Target { EVENTS_FUNCTION, QUEUE, S3_FUNCTION }

    public EventRule {
        pattern = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pattern));
    }
}
