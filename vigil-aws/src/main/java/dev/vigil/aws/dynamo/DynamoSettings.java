package dev.vigil.aws.dynamo;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How long {@link DynamoStore} keeps things.
 *
 * @param clock wall-clock time for leases and TTLs (DynamoDB's TTL sweeper runs on real time, not event time)
 * @param lease how long an in-progress claim holds before another caller may take it over (a crashed holder's)
 * @param eventRetention how long a processed event's key is remembered
 * @param findingRetention how long findings are kept (their items' TTL)
 * @param recentDays how many day partitions {@link DynamoStore#recent(int)} looks back through, today included
 */
public record DynamoSettings(Clock clock, Duration lease, Duration eventRetention, Duration findingRetention, int recentDays) {
    public DynamoSettings {
        Objects.requireNonNull(clock, "clock");
        if (lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("lease must be positive: " + lease);
        if (eventRetention.isNegative() || eventRetention.isZero()) throw new IllegalArgumentException("event retention must be positive: " + eventRetention);
        if (findingRetention.isNegative() || findingRetention.isZero()) throw new IllegalArgumentException("finding retention must be positive: " + findingRetention);
        if (recentDays < 1) throw new IllegalArgumentException("recent days must be at least 1: " + recentDays);
    }

    /**
     * Lease 8 minutes (what {@code deploy.Timeouts} derives from the default 60 s function timeout: longer than the
     * 360 s visibility timeout plus an attempt; the functions take the lease from VIGIL_CLAIM_LEASE_SECONDS), events kept 2 days (as the daemon keeps them), findings 90 days, {@code recent} looks back 31 days. */
    public static DynamoSettings defaults() {
        return new DynamoSettings(Clock.systemUTC(), Duration.ofMinutes(8), Duration.ofDays(2), Duration.ofDays(90), 31);
    }

    public DynamoSettings withClock(Clock c) {
        return new DynamoSettings(c, lease, eventRetention, findingRetention, recentDays);
    }

    public DynamoSettings withLease(Duration d) {
        return new DynamoSettings(clock, d, eventRetention, findingRetention, recentDays);
    }

    public DynamoSettings withEventRetention(Duration d) {
        return new DynamoSettings(clock, lease, d, findingRetention, recentDays);
    }

    public DynamoSettings withFindingRetention(Duration d) {
        return new DynamoSettings(clock, lease, eventRetention, d, recentDays);
    }

    public DynamoSettings withRecentDays(int days) {
        return new DynamoSettings(clock, lease, eventRetention, findingRetention, days);
    }
}
