package dev.vigil.notify;

import dev.vigil.aws.RetryBudget;
import dev.vigil.core.policy.TargetDef;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * SNS topic: {@code Publish} with {@link MessageFormatter#snsSubject} and {@link MessageFormatter#snsBody}. The region
 * is the target's {@code region}, else the topic ARN's; one client per region, built like the EC2 executor's
 * (url-connection-client, the SDK's standard retries within a {@link RetryBudget}).
 */
public final class SnsNotifier implements Notifier, AutoCloseable {
    private final URI endpointOverride;
    private final AwsCredentialsProvider credentials;
    private final RetryBudget retry;
    private final MessageFormatter format = new MessageFormatter();
    private final Map<String, SnsClient> clients = new ConcurrentHashMap<>();

    /** @param endpointOverride an SNS-compatible endpoint, or null for the region's own */
    public SnsNotifier(URI endpointOverride, AwsCredentialsProvider credentials, RetryBudget retry) {
        this.endpointOverride = endpointOverride;
        this.credentials = credentials;
        this.retry = retry;
    }

    @Override
    public Delivery send(TargetDef target, Notice notice) {
        String arn = target.settings().get("topic-arn");
        String region = target.settings().getOrDefault("region", regionOf(arn));
        if (arn == null || region == null) return Delivery.failed("sns: topic-arn with a region (or a region setting) is needed", 0);
        try {
            PublishResponse r = client(region).publish(b -> b.topicArn(arn).subject(format.snsSubject(notice)).message(format.snsBody(notice)));
            return Delivery.sent("sns: published " + r.messageId(), 1);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            return Delivery.failed("sns: " + (code == null ? "error" : code) + " (HTTP " + e.statusCode() + ")", 1);
        } catch (SdkException e) {
            return Delivery.failed("sns: " + e.getClass().getSimpleName(), 1);
        }
    }

    /** arn:aws:sns:REGION:ACCOUNT:NAME */
    static String regionOf(String arn) {
        if (arn == null) return null;
        String[] p = arn.split(":", -1);
        return p.length == 6 && p[0].equals("arn") && p[2].equals("sns") && !p[3].isEmpty() ? p[3] : null;
    }

    private SnsClient client(String region) {
        return clients.computeIfAbsent(region, r -> {
            var b = SnsClient.builder().region(Region.of(r)).credentialsProvider(credentials)
                    .httpClient(RetryBudget.httpClient()).overrideConfiguration(retry.clientOverrides().build());
            if (endpointOverride != null) b.endpointOverride(endpointOverride);
            return b.build();
        });
    }

    @Override
    public void close() {
        clients.values().forEach(SnsClient::close);
    }
}
