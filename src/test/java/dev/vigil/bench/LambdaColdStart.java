package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.dynamo.DynamoLocal;
import java.io.BufferedReader;
import java.io.File;
import com.sun.net.httpserver.HttpServer;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
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
 * environment the template gives, DynamoDB Local for the store. Runs each JVM option set {@code --runs} times and
 * prints min / median / max. Run: {@code bench/lambda-cold-start.sh [RUNS]}.
 */
public final class LambdaColdStart {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaColdStart() {}

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(arg(args, "--runs", "5"));
        String java = arg(args, "--java", "java");
        String jar = arg(args, "--jar", "target/vigil.jar");
        String handler = arg(args, "--handler", "dev.vigil.lambda.EventsHandler");
        // an sg-guard call that failed: decoded, run through the engine, deduplicated in DynamoDB; nothing to act on
        JsonNode events = JSON.readTree(Files.readString(Path.of("examples/sg-guard/eventbridge-sg-calls.json")));
        Path event = Files.createTempFile("vigil-cold-start", ".json");
        Files.writeString(event, events.get(2).toString());
        String probeCp = jar + File.pathSeparator + "target/test-classes";
        System.out.printf("jar %s: %.1f MB (%,d bytes)%n", jar, Files.size(Path.of(jar)) / 1e6, Files.size(Path.of(jar)));
        try (DynamoLocal dynamo = DynamoLocal.start(); var client = dynamo.client()) {
            HttpServer aws = router(dynamo.endpoint().toString());
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
                    env.put("VIGIL_ENDPOINT_URL", "http://127.0.0.1:" + aws.getAddress().getPort());
                    env.put("AWS_REGION", "us-east-1"); // DynamoDB Local keeps a database per access key and region
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
                if (v == variants.get(variants.size() - 1)) aws.stop(0);
                System.out.printf("%-26s JVM start -> handler ready: min %d / median %d / max %d ms; -> first event answered: min %d / median %d / max %d ms (%d runs)%n",
                        v[0], min(ready), median(ready), max(ready), min(first), median(first), max(first), runs);
            }
        }
        Files.deleteIfExists(event);
        System.exit(0); // DynamoDB Local leaves threads that are not daemons
    }

    /**
     * The one endpoint the functions are given: DynamoDB's JSON calls (X-Amz-Target) go on to DynamoDB Local; the
     * inventory's EC2 Describe calls get an empty account; anything else is not found.
     */
    private static HttpServer router(String dynamo) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        s.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            int status;
            byte[] out;
            String type;
            if (target != null) {
                HttpURLConnection c = (HttpURLConnection) URI.create(dynamo + "/").toURL().openConnection();
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                for (String h : List.of("Content-Type", "X-Amz-Target", "Authorization", "X-Amz-Date")) {
                    String v = ex.getRequestHeaders().getFirst(h);
                    if (v != null) c.setRequestProperty(h, v);
                }
                c.getOutputStream().write(in);
                status = c.getResponseCode();
                out = (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
                type = c.getContentType();
            } else {
                String body = new String(in, StandardCharsets.UTF_8);
                String action = body.startsWith("Action=") ? body.substring(7, body.indexOf('&') < 0 ? body.length() : body.indexOf('&')) : "";
                String set = switch (action) {
                    case "DescribeInstances" -> "reservationSet";
                    case "DescribeSecurityGroups" -> "securityGroupInfo";
                    case "DescribeNetworkAcls" -> "networkAclSet";
                    default -> null;
                };
                status = set == null ? 404 : 200;
                out = (set == null ? "{}" : "<" + action + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><"
                        + set + "/></" + action + "Response>").getBytes(StandardCharsets.UTF_8);
                type = set == null ? "application/json" : "text/xml;charset=UTF-8";
            }
            ex.getResponseHeaders().set("Content-Type", type == null ? "application/octet-stream" : type);
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        s.start();
        return s;
    }

    /** The table as the template declares it; DynamoDB Local makes it active at once (no waiter's 20 s poll). */
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
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
        return dflt;
    }
}
