package dev.vigil.notify;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class NotifyFixtures {
    static final String HOSTILE = "<@channel> & \n*fake*";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private NotifyFixtures() {}

    static Finding finding(String rule, String resource, Instant time, Map<String, String> facts, List<ActionResult> actions) {
        return new Finding(rule, "pol", Severity.HIGH, time, AccountId.of("111122223333"), Region.of("us-east-1"), resource,
                "cloudtrail", "summary of " + rule, List.of("ev-1"), actions, facts);
    }

    static Finding hostile() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("who", HOSTILE);
        facts.put("what", "AuthorizeSecurityGroupIngress 0.0.0.0/0:22");
        return finding("sg-open-ssh", "sg-0123456789abcdef0", T0, facts,
                List.of(new ActionResult("revoke-ingress", "sg-0123456789abcdef0", ActionStatus.APPLIED, "revoked <tcp/22>", Map.of())));
    }
}
