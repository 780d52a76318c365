package dev.vigil.notify;

import java.time.Duration;

/**
 * How hard to retry an HTTP delivery: at most {@code maxAttempts} posts; 5xx and I/O errors wait
 * {@code base * 2^n} (capped at {@code maxDelay}); HTTP 429 waits its {@code Retry-After} (seconds), but a
 * Retry-After beyond {@code maxRetryAfter} fails at once rather than hold the caller; all waits together stay within
 * {@code totalWait}.
 */
public record HttpRetry(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter, Duration totalWait,
                        Duration requestTimeout) {
    /** 4 attempts, 250 ms base, 5 s cap, Retry-After up to 30 s, 60 s of waiting in all, 10 s per request. */
    public static final HttpRetry DEFAULT = new HttpRetry(4, Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(10));

    public HttpRetry {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay");
    }

    Duration backoff(int retry) {
        long ms = baseDelay.toMillis() << Math.min(retry, 20);
        return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
    }
}
