package dev.vigil.cli;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.live.Daemon;
import dev.vigil.live.LiveRuntime;
import dev.vigil.output.JsonLinesWriter;
import dev.vigil.store.StoreException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run as a daemon: consume the SQS queue EventBridge and S3 notifications feed, and/or follow sshd log files;"
                + " act on the account, notify, and record everything in the store. SIGTERM finishes the batch in hand and stops.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", "2:bad usage or policy; credentials, queue or store not usable (one line says which)"})
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    PolicyOptions.File policy;

    @CommandLine.Mixin
    PolicyOptions.Sigma sigma;

    @Option(names = "--queue-url", paramLabel = "URL", description = "The SQS queue to consume.")
    String queueUrl;

    @Option(names = "--tail", paramLabel = "FILE[=INSTANCE[@REGION]]", description = "Follow an sshd log file (surviving rotation); its lines"
            + " come from INSTANCE when they name none, in REGION (default: the instance's region as the start-up look-up found it,"
            + " else the home region).")
    List<String> tail = new ArrayList<>();

    @Option(names = "--tail-from-start", description = "Read tailed files from their start rather than their end.")
    boolean tailFromStart;

    @Option(names = "--store", paramLabel = "FILE|dynamodb://TABLE", defaultValue = "${env:VIGIL_STORE:-vigil-state/vigil.db}",
            description = "The SQLite store (one daemon), or dynamodb://TABLE for daemons side by side on one queue (the table as"
                    + " 'vigil deploy template' declares it; default: $VIGIL_STORE or ${DEFAULT-VALUE}).")
    Path store;

    @Option(names = "--inventory", paramLabel = "FILE", arity = "1..*", description = "aws ec2 describe-* JSON to start from.")
    List<Path> inventory = new ArrayList<>();

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "An AWS-compatible endpoint for every AWS call.")
    URI endpoint;

    @Option(names = "--sqs-endpoint-url", paramLabel = "URL", description = "The queue's endpoint, when it differs from --endpoint-url.")
    URI sqsEndpoint;

    @Option(names = "--account", paramLabel = "ID", description = "This runtime's own account (default: asked of STS GetCallerIdentity).")
    String account;

    @Option(names = "--region", paramLabel = "REGION", split = ",",
            description = "The home region: STS, the store, S3, and findings whose input names no region (default: the SDK's chain:"
                    + " $AWS_REGION, $AWS_DEFAULT_REGION, the profile's region, the instance's). Repeatable (or R1,R2): then only"
                    + " events of these regions are handled, the first is the home region, and each is looked up at start. Actions"
                    + " always run in the event's region; the queue in the region its URL names.")
    List<String> regions = new ArrayList<>();

    @Option(names = "--all-regions", description = "Watch every region enabled in the account (EC2 DescribeRegions at start, in the"
            + " home region): their events, their look-up; events of other regions are skipped.")
    boolean allRegions;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile (default: the standard provider chain).")
    String profile;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "9464",
            description = "Port of /healthz and /metrics on 127.0.0.1 (0: any free port; -1: off; default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--health-bind", paramLabel = "ADDRESS[:PORT]",
            description = "Address (and port, else --http-port) /healthz and /metrics listen on (default 127.0.0.1; e.g. 0.0.0.0:9464 or [::]:9464"
                    + " for a probe from outside the host: /metrics then answers anyone who can reach it).")
    String healthBind;

    @Option(names = "--no-look-up", negatable = false, description = "Do not describe the account's instances, groups and ACLs at start"
            + " (then only --inventory files and events say what runs).")
    boolean noLookUp;

    @Option(names = "--dry-run", description = "Check every response (EC2 DryRun) and carry none out.")
    boolean dryRun;

    @Option(names = "--until-empty", description = "Stop once the queue is empty and tailed files are read (a one-off catch-up).")
    boolean untilEmpty;

    @Option(names = "--wait-seconds", paramLabel = "N", defaultValue = "5", description = "SQS long-poll wait (default ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = System.err;
        if (queueUrl == null && tail.isEmpty()) throw usage("give --queue-url, --tail, or both");
        if (waitSeconds < 0 || waitSeconds > 20) throw usage("--wait-seconds must be 0 to 20");
        List<Daemon.Tail> tails = new ArrayList<>();
        for (String t : tail) {
            int eq = t.lastIndexOf('=');
            InstanceId inst = null;
            dev.vigil.core.event.Region in = null;
            String file = t;
            if (eq > 0 && t.substring(eq + 1).startsWith("i-")) {
                String id = t.substring(eq + 1);
                int at = id.indexOf('@');
                if (at >= 0) {
                    String r = id.substring(at + 1);
                    if (!r.matches("[a-z]{2}(-[a-z]+)+-\\d+")) throw usage("--tail " + t + ": '" + r + "' is not a region name");
                    in = dev.vigil.core.event.Region.of(r);
                    id = id.substring(0, at);
                }
                try {
                    inst = InstanceId.of(id);
                } catch (IllegalArgumentException e) {
                    throw usage("--tail " + t + ": '" + id + "' is not an instance id");
                }
                file = t.substring(0, eq);
            }
            tails.add(new Daemon.Tail(Path.of(file), inst, in));
        }
        for (String r : regions) {
            if (!r.matches("[a-z]{2}(-[a-z]+)+-\\d+")) throw usage("--region " + r + ": not a region name (e.g. eu-west-1)");
        }
        if (allRegions && regions.size() > 1) throw usage("--all-regions watches every enabled region: give at most one --region (the home region)");
        PolicySet set;
        try {
            set = sigma.addTo(policy.load());
        } catch (PolicyException e) {
            err.println("vigil: " + e.getMessage());
            return 2;
        }
        java.net.InetAddress bind = null;
        if (healthBind != null) {
            HealthBind hb;
            try {
                hb = HealthBind.parse(healthBind);
            } catch (IllegalArgumentException e) {
                throw usage("--health-bind " + healthBind + ": " + e.getMessage());
            }
            bind = hb.address();
            if (hb.port() != null) httpPort = hb.port();
        }
        Problems problems = new Problems(err, () -> {});
        LiveRuntime rt;
        try {
            rt = LiveRuntime.checked(set, new LiveRuntime.Options(queueUrl, tails, tailFromStart, store, inventory, endpoint, null, profile,
                    httpPort < 0 ? null : httpPort, dryRun, untilEmpty, waitSeconds, null, sqsEndpoint, !noLookUp, account, bind)
                    .watching(regions, allRegions), Clock.systemUTC(), System::getenv,
                    new JsonLinesWriter(out), problems);
        } catch (StoreException | dev.vigil.aws.RegionChain.NoRegion e) {
            err.println("vigil: " + e.getMessage());
            return 2;
        } catch (dev.vigil.live.StartupChecks.Failed e) { // one line: what is wrong and how to fix it
            err.println("vigil: " + e.getMessage());
            return 2;
        }
        // before anything acts: what this run may change, and what it never touches (enforcement is opt-in)
        for (String line : dev.vigil.core.policy.EnforcementBanner.lines(set, dryRun)) err.println("vigil: " + line);
        if (rt.awsNeeds().isEmpty()) err.println("vigil: " + dev.vigil.live.StartupChecks.withoutAws(!noLookUp));
        else if (allRegions || regions.size() > 1) err.println("vigil: watching " + rt.regions().size() + " region(s): " + String.join(", ", rt.regions()));
        err.println("vigil: running" + (queueUrl != null ? ": queue " + queueUrl : "") + (tails.isEmpty() ? "" : ", following "
                + tails.size() + " file(s)") + ", store " + store + (rt.httpPort() > 0 ? ", http://" + HealthBind.show(rt.httpAddress()) : "")
                + (dryRun || set.live().dryRun() ? ", dry-run" : ""));
        CountDownLatch closed = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean clean = new java.util.concurrent.atomic.AtomicBoolean();
        Thread hook = new Thread(() -> {
            try {
                boolean stopped = rt.daemon().stop(60_000);
                boolean done = closed.await(10, java.util.concurrent.TimeUnit.SECONDS);
                if (stopped && done && clean.get()) { // SIGTERM, drained and closed: a clean stop, exit 0 (not the JVM's 143)
                    out.flush();
                    err.flush();
                    Runtime.getRuntime().halt(0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            rt.daemon().run();
            long events = rt.metrics().events();
            rt.close();
            err.println("vigil: stopped after " + rt.metrics().messages() + " message(s), " + events + " event(s)");
            clean.set(true);
        } finally {
            if (!clean.get()) rt.close();
            closed.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGTERM: the hook is running and waits for us
        }
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
