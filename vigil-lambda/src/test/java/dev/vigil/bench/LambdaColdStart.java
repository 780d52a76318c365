package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.dynamo.StateClients;
import dev.vigil.testing.Moto;
import dev.vigil.testing.MotoServer;
import java.io.BufferedReader;
import java.io.File;
import java.net.URI;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Issue 9's cold-start figure: a Lambda handler from JVM start to ready for its first event, and to that event
 * answered, in a fresh JVM per run ({@link LambdaColdStartProbe}) with only the deployment jar (and the probe) on the
 * class path, the production wiring (DynamoStore, Scheduler timers, AWS clients, notifiers) built from the
 * environment the template gives, moto's server for the store and the EC2 look-ups. Runs each JVM option set {@code --runs} times and
 * prints min / median / max. Run: {@code bench/lambda-cold-start.sh [RUNS]}.
 */
public final class LambdaColdStart {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaColdStart() {}

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(arg(args, "--runs", "5"));
        String java = arg(args, "--java", "java");
        String jar = arg(args, "--jar", "target/vigil.jar");
        // --task DIR: an unpacked Lambda zip (its root and lib/*.jar on the class path, as Lambda's java21 runtime has them)
        String task = arg(args, "--task", null);
        String handler = arg(args, "--handler", "dev.vigil.lambda.EventsHandler");
        // an sg-guard call that failed: decoded, run through the engine, deduplicated in DynamoDB; nothing to act on
        JsonNode events = JSON.readTree(Files.readString(Path.of("examples/sg-guard/eventbridge-sg-calls.json")));
        Path event = Files.createTempFile("vigil-cold-start", ".json");
        Files.writeString(event, events.get(2).toString());
        // the probe alone beside the package: nothing else of the test classes (their logback-test.xml) on the class path
        Path probeDir = Files.createTempDirectory("vigil-probe");
        Path probeClass = Path.of("target/test-classes", LambdaColdStartProbe.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(probeDir.resolve(probeClass.getParent().toString().substring("target/test-classes/".length())));
        Files.copy(probeClass, probeDir.resolve(probeClass.toString().substring("target/test-classes/".length())));
        String probeCp;
        if (task != null) {
            probeCp = task + File.pathSeparator + task + "/lib/*" + File.pathSeparator + probeDir;
            System.out.printf("package %s (unpacked zip)%n", task);
        } else {
            probeCp = jar + File.pathSeparator + probeDir;
            System.out.printf("jar %s: %.1f MB (%,d bytes)%n", jar, Files.size(Path.of(jar)) / 1e6, Files.size(Path.of(jar)));
        }
        try (MotoServer moto = Moto.startOwn();
                var client = StateClients.dynamo(software.amazon.awssdk.regions.Region.US_EAST_1, moto.endpoint(), MotoServer.CREDS)) {
            List<String[]> variants = List.of(new String[] {"default JIT", ""},
                    new String[] {"-XX:TieredStopAtLevel=1", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"});
            for (String[] v : variants) {
                List<Long> ready = new ArrayList<>();
                List<Long> first = new ArrayList<>();
                for (int i = 0; i < runs + 1; i++) {
                    String table = "cold-" + System.nanoTime();
                    createTable(client, table);
                    List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xshare:auto", "-XX:+IgnoreUnrecognizedVMOptions",
                            "--sun-misc-unsafe-memory-access=allow"));
                    if (!v[1].isEmpty()) cmd.addAll(Arrays.asList(v[1].split(" ")));
                    cmd.addAll(List.of("-cp", probeCp, LambdaColdStartProbe.class.getName(), handler, event.toString()));
                    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                    Map<String, String> env = pb.environment();
                    env.put("VIGIL_TABLE", table);
                    env.put("VIGIL_SCHEDULE_GROUP", "vigil-timers");
                    env.put("VIGIL_TIMER_FUNCTION_ARN", "arn:aws:lambda:us-east-1:111122223333:function:vigil-timer:live");
                    env.put("VIGIL_SCHEDULER_ROLE_ARN", "arn:aws:iam::111122223333:role/vigil-scheduler");
                    env.put("VIGIL_POLICY", "examples/policy.yaml");
                    env.put("VIGIL_ENDPOINT_URL", moto.endpoint().toString());
                    env.put("AWS_REGION", "us-east-1"); // moto keeps its state per account and region
                    env.put("AWS_ACCESS_KEY_ID", "test");
                    env.put("AWS_SECRET_ACCESS_KEY", "test");
                    env.remove("JAVA_TOOL_OPTIONS");
                    Process p = pb.start();
                    String line = null;
                    StringBuilder all = new StringBuilder();
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String l; (l = r.readLine()) != null; ) {
                            all.append(l).append('\n');
                            if (l.startsWith("COLD-START ")) line = l.substring("COLD-START ".length());
                        }
                    }
                    p.waitFor();
                    if (line == null) throw new IllegalStateException("the probe printed no figure:\n" + all);
                    JsonNode n = JSON.readTree(line);
                    if (i == 0) continue; // the first run warms the OS page cache
                    ready.add(n.path("ready_ms").asLong());
                    first.add(n.path("first_event_ms").asLong());
                }
                System.out.printf("%-26s JVM start -> handler ready: min %d / median %d / max %d ms; -> first event answered: min %d / median %d / max %d ms (%d runs)%n",
                        v[0], min(ready), median(ready), max(ready), min(first), median(first), max(first), runs);
            }
        }
        Files.deleteIfExists(event);
    }

    /** The table as the template declares it; moto makes it active at once (no waiter's 20 s poll). */
    private static void createTable(DynamoDbClient client, String table) {
        client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
    }

    private static long min(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).min().orElse(-1);
    }

    private static long max(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    private static long median(List<Long> v) {
        List<Long> s = v.stream().sorted().toList();
        return s.isEmpty() ? -1 : s.get(s.size() / 2);
    }

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        return dflt;
    }
}
