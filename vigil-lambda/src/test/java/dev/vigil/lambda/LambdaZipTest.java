package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.aws.dynamo.StateClients;
import dev.vigil.deploy.DeploymentPlan;
import dev.vigil.deploy.TemplateBuilder;
import dev.vigil.policy.Policies;
import dev.vigil.testing.Moto;
import dev.vigil.testing.MotoAccount;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lambda zip (scripts/lambda-zip.sh) holds what the handlers load, and nothing of what they never load: every
 * handler the template names is loaded from the zip alone ({@link ZipHarness}: a child JVM whose class path is the
 * harness only, the handlers in a class loader over the zip's root and lib/ with the platform loader as parent),
 * built from the environment the template sets and handed an event, every AWS call to moto. Skipped when the zip has
 * not been built (failed instead under CI=true: .ci/run builds it before the tests).
 */
@ExtendWith(Moto.class)
class LambdaZipTest {
    static final String TABLE = "vigil-state";
    static final String GROUP = "vigil-timers";
    static final String BUCKET = "trail-logs";

    static Path zip;

    @TempDir
    Path dir;

    @BeforeAll
    static void findZip() throws Exception {
        Properties p = new Properties();
        try (var in = Files.newInputStream(Path.of("vigil-core/target/classes/dev/vigil/version.properties"))) {
            p.load(in);
        }
        zip = Path.of("target/dist/vigil-lambda-" + p.getProperty("version") + ".zip");
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isRegularFile(zip) && !ci) Assumptions.abort(zip + " is not built: run scripts/lambda-zip.sh (.ci/run does, before the tests)");
        assertThat(zip).as("CI=true: .ci/run builds the zip (scripts/lambda-zip.sh) before the tests").isRegularFile();
        assertThat(Files.getLastModifiedTime(zip).toMillis()).as(zip + " is older than the classes: run scripts/lambda-zip.sh again")
                .isGreaterThanOrEqualTo(newestClass());
    }

    private static long newestClass() throws Exception {
        try (Stream<Path> s = Files.walk(Path.of("vigil-lambda/target/classes/dev/vigil/lambda"))) {
            return s.filter(Files::isRegularFile).map(LambdaZipTest::mtime).mapToLong(FileTime::toMillis).max().orElse(0);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static FileTime mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void withinLambdasLimitsSortedStampedAndWithoutWhatLambdaNeverLoads() throws Exception {
        assertThat(Files.size(zip)).as("zipped, the direct-upload limit").isLessThan(50_000_000L);
        long unpacked = 0;
        List<String> names = new ArrayList<>();
        TreeSet<Long> times = new TreeSet<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                names.add(e.getName());
                unpacked += e.getSize();
                times.add(e.getTime());
            }
        }
        assertThat(unpacked).as("unpacked, Lambda's limit").isLessThan(250_000_000L);
        assertThat(names).as("byte order of names").isSortedAccordingTo(String::compareTo);
        assertThat(times).as("one timestamp for every entry").hasSize(1);
        assertThat(names).contains("dev/vigil/lambda/EventsHandler.class", "logback.xml")
                .anySatisfy(n -> assertThat(n).matches("lib/ec2-.*\\.jar"))
                .anySatisfy(n -> assertThat(n).matches("lib/org-crac-.*\\.jar"))
                .noneSatisfy(n -> assertThat(n).startsWith("dev/vigil/cli/"))
                .noneSatisfy(n -> assertThat(n).startsWith("db/"))
                .noneSatisfy(n -> assertThat(n).startsWith("dev/vigil/store/SqliteStore"))
                .noneSatisfy(n -> assertThat(n).matches("lib/(sqlite-jdbc|flyway-core|picocli|picocli-codegen|cloudformation|apache5-client|httpclient5)-.*"));
    }

    @Test
    void everyHandlerOfTheTemplateLoadsFromTheZipAloneAndAnswersAnEvent(Moto moto) throws Exception {
        Path unpacked = unzip(dir.resolve("task"));
        // the handlers the template names, for the examples' policy (every input enabled) and an organization
        TreeSet<String> handlers = new TreeSet<>();
        for (boolean org : List.of(false, true)) {
            JsonNode t = LambdaHarness.JSON.valueToTree(TemplateBuilder.build(DeploymentPlan.of(Policies.load(Path.of("examples/policy.yaml")), org)));
            for (JsonNode h : t.findValues("Handler")) handlers.add(h.asText().replace("::handleRequest", ""));
        }
        assertThat(handlers).contains("dev.vigil.lambda.EventsHandler", "dev.vigil.lambda.TimerHandler");

        try (var dynamo = StateClients.dynamo(MotoAccount.REGION, moto.endpoint(), Moto.CREDS)) {
            DynamoStore.createTable(dynamo, TABLE);
        }
        moto.scheduler(MotoAccount.REGION).createScheduleGroup(b -> b.name(GROUP));
        Path log;
        try (Stream<Path> s = Files.walk(Path.of("examples/cloudtrail/AWSLogs"))) {
            // the smallest log file: the S3 path is what is checked here, not the audit (S3AndLogsHandlersTest does that)
            log = s.filter(p -> p.toString().endsWith(".json.gz")).min(java.util.Comparator.comparingLong(LambdaZipTest::size)
                    .thenComparing(Path::toString)).orElseThrow();
        }
        String key = Path.of("examples/cloudtrail").relativize(log).toString();
        var s3 = moto.s3(MotoAccount.REGION);
        s3.createBucket(b -> b.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint(MotoAccount.REGION.id())));
        s3.putObject(b -> b.bucket(BUCKET).key(key), software.amazon.awssdk.core.sync.RequestBody.fromFile(log));

        String call = LambdaHarness.JSON.readTree(Files.readString(Path.of("examples/sg-guard/eventbridge-sg-calls.json"))).get(2).toString();
        Map<String, String> events = new LinkedHashMap<>();
        events.put("dev.vigil.lambda.EventsHandler", call);
        events.put("dev.vigil.lambda.SqsHandler", SqsHandlerTest.batch(List.of("m-1"), List.of(call)));
        events.put("dev.vigil.lambda.S3Handler", LambdaHarness.objectCreated(BUCKET, key));
        events.put("dev.vigil.lambda.LogsHandler", S3AndLogsHandlersTest.awslogs(Files.readString(Path.of("examples/ssh/cloudwatch-secure-web-1.json"))));
        // a tick of now: a tick months back makes the daily timer catch up one report per day since (tens of seconds)
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        events.put("dev.vigil.lambda.ScheduleHandler", """
                {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"Scheduled Event","source":"aws.scheduler",\
                "account":"123456789012","time":"%s","region":"eu-west-1","resources":[],"detail":"{}"}""".formatted(now));
        events.put("dev.vigil.lambda.TimerHandler", "{\"owner\":\"bastions\",\"key\":\"k\",\"due\":\"yesterday\"}");
        assertThat(events.keySet()).as("an event for every handler of the template").containsAll(handlers);

        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:+IgnoreUnrecognizedVMOptions",
                "--sun-misc-unsafe-memory-access=allow", "-cp", harness().toString(), ZipHarness.class.getName(), unpacked.toString()));
        for (String h : handlers) {
            Path event = dir.resolve(h + ".json");
            Files.writeString(event, events.get(h));
            cmd.add(h);
            cmd.add(event.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("CLASSPATH");
        env.put("VIGIL_TABLE", TABLE);
        env.put("VIGIL_SCHEDULE_GROUP", GROUP);
        env.put("VIGIL_TIMER_FUNCTION_ARN", "arn:aws:lambda:eu-west-1:123456789012:function:vigil-timer:live");
        env.put("VIGIL_SCHEDULER_ROLE_ARN", "arn:aws:iam::123456789012:role/vigil-scheduler");
        env.put("VIGIL_POLICY", Path.of("examples/policy.yaml").toAbsolutePath().toString());
        env.put("VIGIL_ENDPOINT_URL", moto.endpoint().toString());
        env.put("AWS_REGION", MotoAccount.REGION.id());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        Process p = pb.start();
        Map<String, JsonNode> replies = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        String initialized = null;
        String primed = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                all.append(l).append('\n');
                if (l.startsWith("INIT-FAILED ")) failed.add(l);
                if (l.startsWith("INITIALIZED ")) initialized = l;
                if (l.startsWith("PRIMED ")) primed = l;
                if (l.startsWith("REPLY ")) {
                    String[] f = l.split(" ", 3);
                    replies.put(f[1], LambdaHarness.JSON.readTree(f[2]));
                }
            }
        }
        System.out.print(all); // the child's log, in the test's report
        assertThat(p.waitFor()).as(all.toString()).isZero();
        assertThat(failed).as("every vigil class of the zip and every SDK client links from the zip alone").isEmpty();
        assertThat(initialized).as(all.toString()).isNotNull();
        assertThat(primed).as(all.toString()).startsWith("PRIMED {dynamodb=1, ec2=1, scheduler=1, sts=1} in ");
        assertThat(replies.keySet()).as(all.toString()).containsExactlyElementsOf(handlers);
        for (var e : replies.entrySet()) {
            JsonNode reply = e.getValue();
            String as = e.getKey() + ": " + reply + "\n" + all;
            switch (e.getKey().substring(e.getKey().lastIndexOf('.') + 1)) {
                case "EventsHandler" -> assertThat(reply.path("events").asInt()).as(as).isEqualTo(1);
                case "SqsHandler" -> assertThat(reply.path("batchItemFailures").isArray() && reply.path("batchItemFailures").isEmpty()).as(as).isTrue();
                case "S3Handler" -> assertThat(reply.path("events").asInt()).as(as).isPositive();
                case "LogsHandler" -> assertThat(reply.path("events").asInt()).as(as).isEqualTo(33);
                case "ScheduleHandler" -> assertThat(reply.path("time").asText()).as(as).isEqualTo(now);
                case "TimerHandler" -> assertThat(reply.path("rejected").asText()).as(as).contains("due");
                default -> throw new AssertionError("no expectation for " + e.getKey());
            }
        }
    }

    /** The zip's entries under DIR, as Lambda unpacks it under /var/task. */
    private Path unzip(Path target) throws Exception {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                Path out = target.resolve(e.getName()).normalize();
                assertThat(out.startsWith(target)).as(e.getName()).isTrue();
                Files.createDirectories(out.getParent());
                try (var in = z.getInputStream(e)) {
                    Files.copy(in, out);
                }
            }
        }
        return target;
    }

    /** A class path of ZipHarness alone (its nested classes too), copied out of the test classes. */
    private Path harness() throws Exception {
        Path src = Path.of(ZipHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("dev/vigil/lambda");
        Path out = dir.resolve("harness/dev/vigil/lambda");
        Files.createDirectories(out);
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : s.filter(f -> f.getFileName().toString().startsWith("ZipHarness")).toList()) Files.copy(f, out.resolve(f.getFileName()));
        }
        return dir.resolve("harness");
    }
}
