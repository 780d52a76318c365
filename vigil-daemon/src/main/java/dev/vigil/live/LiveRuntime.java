package dev.vigil.live;

import dev.vigil.aws.AwsClients;
import dev.vigil.aws.S3Objects;
import dev.vigil.aws.TimedExecutor;
import dev.vigil.aws.sqs.SqsQueue;
import dev.vigil.aws.sqs.SqsSource;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.store.RuntimeStore;
import dev.vigil.inventory.AwsCliInventory;
import dev.vigil.aws.Ec2Inventory;
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
                          java.net.InetAddress httpBind, List<String> regions, boolean allRegions) {
        /**
         * @param region the home region (the first {@code --region}), or null for the SDK's chain
         * @param regions every {@code --region} given, in order (two or more: only their events are handled)
         * @param allRegions {@code --all-regions}: every region enabled in the account (EC2 DescribeRegions at start)
         */
        public Options {
            regions = regions == null ? List.of() : List.copyOf(regions);
            if (region == null && !regions.isEmpty()) region = regions.get(0);
        }

        public Options(String queueUrl, List<Daemon.Tail> tails, boolean tailFromStart, Path store, List<Path> inventory, URI endpoint,
                       String region, String profile, Integer httpPort, boolean dryRun, boolean untilEmpty, int waitSeconds,
                       AwsCredentialsProvider credentials, URI sqsEndpoint, boolean lookUp, String account, java.net.InetAddress httpBind) {
            this(queueUrl, tails, tailFromStart, store, inventory, endpoint, region, profile, httpPort, dryRun, untilEmpty, waitSeconds,
                    credentials, sqsEndpoint, lookUp, account, httpBind, List.of(), false);
        }

        /** The same, watching {@code regions} ({@code --region} repeated) or every enabled region. */
        public Options watching(List<String> regions, boolean allRegions) {
            return new Options(queueUrl, tails, tailFromStart, store, inventory, endpoint, regions.isEmpty() ? region : regions.get(0), profile,
                    httpPort, dryRun, untilEmpty, waitSeconds, credentials, sqsEndpoint, lookUp, account, httpBind, regions, allRegions);
        }

        /** True when the regions given are a filter: two or more {@code --region}, or {@code --all-regions}. */
        boolean filtersRegions() {
            return allRegions || regions.stream().distinct().count() > 1;
        }
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
    private final List<String> awsNeeds;
    private final List<String> regions;
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
        this.awsNeeds = StartupChecks.awsNeeds(policies, o.queueUrl(), o.store(), o.allRegions());
        boolean usesAws = !awsNeeds.isEmpty();
        // the SDK's chain (--region, AWS_REGION, AWS_DEFAULT_REGION, the profile, the instance metadata), never a default;
        // without AWS a region is only where findings are placed: none is no error, and the metadata is not asked
        Region region = usesAws ? dev.vigil.aws.RegionChain.resolve(o.region(), o.profile(), env, o.lookUp() && o.endpoint() == null)
                : dev.vigil.aws.RegionChain.resolveOrNull(o.region(), o.profile(), env);
        AwsCredentialsProvider creds = !usesAws ? null : o.credentials() != null ? o.credentials()
                : o.profile() != null ? ProfileCredentialsProvider.create(o.profile()) : DefaultCredentialsProvider.builder().build();
        if (strict && usesAws) { // the credentials first: a store on DynamoDB would otherwise fail on them with the SDK's whole chain
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
        AwsClients aws = null;
        String account = o.account();
        if (usesAws) {
            AwsClients.Config config = AwsClients.Config.of(region, o.endpoint(), policies.live(), policies.self()).withEc2Interceptor(mark.interceptor());
            aws = o.credentials() != null ? AwsClients.create(config, o.credentials()) : AwsClients.create(config, o.profile());
            closeables.add(aws);
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
        }
        LiveActions wired = LiveActions.wire(policies, aws != null ? aws : new WithoutAws(awsNeeds), account, region == null ? null : region.id(),
                o.endpoint(), creds, env, closeables, true);
        NotifyExecutor notify = wired.notifications();
        TimedExecutor actions = new TimedExecutor(wired.actions(), metrics, mark);

        this.regions = watchedRegions(o, region, creds);
        StaticInventory inventory = StaticInventory.empty();
        for (Path p : o.inventory()) AwsCliInventory.load(p, inventory, problems);
        if (o.lookUp() && usesAws) { // reconcile with the account: what runs now, whatever was missed while vigil was down
            for (String r : regions) {
                try (Ec2Client lookup = ec2(Region.of(r), creds, o.endpoint())) {
                    Ec2Inventory.load(lookup, r, inventory, problems);
                }
            }
        }

        LivePipeline pipeline = new LivePipeline(policies, store, actions, notify, inventory, clock, metrics, out, problems);
        pipeline.useCase().placeUnplaced(dev.vigil.core.event.AccountId.orNull(account), region == null ? null : dev.vigil.core.event.Region.of(region.id()));
        if (o.filtersRegions()) pipeline.watching(regions.stream().map(dev.vigil.core.event.Region::of).toList());
        Daemon.Queue queue = null;
        if (o.queueUrl() != null) {
            QueueMessages messages = new QueueMessages(pipeline, new S3Objects(aws, region.id()), store, metrics, problems);
            URI sqsAt = o.sqsEndpoint() != null ? o.sqsEndpoint() : o.endpoint();
            SqsSource sqs = SqsSource.connect(new SqsQueue(o.queueUrl(), region, sqsAt, creds, o.waitSeconds()),
                    messages::handle, actions::received, store, metrics, clock, problems);
            closeables.add(sqs::close);
            if (strict) {
                try {
                    sqs.check();
                } catch (SqsQueue.Unusable e) {
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
        this.daemon = new Daemon(pipeline, queue, placed(o.tails(), inventory), o.tailFromStart(), clock, o.untilEmpty(), problems)
                // one delivery thread per target (and one for targets no longer in the policy): a hanging target holds up
                // neither the events nor another target's deliveries
                .deliverOffPath(new DeliveryWorkers(pipeline, policies.targets().keySet(), clock, problems));
        Path kept = tailPositionsFile(o.store());
        if (!o.tailFromStart() && !o.tails().isEmpty() && kept != null) daemon.resumeTails(TailPositions.load(kept, problems));
        this.http = o.httpPort() == null ? null : HttpEndpoints.start(o.httpBind(), o.httpPort(), metrics, clock, 60_000);
        if (http != null) closeables.add(http);
    }

    /**
     * Where the tailed files' positions are kept between runs: beside the SQLite store ({@code vigil.db.tail-positions});
     * with the DynamoDB store (daemons side by side, each tailing its own host's files) {@code vigil-state/tail-positions}
     * in the working directory; none without a store (tests).
     */
    static Path tailPositionsFile(Path store) {
        if (store == null) return null;
        if (store.toString().startsWith("dynamodb:/")) return Path.of("vigil-state", "tail-positions");
        return store.resolveSibling(store.getFileName() + ".tail-positions");
    }

    /** A client for the start-up's EC2 reads (the look-up, DescribeRegions) in {@code region}; the caller closes it. */
    private static Ec2Client ec2(Region region, AwsCredentialsProvider creds, URI endpoint) {
        var b = Ec2Client.builder().region(region).credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create());
        if (endpoint != null) b.endpointOverride(endpoint);
        return b.build();
    }

    /**
     * The regions this runtime watches: every enabled one ({@code --all-regions}: DescribeRegions in the home region),
     * else those given, else the home region alone (none without AWS and no region anywhere).
     */
    private List<String> watchedRegions(Options o, Region home, AwsCredentialsProvider creds) {
        if (o.allRegions()) {
            try (Ec2Client ec2 = ec2(home, creds, o.endpoint())) {
                return dev.vigil.aws.EnabledRegions.list(ec2, home);
            } catch (RuntimeException e) {
                close();
                throw new StartupChecks.Failed(StartupChecks.regions(e, home.id()), e);
            }
        }
        if (!o.regions().isEmpty()) return o.regions().stream().distinct().toList();
        return home == null ? List.of() : List.of(home.id());
    }

    /**
     * A tailed file's lines are placed in its instance's region: as given ({@code FILE=INSTANCE@REGION}), else the one
     * the inventory knows for the instance (the start-up look-up covers every region watched), else the home region.
     */
    private static List<Daemon.Tail> placed(List<Daemon.Tail> tails, StaticInventory inventory) {
        List<Daemon.Tail> out = new ArrayList<>(tails.size());
        for (Daemon.Tail t : tails) {
            dev.vigil.core.event.Region r = t.region();
            if (r == null && t.instance() != null) r = inventory.instance(t.instance()).map(i -> i.region()).orElse(null);
            out.add(new Daemon.Tail(t.file(), t.instance(), r));
        }
        return out;
    }

    /**
     * The executors' clients of a run that needs no AWS (files tailed, notify-only policies, no AWS target): none is
     * made, and a plan that would need one fails saying so (none is expected: what needs AWS makes the run use it).
     */
    private record WithoutAws(List<String> needs) implements dev.vigil.aws.AccountRoutingExecutor.Clients {
        @Override
        public dev.vigil.aws.UndoableExecutor ec2(String account, String region) {
            throw new IllegalStateException("this run makes no AWS call (no queue, no AWS response or target)");
        }

        @Override
        public boolean assumesRoleIn(String account) {
            return false;
        }
    }

    /** What in this run needs AWS (empty: it runs without AWS: no STS, no look-up). */
    public List<String> awsNeeds() {
        return awsNeeds;
    }

    /** The regions watched: every enabled one, those given, or the home region alone. */
    public List<String> regions() {
        return regions;
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
