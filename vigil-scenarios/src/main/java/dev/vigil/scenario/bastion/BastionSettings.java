package dev.vigil.scenario.bastion;

import dev.vigil.core.event.InstanceId;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A bastion watch policy's parameters.
 *
 * @param tagValue compared without regard to case ({@code True}, {@code true} and {@code TRUE} all match)
 * @param expectedCount null when not configured: the count of the first check is then taken as expected
 * @param maxTracked instances whose learnt tags and states are remembered (least recently touched forgotten first)
 */
record BastionSettings(String tagKey, String tagValue, Set<InstanceId> listed, Duration threshold, Duration repeat,
                       boolean reportEnabled, DailySchedule schedule, Integer expectedCount, int maxTracked) {

    BastionSettings {
        listed = Set.copyOf(listed);
    }

    /** A bastion by id or by tag. */
    boolean isBastion(InstanceId id, Map<String, String> tags) {
        if (listed.contains(id)) return true;
        String v = tags.get(tagKey);
        return v != null && v.trim().equalsIgnoreCase(tagValue.trim());
    }

    String criterion() {
        return listed.isEmpty() ? "tag " + tagKey + "=" + tagValue : "tag " + tagKey + "=" + tagValue + " or listed id";
    }
}
