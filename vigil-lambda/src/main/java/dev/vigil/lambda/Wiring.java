package dev.vigil.lambda;

import dev.vigil.aws.AwsClients;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.deploy.DeploymentPlan;
import dev.vigil.aws.Ec2Inventory;
import dev.vigil.aws.ObjectSource;
import dev.vigil.aws.S3Objects;
import dev.vigil.live.LiveActions;
import dev.vigil.live.LivePipeline;
import dev.vigil.live.QueueMessages;
import dev.vigil.metrics.Metrics;
import dev.vigil.policy.Policies;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Everything a function needs, built once per cold start (in the handler's constructor, which Lambda runs during
 * init, so SnapStart snapshots it): the policy, the store ({@link StoreFactory}), the AWS clients, executors and
 * notifiers ({@link LiveActions}, as the daemon wires them), and the same {@link LivePipeline} as the daemon.
 * Nothing here calls AWS: clients connect on first use, the inventory loads at the first invocation.
 */
final class Wiring implements AutoCloseable {
    /** How long a function instance trusts its inventory before describing the account again. */
    static final Duration INVENTORY_MAX_AGE = Duration.ofMinutes(5);

    final LambdaSettings settings;
    final PolicySet policies;
    private final AwsClients aws;
    private volatile boolean selfKnown;
    final StoreFactory.Store store;
    final Metrics metrics = new Metrics();
    final LivePipeline pipeline;
    final QueueMessages messages;
    final RefreshingInventory inventory;
    final FindingsOut findings;
    final Clock clock;
    final BiConsumer<String, String> problems;
    private final AwsCredentialsProvider credentials;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** What the environment does not say: where the inventory comes from (tests: files). */
    interface InventorySource {
        StaticInventory load(Wiring w);
    }

    /** The function's own wiring, from the environment Lambda gives it. */
    static Wiring fromEnvironment() {
        LambdaSettings s = LambdaSettings.from(System::getenv);
        AwsCredentialsProvider creds = functionRole();
        Clock clock = Clock.systemUTC();
        // the policy from where the template says (an SSM parameter, an S3 object or a file): one artifact, any policy
        PolicySet policies = dev.vigil.aws.PolicyLocations.load(s.policy().toString(), Region.of(s.region()), s.endpoint(), creds);
        coldStartLog(policies, System.err);
        return new Wiring(s, policies, StoreFactory.production(s, creds, clock), creds, System::getenv, clock, System.out,
                Wiring::stderr, Wiring::describeAccount);
    }

    /**
     * @param env where notification secrets ({@code *-env} settings) are read
     * @param out where findings are written, one JSON line each
     */
    Wiring(LambdaSettings settings, PolicySet policies, StoreFactory.Store store, AwsCredentialsProvider credentials,
           Function<String, String> env, Clock clock, PrintStream out, BiConsumer<String, String> problems, InventorySource inventorySource) {
        this.settings = settings;
        this.policies = policies;
        this.store = store;
        this.clock = clock;
        this.problems = problems;
        this.credentials = credentials;
        closeables.add(store.resources());
        Region region = Region.of(settings.region());
        AwsClients aws = AwsClients.create(AwsClients.Config.of(region, settings.endpoint(), policies.live(), policies.self()), credentials);
        closeables.add(aws);
        this.aws = aws;
        LiveActions actions = LiveActions.wire(policies, aws, settings.account(), region.id(), settings.endpoint(), credentials, env, closeables);
        this.inventory = new RefreshingInventory(() -> inventorySource.load(this), INVENTORY_MAX_AGE);
        this.findings = new FindingsOut(out, settings.topicArn(), () -> aws.sns(null, topicRegion(settings)), problems);
        this.pipeline = new LivePipeline(policies, store.store(), actions.actions(), actions.notifications(), inventory, clock, metrics, findings, problems);
        pipeline.useCase().placeUnplaced(dev.vigil.core.event.AccountId.orNull(settings.account()), dev.vigil.core.event.Region.of(region.id()));
        ObjectSource objects = new S3Objects(aws, region.id());
        this.messages = new QueueMessages(pipeline, objects, store.store(), metrics, problems);
    }

    /** At each cold start, in the function's log: every enabled disruptive response and the exemptions. */
    static void coldStartLog(PolicySet policies, PrintStream log) {
        for (String line : dev.vigil.core.policy.EnforcementBanner.lines(policies, false)) log.println("vigil: " + line);
    }

    /**
     * The function's own principal, from STS GetCallerIdentity at its first invocation (not at init: nothing here
     * calls AWS before an invocation), so that its own calls are never answered; tried again at the next invocation
     * when STS fails.
     */
    void learnSelf() {
        if (selfKnown) return;
        try {
            policies.self().runsAs(aws.callerArn());
            selfKnown = true;
        } catch (RuntimeException e) {
            problems.accept("sts", "cannot tell this function's own identity (GetCallerIdentity failed: " + e.getClass().getSimpleName()
                    + "): its own calls are known only by self.role-arns and live.assume-roles until it answers");
        }
    }

    /**
     * The function role's credentials, from where Lambda puts them and nowhere else (no chain of profiles and instance
     * metadata to probe at a cold start): environment variables, or, under SnapStart, the container credentials
     * endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI with its token), which Lambda uses then instead.
     */
    static AwsCredentialsProvider functionRole() {
        return AwsCredentialsProviderChain.builder().reuseLastProviderEnabled(false)
                .credentialsProviders(EnvironmentVariableCredentialsProvider.create(), ContainerCredentialsProvider.create()).build();
    }

    /** The production inventory: the home region's instances, groups and ACLs, when the policy acts on EC2 at all. */
    private static StaticInventory describeAccount(Wiring w) {
        StaticInventory inv = StaticInventory.empty();
        if (!DeploymentPlan.of(w.policies, false).ec2()) return inv; // the role has no Describe permissions then
        var b = Ec2Client.builder().region(Region.of(w.settings.region())).credentialsProvider(w.credentials)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3)).socketTimeout(Duration.ofSeconds(10)).build());
        if (w.settings.endpoint() != null) b.endpointOverride(w.settings.endpoint());
        try (Ec2Client ec2 = b.build()) {
            Ec2Inventory.load(ec2, w.settings.region(), inv, w.problems);
        }
        return inv;
    }

    /** The topic ARN's region (arn:aws:sns:REGION:...), else the function's. */
    private static String topicRegion(LambdaSettings s) {
        String[] p = s.topicArn() == null ? new String[0] : s.topicArn().split(":", -1);
        return p.length == 6 && !p[3].isEmpty() ? p[3] : s.region();
    }

    /** One line per problem on stderr (the function's log): {@code vigil: <where>: <what>}. */
    static void stderr(String where, String message) {
        String m = message == null ? "" : message.replace('\n', ' ').replace('\r', ' ');
        System.err.println("vigil: " + where + ": " + m);
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // closing clients: nothing more to do
            }
        }
    }
}
