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
        facts = Facts.copyOf(facts); // kept as it is when it is one already (a draft's)
    }

    /**
     * A stable id: the same policy, rule, resource, time and triggering events give the same id, so a finding made
     * again from a redelivered message is recognised (stores keep it once). 16 hex digits of SHA-256.
     */
    public String id() {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            String key = policy + '\n' + rule + '\n' + resource + '\n' + time + '\n' + String.join(",", eventIds)
                    + '\n' + (eventIds.isEmpty() ? summary : "");
            byte[] d = md.digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Finding withActions(List<ActionResult> newActions) {
        return new Finding(rule, policy, severity, time, account, region, resource, source, summary, eventIds, newActions, facts);
    }
}
