package dev.vigil.aws.dynamo;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/**
 * The SDK clients the state adapters use, on the JDK's HTTP client (small, fast to start in Lambda) with short
 * timeouts: a state call that hangs should fail the message, not the whole invocation.
 */
public final class StateClients {
    private StateClients() {}

    /** @param endpointOverride an AWS-compatible endpoint (moto's server in tests), or null for the region's own */
    public static DynamoDbClient dynamo(Region region, URI endpointOverride, AwsCredentialsProvider credentials) {
        var b = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http())
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(5)).apiCallTimeout(Duration.ofSeconds(20)));
        if (endpointOverride != null) b.endpointOverride(endpointOverride);
        return b.build();
    }

    /** @param endpointOverride an AWS-compatible endpoint, or null for the region's own */
    public static SchedulerClient scheduler(Region region, URI endpointOverride, AwsCredentialsProvider credentials) {
        var b = SchedulerClient.builder().region(region).credentialsProvider(credentials).httpClient(http())
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(5)).apiCallTimeout(Duration.ofSeconds(20)));
        if (endpointOverride != null) b.endpointOverride(endpointOverride);
        return b.build();
    }

    private static software.amazon.awssdk.http.SdkHttpClient http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3)).socketTimeout(Duration.ofSeconds(5)).build();
    }
}
