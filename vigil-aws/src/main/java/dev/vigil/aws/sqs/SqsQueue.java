package dev.vigil.aws.sqs;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Where the daemon's queue is and how to reach it. A queue lives in one region, the one its URL names
 * ({@link #regionOf}): its client is made there whatever regions the daemon watches; a URL that names none (a local
 * endpoint such as ElasticMQ's) uses the home region.
 *
 * @param home the region of the client when the URL names none
 * @param endpoint the queue's endpoint ({@code --sqs-endpoint-url}, else {@code --endpoint-url}), or null
 * @param waitSeconds the long poll's wait
 */
public record SqsQueue(String url, Region home, URI endpoint, AwsCredentialsProvider credentials, int waitSeconds) {
    /** A queue not usable at start (GetQueueAttributes failed): the message is the one line to print. */
    public static final class Unusable extends RuntimeException {
        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Pattern URL_REGION = Pattern.compile("^https?://(?:sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?"
            + "|sqs\\.([a-z0-9-]+)\\.api\\.aws|([a-z0-9-]+)\\.queue\\.amazonaws\\.com(?:\\.cn)?)(?::\\d+)?/.*");

    /**
     * The region an AWS queue URL names ({@code https://sqs.eu-west-1.amazonaws.com/ACCOUNT/NAME}, the dual-stack
     * {@code sqs.REGION.api.aws} and the legacy {@code REGION.queue.amazonaws.com}); empty for any other URL.
     */
    public static Optional<Region> regionOf(String queueUrl) {
        if (queueUrl == null) return Optional.empty();
        Matcher m = URL_REGION.matcher(queueUrl);
        if (!m.matches()) return Optional.empty();
        return Optional.of(Region.of(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3)));
    }

    /** The queue's own region when its URL names one, else the home region. */
    public Region clientRegion() {
        return regionOf(url).orElse(home);
    }

    /** A client for the queue, in its region. */
    SqsClient client() {
        var b = SqsClient.builder().region(clientRegion()).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create());
        if (endpoint != null) b.endpointOverride(endpoint);
        return b.build();
    }

    /**
     * The queue answers GetQueueAttributes: it exists, in its region, and the credentials may read it.
     *
     * @throws Unusable with one line naming what is wrong and the fix
     */
    void check(SqsClient sqs) {
        boolean named = regionOf(url).isPresent(); // the URL names the region: --region does not change it
        String region = clientRegion() == null ? null : clientRegion().id();
        try {
            sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN));
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null ? e.awsErrorDetails().errorCode()
                    : String.valueOf(e.statusCode());
            String why = code.contains("NonExistentQueue") || code.contains("QueueDoesNotExist")
                    ? "no such queue" + (region != null ? " in " + region : "") + ": check --queue-url" + (named ? "" : " and --region")
                    : code.contains("AccessDenied") ? "access denied: the principal needs sqs:GetQueueAttributes, sqs:ReceiveMessage and"
                            + " sqs:DeleteMessage on it ('vigil permissions' lists them)"
                    : "SQS answered " + code + ": check --queue-url and --region";
            throw new Unusable("queue " + url + " not usable (GetQueueAttributes: " + code + "): " + why, e);
        } catch (RuntimeException e) {
            throw new Unusable("queue " + url + " not reachable (" + rootCause(e) + "): check --queue-url, --region and"
                    + " --sqs-endpoint-url/--endpoint-url", e);
        }
    }

    /** The innermost cause's class and first line, bounded: never the SDK's provider-chain dump. */
    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? "" : t.getMessage().replaceAll("\\s+", " ").trim();
        return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) + "..." : m));
    }
}
