package dev.vigil.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.aws.dynamo.SchedulerTimers;
import dev.vigil.aws.dynamo.StateClients;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.store.RuntimeStore;
import dev.vigil.inventory.AwsCliInventory;
import dev.vigil.notify.LocalHttp;
import dev.vigil.policy.Policies;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.LocalSqs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/**
 * The functions wired as in production except for the state store (SQLite on a temporary file, through the store
 * factory's testing seam) and the endpoints: timers are {@code SchedulerTimers} against {@link LocalScheduler}; EC2,
 * SNS and S3 calls reach WireMock ({@link Ec2Stub}); Slack posts a local HTTP server. Handlers are the real classes, invoked with the bytes Lambda would hand them.
 */
final class LambdaHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOPIC = "arn:aws:sns:eu-west-1:111122223333:vigil-findings";
    static final String TIMER_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:vigil-timer:live";
    static final List<Path> INVENTORY = List.of(Path.of("examples/sg-guard/describe-security-groups.json"),
            Path.of("examples/guardduty/describe-instances.json"), Path.of("examples/guardduty/describe-network-acls.json"),
            Path.of("examples/ssh/describe-instances.json"), Path.of("examples/ssh/describe-network-acls.json"),
            Path.of("examples/bastion/describe-instances.json"));

    final Ec2Stub aws;
    final LocalHttp slack;
    final SqliteStore store;
    final LocalScheduler scheduler;
    final SchedulerTimers timers;
    final SchedulerClient schedulerClient;
    final Wiring wiring;
    final Invocations invocations;
    final List<String> problems = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    LambdaHarness(Path dir, Clock clock) throws Exception {
        this(dir, clock, Path.of("examples/policy.yaml"));
    }

    LambdaHarness(Path dir, Clock clock, Path policy) throws Exception {
        this(dir, clock, policy, null);
    }

    /** @param state the state store (timers excepted), or null for SQLite in {@code dir} */
    LambdaHarness(Path dir, Clock clock, Path policy, RuntimeStore state) throws Exception {
        aws = Ec2Stub.start();
        slack = new LocalHttp();
        aws.answer("RevokeSecurityGroupIngress", 200, Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"))
                .answer("CreateNetworkAcl", 412, Ec2Stub.corpus(Ec2Stub.JCLOUDS + "dry_run.xml"))
                .callerIdentity("arn:aws:sts::111122223333:assumed-role/vigil-function/vigil-events");
        aws.server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish&")).willReturn(aResponse().withStatus(200)
                .withBody("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId>"
                        + "</PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>")));
        store = state == null ? SqliteStore.open(dir.resolve("vigil.db"), clock) : null;
        scheduler = new LocalScheduler();
        schedulerClient = StateClients.scheduler(Region.EU_WEST_1, scheduler.endpoint(), LocalSqs.CREDS);
        timers = new SchedulerTimers(schedulerClient, "vigil-timers", TIMER_ARN, "arn:aws:iam::111122223333:role/vigil-scheduler", clock);
        PolicySet policies = Policies.load(policy);
        LambdaSettings settings = new LambdaSettings("vigil-state", "vigil-timers", TIMER_ARN,
                "arn:aws:iam::111122223333:role/vigil-scheduler", TOPIC, policy, "eu-west-1", aws.endpoint());
        Map<String, String> env = Map.of("VIGIL_SLACK_WEBHOOK", slack.url("/hooks/T000/B000/XXXX"));
        Function<String, String> envFn = env::get;
        wiring = new Wiring(settings, policies, new StoreFactory.Store(new SchedulerBackedStore(state == null ? store : state, timers), timers::deliver, schedulerClient), LocalSqs.CREDS, envFn, clock,
                new PrintStream(stdout, true, StandardCharsets.UTF_8), (where, msg) -> problems.add(where + ": " + msg), w -> files(w));
        invocations = new Invocations(wiring);
    }

    private static StaticInventory files(Wiring w) {
        StaticInventory inv = StaticInventory.empty();
        for (Path p : INVENTORY) AwsCliInventory.load(p, inv, w.problems);
        return inv;
    }

    /** Invokes a handler as Lambda does: the input's bytes in, the reply's bytes out. */
    static JsonNode invoke(RequestStreamHandler h, String input, String requestId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, context(requestId));
        return JSON.readTree(out.toByteArray());
    }

    static JsonNode invoke(RequestStreamHandler h, String input) throws Exception {
        return invoke(h, input, "req-" + System.nanoTime());
    }

    /** A Lambda context that knows its request id (the only thing the handlers ask of it). */
    static Context context(String requestId) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getAwsRequestId" -> requestId;
                    case "getRemainingTimeInMillis" -> 60_000;
                    case "getMemoryLimitInMB" -> 1024;
                    case "toString" -> "context " + requestId;
                    default -> null;
                });
    }

    /** Lines the functions logged on stdout: findings, then each invocation's summary. */
    List<JsonNode> stdout() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : stdout.toString(StandardCharsets.UTF_8).split("\n")) if (!l.isBlank()) out.add(JSON.readTree(l));
        return out;
    }

    List<JsonNode> findings() throws Exception {
        return stdout().stream().filter(n -> n.has("rule")).toList();
    }

    /** Serves an object at its path-style URL, as S3 would to GetObject. */
    void serveObject(String bucket, String key, byte[] content) {
        aws.server.stubFor(get(urlPathEqualTo("/" + bucket + "/" + key)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/octet-stream").withBody(content)));
    }

    /** S3's "Object Created" event as the bucket's EventBridge notifications send it. */
    static String objectCreated(String bucket, String key) {
        var e = JSON.createObjectNode().put("version", "0").put("id", "oc-" + Integer.toHexString(key.hashCode()))
                .put("detail-type", "Object Created").put("source", "aws.s3").put("account", "111122223333")
                .put("time", "2025-03-11T14:30:00Z").put("region", "eu-west-1");
        e.putArray("resources").add("arn:aws:s3:::" + bucket);
        var d = e.putObject("detail");
        d.put("version", "0");
        d.putObject("bucket").put("name", bucket);
        d.putObject("object").put("key", key).put("size", 1024);
        d.put("reason", "PutObject");
        return e.toString();
    }

    /** The EC2 (and SNS) form bodies that reached WireMock, with the given Action. */
    List<Map<String, String>> sent(String action) {
        return aws.sent().stream().filter(f -> action.equals(f.get("Action"))).toList();
    }

    @Override
    public void close() {
        wiring.close();
        if (store != null) store.close();
        scheduler.close();
        slack.close();
        aws.close();
    }
}
