package dev.vigil.scenario.audit;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.Region;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who launched an instance, when, and from where: what a missing-tags finding names. Kept in timer data (so a
 * pending grace period survives a restart) under plain keys, which never clash with {@link TagState}'s prefixed ones.
 */
record Launch(String by, String invokedBy, Instant at, String eventId, String account, String region, String source) {

    static Launch of(CloudTrailCall c) {
        return new Launch(c.principal() == null ? null : c.principal().display(),
                c.principal() == null ? null : c.principal().invokedBy(), c.time(), c.id(),
                c.account() == null ? null : c.account().value(), c.region() == null ? null : c.region().value(),
                Sources.ip(c.sourceIp()));
    }

    Map<String, String> toData() {
        Map<String, String> d = new LinkedHashMap<>();
        put(d, "launched-by", by);
        put(d, "invoked-by", invokedBy);
        put(d, "launched-at", at == null ? null : at.toString());
        put(d, "event", eventId);
        put(d, "account", account);
        put(d, "region", region);
        put(d, "source", source);
        return d;
    }

    static Launch fromData(Map<String, String> d) {
        Instant at = null;
        try {
            if (d.get("launched-at") != null) at = Sources.instant(d.get("launched-at"));
        } catch (RuntimeException e) {
            // a damaged timer loses only the launch time
        }
        return new Launch(d.get("launched-by"), d.get("invoked-by"), at, d.get("event"), d.get("account"), d.get("region"), d.get("source"));
    }

    AccountId accountId() {
        return Sources.orNull(() -> AccountId.orNull(account));
    }

    Region regionId() {
        return Sources.orNull(() -> Region.orNull(region));
    }

    private static void put(Map<String, String> d, String k, String v) {
        if (v != null) d.put(k, v);
    }
}
