package dev.vigil.aws;

import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;

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

    /**
     * The SDK client configuration of a call that acts or notifies under this budget: the standard strategy with
     * full-jitter backoff for throttling and other retryable errors, at most 20 s an attempt and 60 s a call.
     */
    public ClientOverrideConfiguration.Builder clientOverrides() {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(baseDelay, maxDelay); // full jitter
        var strategy = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts).backoffStrategy(backoff).throttlingBackoffStrategy(backoff).build();
        return ClientOverrideConfiguration.builder().retryStrategy(strategy)
                .apiCallAttemptTimeout(Duration.ofSeconds(20)).apiCallTimeout(Duration.ofSeconds(60));
    }

    /** The HTTP client of calls that act or notify: 5 s to connect, 20 s without a byte read. */
    public static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(20)).build();
    }
}
