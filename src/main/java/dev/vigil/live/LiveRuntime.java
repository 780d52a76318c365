package dev.vigil.live;

import dev.vigil.aws.AwsClients;
import dev.vigil.aws.S3Objects;
import dev.vigil.aws.TimedExecutor;
import dev.vigil.aws.sqs.SqsSource;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.store.RuntimeStore;
import dev.vigil.inventory.AwsCliInventory;
import dev.vigil.inventory.Ec2Inventory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import dev.vigil.http.HttpEndpoints;
import dev.vigil.metrics.Metrics;
import dev.vigil.notify.NotifyExecutor;
import dev.vigil.output.ReportWriter;
import dev.vigil.store.SqliteStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Wires {@code vigil run}: the store, the AWS executors and notifiers, the queue, tailed files and the HTTP
 * endpoints, from the policy and the command's options. Only wiring: the behaviour is in {@link LivePipeline},
 * {@link SqsSource} and {@link Daemon}.
 */
public final class LiveRuntime implements AutoCloseable {
    /** What {@code vigil run} was asked. */
    public record Options(String queueUrl, List<Daemon.Tail> tails, boolean tailFromStart, Path store, List<Path> inventory,
                          URI endpoint, String region, String profile, Integer httpPort, boolean dryRun, boolean untilEmpty,
                          int waitSeconds, AwsCredentialsProvider credentials, URI sqsEndpoint, boolean lookUp, String account,
                          java.net.InetAddress httpBind) {
        /** /healthz and /metrics on the loopback address. */
        public Options(String queueUrl, List<Daemon.Tail> tails, boolean tailFromStart, Path store, List<Path> inventory, URI endpoint,
                       String region, String profile, Integer httpPort, boolean dryRun, boolean untilEmpty, int waitSeconds,
                       AwsCredentialsProvider credentials, URI sqsEndpoint, boolean lookUp, String account) {
            this(queueUrl, tails, tailFromStart, store, inventory, endpoint, region, profile, httpPort, dryRun, untilEmpty, waitSeconds,
                    credentials, sqsEndpoint, lookUp, account, null);
        }

        public Options(String queueUrl, List<Daemon.Tail> tails, boolean tailFromStart, Path store, List<Path> inventory, URI endpoint,
                       String region, String profile, Integer httpPort, boolean dryRun, boolean untilEmpty, int waitSeconds,
                       AwsCredentialsProvider credentials, URI sqsEndpoint) {
            this(queueUrl, tails, tailFromStart, store, inventory, endpoint, region, profile, httpPort, dryRun, untilEmpty, waitSeconds,
                    credentials, sqsEndpoint, false, "111122223333");
        }

        /** Credentials from the profile, else from the standard provider chain. */
        public Options(String queueUrl, List<Daemon.Tail> tails, boolean tailFromStart, Path store, List<Path> inventory, URI endpoint,
                       String region, String profile, Integer httpPort, boolean dryRun, boolean untilEmpty, int waitSeconds) {
            this(queueUrl, tails, tailFromStart, store, inventory, endpoint, region, profile, httpPort, dryRun, untilEmpty, waitSeconds, null, null);
        }
    }

    private final RuntimeStore store;
    /** The principal of the credentials, when the start-up check asked STS (then asked once). */
    private String caller;
    private final Metrics metrics = new Metrics();
    private final Daemon daemon;
    private final HttpEndpoints http;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public LiveRuntime(PolicySet policies, Options o, Clock clock, Function<String, String> env, ReportWriter out,
                       BiConsumer<String, String> problems) throws IOException {
        this(policies, o, clock, env, out, problems, false);
    }

    /**
     * {@code vigil run}'s runtime, checked before it runs ({@link StartupChecks}): the credentials (GetCallerIdentity),
     * the queue and the store; a failure throws {@link StartupChecks.Failed} with one line to print.
     */
    public static LiveRuntime checked(PolicySet policies, Options o, Clock clock, Function<String, String> env, ReportWriter out,
                                      BiConsumer<String, String> problems) throws IOException {
        return new LiveRuntime(policies, o, clock, env, out, problems, true);
    }

    private LiveRuntime(PolicySet policies, Options o, Clock clock, Function<String, String> env, ReportWriter out,
                        BiConsumer<String, String> problems, boolean strict) throws IOException {
        if (o.dryRun()) policies = withDryRun(policies);
        // the SDK's chain (--region, AWS_REGION, AWS_DEFAULT_REGION, the profile, the instance metadata), never a default
        Region region = dev.vigil.aws.RegionChain.resolve(o.region(), o.profile(), env, o.lookUp() && o.endpoint() == null);
        AwsCredentialsProvider creds = o.credentials() != null ? o.credentials() : o.profile() != null ? ProfileCredentialsProvider.create(o.profile()) : DefaultCredentialsProvider.builder().build();
        if (strict) { // the credentials first: a store on DynamoDB would otherwise fail on them with the SDK's whole chain
            try (AwsClients probe = o.credentials() != null ? AwsClients.create(AwsClients.Config.of(region, o.endpoint(), policies.live(), policies.self()), o.credentials())
                    : AwsClients.create(AwsClients.Config.of(region, o.endpoint(), policies.live(), policies.self()), o.profile())) {
                this.caller = probe.callerArn();
            } catch (RuntimeException e) {
                throw new StartupChecks.Failed(StartupChecks.credentials(e, o.profile(), o.endpoint()), e);
            }
        }
        LiveStores.Opened opened;
        try {
            opened = LiveStores.open(o.store(), region, o.endpoint(), creds, env, clock);
        } catch (dev.vigil.store.StoreException e) {
            if (strict) throw new StartupChecks.Failed(StartupChecks.store(e), e);
            throw e;
        }
        this.store = opened.store();
        closeables.add(opened.resources());

        TimedExecutor.Mark mark = new TimedExecutor.Mark(metrics);
        AwsClients.Config config = AwsClients.Config.of(region, o.endpoint(), policies.live(), policies.self()).withEc2Interceptor(mark.interceptor());
        AwsClients aws = o.credentials() != null ? AwsClients.create(config, o.credentials()) : AwsClients.create(config, o.profile());
        closeables.add(aws);
        String account = o.account();
        try { // one GetCallerIdentity: this runtime's own principal (never answered) and, unless given, its account
            String caller = this.caller != null ? this.caller : aws.callerArn();
            policies.self().runsAs(caller);
            String[] arn = caller.split(":", 6);
            if (account == null && arn.length == 6) account = arn[4];
        } catch (RuntimeException e) {
            problems.accept("sts", "cannot tell this runtime's own identity (GetCallerIdentity failed: " + e.getClass().getSimpleName()
                    + "): its own calls are known only by self.role-arns and live.assume-roles"
                    + (account == null ? "; give --account: until then only accounts with a role in live.assume-roles are acted in" : ""));
        }
        LiveActions wired = LiveActions.wire(policies, aws, account, region.id(), o.endpoint(), creds, env, closeables, true);
        NotifyExecutor notify = wired.notifications();
        TimedExecutor actions = new TimedExecutor(wired.actions(), metrics, mark);

        StaticInventory inventory = StaticInventory.empty();
        for (Path p : o.inventory()) AwsCliInventory.load(p, inventory, problems);
        if (o.lookUp()) { // reconcile with the account: what runs now, whatever was missed while vigil was down
            var b = Ec2Client.builder().region(region).credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create());
            if (o.endpoint() != null) b.endpointOverride(o.endpoint());
            try (Ec2Client lookup = b.build()) {
                Ec2Inventory.load(lookup, region.id(), inventory, problems);
            }
        }

        LivePipeline pipeline = new LivePipeline(policies, store, actions, notify, inventory, clock, metrics, out, problems);
        pipeline.useCase().placeUnplaced(dev.vigil.core.event.AccountId.orNull(account), dev.vigil.core.event.Region.of(region.id()));
        Daemon.Queue queue = null;
        if (o.queueUrl() != null) {
            QueueMessages messages = new QueueMessages(pipeline, new S3Objects(aws, region.id()), store, metrics, problems);
            URI sqsAt = o.sqsEndpoint() != null ? o.sqsEndpoint() : o.endpoint();
            SqsSource sqs = SqsSource.connect(new SqsSource.Queue(o.queueUrl(), region, sqsAt, creds, o.waitSeconds()),
                    messages::handle, actions::received, store, metrics, clock, problems);
            closeables.add(sqs::close);
            if (strict) {
                try {
                    sqs.check();
                } catch (SqsSource.Unusable e) {
                    close();
                    throw new StartupChecks.Failed(e.getMessage(), e);
                }
            }
            queue = new Daemon.Queue() {
                @Override
                public int pollOnce() {
                    return sqs.pollOnce();
                }

                @Override
                public void close() {
                    sqs.close();
                }
            };
        }
        this.daemon = new Daemon(pipeline, queue, o.tails(), o.tailFromStart(), clock, o.untilEmpty(), problems)
                .deliverOffPath(new DeliveryWorker(pipeline, clock, problems)); // a hanging target never holds up the events
        this.http = o.httpPort() == null ? null : HttpEndpoints.start(o.httpBind(), o.httpPort(), metrics, clock, 60_000);
        if (http != null) closeables.add(http);
    }

    private static PolicySet withDryRun(PolicySet p) {
        var l = p.live();
        return new PolicySet(p.file(), p.self(), p.targets(), p.exemptions(), p.policies(),
                new dev.vigil.core.policy.LiveSettings(true, l.maxDisruptive(), l.per(), l.assumeRoles(), l.notifyGroupWindow()));
    }

    public Daemon daemon() {
        return daemon;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The embedded store (tests and the SQLite-only reports); fails on the DynamoDB store. */
    public SqliteStore store() {
        if (store instanceof SqliteStore s) return s;
        throw new IllegalStateException("the daemon runs on " + store.name() + ", not a SQLite store");
    }

    public RuntimeStore runtimeStore() {
        return store;
    }

    /** The address the HTTP endpoints listen on, or null when they are off. */
    public java.net.InetSocketAddress httpAddress() {
        return http == null ? null : http.address();
    }

    /** The port the HTTP endpoints listen on, or -1 when they are off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
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
