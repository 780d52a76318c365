package dev.vigil.core.finding;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A finding as reported: the output contract's object. {@code facts} are the details a notification shows
 * (instance name, launch time, who, what); they are not part of the JSON Lines contract's required keys.
 */
public record Finding(
        String rule,
        String policy,
        Severity severity,
        Instant time,
        AccountId account,
        Region region,
        String resource,
        String source,
        String summary,
        List<String> eventIds,
        List<ActionResult> actions,
        Map<String, String> facts) {

    public Finding {
        eventIds = List.copyOf(eventIds);
        actions = List.copyOf(actions);
        facts = facts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
    }
}
