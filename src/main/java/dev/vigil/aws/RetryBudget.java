package dev.vigil.aws;

import java.time.Duration;

/**
 * How hard to retry throttling ({@code RequestLimitExceeded}, {@code Throttling}) and 5xx answers: at most
 * {@code maxAttempts} calls in all, waiting a random time up to {@code base * 2^n} (capped at {@code maxDelay})
 * before retry n; the SDK's standard strategy also stops retrying when its token bucket runs dry, so a long outage
 * does not multiply the load.
 */
public record RetryBudget(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    /** 4 attempts, 100 ms base, 5 s cap: about 6 s at worst per call. */
    public static final RetryBudget DEFAULT = new RetryBudget(4, Duration.ofMillis(100), Duration.ofSeconds(5));

    public RetryBudget {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay");
    }
}
