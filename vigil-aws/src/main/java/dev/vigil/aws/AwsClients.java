package dev.vigil.aws;

import dev.vigil.core.policy.LiveSettings;
import dev.vigil.core.policy.SelfIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS clients a live runtime acts with, built once per (account, region) and kept. Credentials: the base
 * provider (the SDK's default chain, or a named profile) for the runtime's own account; for an account listed in
 * the policy's {@code live.assume-roles}, that role, assumed through STS with vigil's session name so its own calls
 * are recognised in CloudTrail ({@link SelfIdentity#sessionName()}) and refreshed before they expire. An endpoint
 * override ({@code --endpoint-url}) applies to every service, STS included; S3 then uses path-style addressing.
 * Which accounts may be acted in at all is {@link AccountRoutingExecutor}'s decision.
 */
public final class AwsClients implements AccountRoutingExecutor.Clients, AutoCloseable {
    /**
     * @param homeRegion the region STS (and a finding without a region) uses
     * @param endpoint an AWS-compatible endpoint for every service, or null for AWS's own
     * @param assumeRoles account id to the role ARN to assume there
     * @param sessionName the AssumeRole session name (vigil's mark in CloudTrail)
     */
    public record Config(Region homeRegion, URI endpoint, Map<String, String> assumeRoles, String sessionName, RetryBudget retry,
            List<ExecutionInterceptor> ec2Interceptors) {
        public Config {
            assumeRoles = Map.copyOf(assumeRoles);
            ec2Interceptors = List.copyOf(ec2Interceptors);
            sessionName = sessionName == null || sessionName.isBlank() ? SelfIdentity.DEFAULT_SESSION : sessionName;
            retry = retry == null ? RetryBudget.DEFAULT : retry;
        }

        public Config(Region homeRegion, URI endpoint, Map<String, String> assumeRoles, String sessionName, RetryBudget retry) {
            this(homeRegion, endpoint, assumeRoles, sessionName, retry, List.of());
        }

        /** The same, with SDK interceptors on every EC2 client (the daemon's latency measurement). */
        public Config withEc2Interceptor(ExecutionInterceptor i) {
            List<ExecutionInterceptor> all = new java.util.ArrayList<>(ec2Interceptors);
            all.add(i);
            return new Config(homeRegion, endpoint, assumeRoles, sessionName, retry, all);
        }

        /** From the policy's live section and vigil's own identity. */
        public static Config of(Region homeRegion, URI endpoint, LiveSettings live, SelfIdentity self) {
            return new Config(homeRegion, endpoint, live.assumeRoles(), self.assumeSessionName(), RetryBudget.DEFAULT);
        }
    }

    private record Key(String account, String region) {}

    private final Config config;
    private final AwsCredentialsProvider base;
    private final SdkHttpClient http = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(20)).build();
    private final Map<Key, Ec2Executor> ec2 = new ConcurrentHashMap<>();
    private final Map<Key, SnsClient> sns = new ConcurrentHashMap<>();
    private final Map<Key, S3Client> s3 = new ConcurrentHashMap<>();
    private final Map<String, AwsCredentialsProvider> roles = new ConcurrentHashMap<>();
    private final boolean ownsBase;
    private StsClient sts;

    private AwsClients(Config config, AwsCredentialsProvider base, boolean ownsBase) {
        this.config = config;
        this.base = base;
        this.ownsBase = ownsBase;
    }

    /** Base credentials from the SDK's default chain (environment, system properties, profile, container, instance). */
    public static AwsClients create(Config config) {
        return new AwsClients(config, DefaultCredentialsProvider.builder().build(), true);
    }

    /** Base credentials from the default chain reading this profile ({@code --profile}); null means the chain's own choice. */
    public static AwsClients create(Config config, String profile) {
        return new AwsClients(config, profile == null ? DefaultCredentialsProvider.builder().build()
                : DefaultCredentialsProvider.builder().profileName(profile).build(), true);
    }

    /** Base credentials as given (Lambda's, tests'). */
    public static AwsClients create(Config config, AwsCredentialsProvider base) {
        return new AwsClients(config, base, false);
    }

    /** True when the policy names a role to assume in this account. */
    @Override
    public boolean assumesRoleIn(String account) {
        return account != null && config.assumeRoles().containsKey(account);
    }

    /** The EC2 executor for an account (null: the runtime's own) and region (null: the home region). */
    @Override
    public Ec2Executor ec2(String account, String region) {
        Key k = key(account, region);
        return ec2.computeIfAbsent(k, x -> Ec2Executor.create(Region.of(x.region()), config.endpoint(), credentials(x.account()), config.retry(),
                config.ec2Interceptors()));
    }

    private final Map<Key, IamTrailExecutor> iamTrail = new java.util.concurrent.ConcurrentHashMap<>();

    /** The IAM and CloudTrail executor for an account (null: own) and region (null: home): the Sigma responses. */
    @Override
    public IamTrailExecutor iamTrail(String account, String region) {
        Key k = key(account, region);
        return iamTrail.computeIfAbsent(k, x -> IamTrailExecutor.create(Region.of(x.region()), config.endpoint(), credentials(x.account())));
    }

    public SnsClient sns(String account, String region) {
        Key k = key(account, region);
        return sns.computeIfAbsent(k, x -> {
            var b = SnsClient.builder().region(Region.of(x.region())).credentialsProvider(credentials(x.account())).httpClient(http);
            if (config.endpoint() != null) b.endpointOverride(config.endpoint());
            return b.build();
        });
    }

    /** S3 for reading CloudTrail log objects ({@link S3LogObjects}); path-style when an endpoint is given. */
    public S3Client s3(String account, String region) {
        Key k = key(account, region);
        return s3.computeIfAbsent(k, x -> {
            var b = S3Client.builder().region(Region.of(x.region())).credentialsProvider(credentials(x.account())).httpClient(http);
            if (config.endpoint() != null) b.endpointOverride(config.endpoint()).forcePathStyle(true);
            return b.build();
        });
    }

    /** The account the base credentials belong to (STS GetCallerIdentity): the runtime's own account. */
    public String callerAccount() {
        return sts().getCallerIdentity().account();
    }

    /** The ARN of the base credentials' principal (STS GetCallerIdentity): how vigil's own calls show in CloudTrail. */
    public String callerArn() {
        return sts().getCallerIdentity().arn();
    }

    private Key key(String account, String region) {
        return new Key(account == null ? "" : account, region == null || region.isBlank() ? config.homeRegion().id() : region);
    }

    private AwsCredentialsProvider credentials(String account) {
        String role = config.assumeRoles().get(account);
        if (role == null) return base;
        return roles.computeIfAbsent(account, a -> StsAssumeRoleCredentialsProvider.builder().stsClient(sts())
                .refreshRequest(r -> r.roleArn(role).roleSessionName(config.sessionName())).build());
    }

    private synchronized StsClient sts() {
        if (sts == null) {
            var b = StsClient.builder().region(config.homeRegion()).credentialsProvider(base).httpClient(http);
            if (config.endpoint() != null) b.endpointOverride(config.endpoint());
            sts = b.build();
        }
        return sts;
    }

    @Override
    public synchronized void close() {
        ec2.values().forEach(Ec2Executor::close);
        iamTrail.values().forEach(IamTrailExecutor::close);
        iamTrail.clear();
        sns.values().forEach(SnsClient::close);
        s3.values().forEach(S3Client::close);
        roles.values().forEach(p -> {
            if (p instanceof SdkAutoCloseable c) c.close();
        });
        if (sts != null) sts.close();
        if (ownsBase && base instanceof SdkAutoCloseable c) c.close();
        http.close();
        ec2.clear();
        sns.clear();
        s3.clear();
        roles.clear();
    }
}
