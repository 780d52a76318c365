package dev.vigil.testing;

import dev.vigil.aws.dynamo.StateClients;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A JUnit 5 extension: one moto server for the whole test run (started by the first class that asks, kept in the root
 * context's store and stopped by its process when the run ends), its state reset before each test. A test class
 * {@code @ExtendWith(Moto.class)} takes a {@link Moto} parameter (in {@code @BeforeAll}, {@code @BeforeEach} or a
 * test) for the endpoint and clients. Where moto's server is not installed the class is skipped, saying so.
 */
public final class Moto implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    public static final StaticCredentialsProvider CREDS = MotoServer.CREDS;
    public static final String ACCOUNT = MotoServer.ACCOUNT;
    private static final String KEY = "moto-server";

    private final MotoServer server;

    /** For the extension machinery. */
    public Moto() {
        this.server = null;
    }

    private Moto(MotoServer server) {
        this.server = server;
    }

    /**
     * The shared server, in the root store: AutoCloseable (JUnit 5.13+ closes such values, the successor of the
     * deprecated CloseableResource), so the end of the run stops the process; a shutdown hook covers a JVM killed first.
     */
    private record Shared(MotoServer server, String unavailable) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) server.close();
        }
    }

    private static Shared shared(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(KEY, k -> {
            Optional<String> python = MotoServer.python();
            if (python.isEmpty()) {
                return new Shared(null, "moto's server is not installed here (python3 -c 'import moto.server' fails, "
                        + "on PATH and in ~/.pyenv/versions/3.11.7): skipped; `pip install 'moto[server]==5.2.1'` to run it");
            }
            try {
                return new Shared(MotoServer.start(python.get()), null);
            } catch (Exception e) {
                throw new IllegalStateException("moto's server did not start: " + e.getMessage(), e);
            }
        }, Shared.class);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        available(context).reset();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        available(context).reset();
    }

    /** The server, or the test skipped (on a developer's machine) or failed (in CI, where every machine has moto). */
    private static MotoServer available(ExtensionContext context) {
        Shared s = shared(context);
        if (s.unavailable() != null && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true and " + s.unavailable().replace(": skipped;", ", which every machine of this kind has:"));
        }
        Assumptions.assumeTrue(s.unavailable() == null, s.unavailable());
        return s.server();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Moto.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return new Moto(shared(context).server());
    }

    /**
     * Outside JUnit (a benchmark's main): a server of its own, which the caller closes. Fails when moto's server is
     * not installed.
     */
    public static MotoServer startOwn() throws Exception {
        String python = MotoServer.python().orElseThrow(() -> new IllegalStateException(
                "moto's server is not installed (python3 -c 'import moto.server' fails)"));
        return MotoServer.start(python);
    }

    public URI endpoint() {
        return server.endpoint();
    }

    public void reset() {
        server.reset();
    }

    /** A DynamoDB client built the way production builds it (StateClients), pointed at moto. */
    public DynamoDbClient dynamo() {
        return StateClients.dynamo(Region.US_EAST_1, endpoint(), CREDS);
    }

    public Ec2Client ec2(Region region) {
        return Ec2Client.builder().region(region).endpointOverride(endpoint()).credentialsProvider(CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public SqsClient sqs(Region region) {
        return SqsClient.builder().region(region).endpointOverride(endpoint()).credentialsProvider(CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public SnsClient sns(Region region) {
        return SnsClient.builder().region(region).endpointOverride(endpoint()).credentialsProvider(CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public S3Client s3(Region region) {
        return S3Client.builder().region(region).endpointOverride(endpoint()).forcePathStyle(true).credentialsProvider(CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public SchedulerClient scheduler(Region region) {
        return SchedulerClient.builder().region(region).endpointOverride(endpoint()).credentialsProvider(CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
