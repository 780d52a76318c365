package dev.vigil.cli;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.live.Daemon;
import dev.vigil.live.LiveRuntime;
import dev.vigil.output.JsonLinesWriter;
import dev.vigil.policy.Policies;
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

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (default: the built-in default policy).")
    Path policy;

    @Option(names = "--sigma", paramLabel = "PATH",
            description = "Also run the Sigma rules of PATH (a .yml file or a directory of them) as a policy named sigma; repeatable.")
    List<Path> sigma = new ArrayList<>();

    @Option(names = "--queue-url", paramLabel = "URL", description = "The SQS queue to consume.")
    String queueUrl;

    @Option(names = "--tail", paramLabel = "FILE[=INSTANCE]", description = "Follow an sshd log file (surviving rotation); its lines"
            + " come from INSTANCE when they name none.")
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

    @Option(names = "--region", paramLabel = "REGION", description = "Region of the queue and of actions (default: the SDK's chain: $AWS_REGION, $AWS_DEFAULT_REGION, the profile's region, the instance's).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile (default: the standard provider chain).")
    String profile;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "9464",
            description = "Port of /healthz and /metrics on 127.0.0.1 (0: any free port; -1: off; default ${DEFAULT-VALUE}).")
    int httpPort;

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
            String file = t;
            if (eq > 0 && t.substring(eq + 1).startsWith("i-")) {
                try {
                    inst = InstanceId.of(t.substring(eq + 1));
                } catch (IllegalArgumentException e) {
                    throw usage("--tail " + t + ": '" + t.substring(eq + 1) + "' is not an instance id");
                }
                file = t.substring(0, eq);
            }
            tails.add(new Daemon.Tail(Path.of(file), inst));
        }
        PolicySet set;
        try {
            set = Policies.withSigma(policy == null ? Policies.defaults() : Policies.load(policy), sigma);
        } catch (PolicyException e) {
            err.println("vigil: " + e.getMessage());
            return 2;
        }
        Problems problems = new Problems(err, () -> {});
        LiveRuntime rt;
        try {
            rt = LiveRuntime.checked(set, new LiveRuntime.Options(queueUrl, tails, tailFromStart, store, inventory, endpoint, region, profile,
                    httpPort < 0 ? null : httpPort, dryRun, untilEmpty, waitSeconds, null, sqsEndpoint, !noLookUp, account), Clock.systemUTC(), System::getenv,
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
        err.println("vigil: running" + (queueUrl != null ? ": queue " + queueUrl : "") + (tails.isEmpty() ? "" : ", following "
                + tails.size() + " file(s)") + ", store " + store + (rt.httpPort() > 0 ? ", http://127.0.0.1:" + rt.httpPort() : "")
                + (dryRun || set.live().dryRun() ? ", dry-run" : ""));
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                rt.daemon().stop(60_000);
                closed.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            rt.daemon().run();
        } finally {
            long events = rt.metrics().events();
            rt.close();
            err.println("vigil: stopped after " + rt.metrics().messages() + " message(s), " + events + " event(s)");
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
