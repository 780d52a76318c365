package dev.vigil.lambda;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * SnapStart's {@code beforeCheckpoint} hook (org.crac, registered by {@link Handlers#wire}): before Lambda snapshots
 * an initialized function, loads and runs the code the first invocation takes, so the snapshot holds it loaded and
 * warmed. The decoders ({@link Handlers#prime}), and the SDK's request path for the calls of a first invocation (STS
 * GetCallerIdentity, EC2 DescribeInstances, DynamoDB GetItem, Scheduler GetSchedule): clients of their own, built
 * like the function's, marshalling, signing with placeholder credentials and unmarshalling a canned answer through
 * an in-memory HTTP client. Nothing leaves the process: no connection, no DNS look-up, no call to AWS, nothing in
 * the store. The function's own clients are untouched (their connections, none yet, belong to the restored instance).
 */
final class SnapStartPriming implements Resource {
    /** Where the priming clients point: never resolved, the in-memory client answers first. */
    private static final URI NOWHERE = URI.create("https://prime.invalid");
    private static final Map<String, String> ANSWERS = Map.of(
            "sts", "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                    + "<Arn>arn:aws:sts::111122223333:assumed-role/prime/prime</Arn><UserId>AROAPRIME:prime</UserId><Account>111122223333</Account>"
                    + "</GetCallerIdentityResult></GetCallerIdentityResponse>",
            "ec2", "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>prime</requestId>"
                    + "<reservationSet/></DescribeInstancesResponse>",
            "dynamodb", "{}",
            "scheduler", "{\"Name\":\"prime\",\"GroupName\":\"prime\"}");

    private final AtomicInteger checkpoints = new AtomicInteger();

    /** Registers a priming hook in the JVM's global CRaC context (a no-op outside a CRaC JVM such as SnapStart's). */
    static SnapStartPriming register() {
        return register(Core.getGlobalContext());
    }

    /** The context holds its resources weakly: the caller keeps the returned hook for as long as the function lives. */
    static SnapStartPriming register(Context<Resource> context) {
        SnapStartPriming p = new SnapStartPriming();
        context.register(p);
        return p;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        checkpoints.incrementAndGet();
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to reopen: priming opened no connection, and the function's clients connect on first use
    }

    /** How many checkpoints this hook primed. */
    int checkpoints() {
        return checkpoints.get();
    }

    /**
     * Primes the decoders and the SDK's request path. Returns what each service's in-memory client was asked, by
     * service (one request each); throws if a priming call fails, which fails the snapshot rather than hiding a
     * broken package.
     */
    static Map<String, Integer> prime() {
        Handlers.prime();
        InMemoryHttp http = new InMemoryHttp();
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPRIMEPRIMEPRIME0", "prime"));
        Region region = Region.US_EAST_1;
        try (StsClient sts = StsClient.builder().region(region).endpointOverride(NOWHERE).credentialsProvider(creds).httpClient(http.as("sts")).build();
                Ec2Client ec2 = Ec2Client.builder().region(region).endpointOverride(NOWHERE).credentialsProvider(creds).httpClient(http.as("ec2")).build();
                DynamoDbClient dynamo = DynamoDbClient.builder().region(region).endpointOverride(NOWHERE).credentialsProvider(creds).httpClient(http.as("dynamodb")).build();
                SchedulerClient scheduler = SchedulerClient.builder().region(region).endpointOverride(NOWHERE).credentialsProvider(creds).httpClient(http.as("scheduler")).build()) {
            sts.getCallerIdentity();
            ec2.describeInstances(b -> b.maxResults(5));
            dynamo.getItem(b -> b.tableName("prime").key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("prime"),
                    "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("prime"))).consistentRead(true));
            scheduler.getSchedule(b -> b.name("prime").groupName("prime"));
        }
        return Map.copyOf(http.asked);
    }

    /** An HTTP client that answers every request with the service's canned 200 answer, in memory. */
    private static final class InMemoryHttp {
        final Map<String, Integer> asked = new ConcurrentHashMap<>();

        SdkHttpClient as(String service) {
            byte[] body = ANSWERS.get(service).getBytes(StandardCharsets.UTF_8);
            String type = body[0] == '<' ? "text/xml" : "application/x-amz-json-1.0";
            return new SdkHttpClient() {
                @Override
                public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                    return new ExecutableHttpRequest() {
                        @Override
                        public HttpExecuteResponse call() {
                            asked.merge(service, 1, Integer::sum);
                            SdkHttpResponse r = SdkHttpResponse.builder().statusCode(200).putHeader("Content-Type", type)
                                    .putHeader("Content-Length", Integer.toString(body.length)).putHeader("x-amzn-RequestId", "prime").build();
                            return HttpExecuteResponse.builder().response(r).responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
                        }

                        @Override
                        public void abort() {}
                    };
                }

                @Override
                public String clientName() {
                    return "prime";
                }

                @Override
                public void close() {}
            };
        }
    }
}
