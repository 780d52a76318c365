package dev.vigil.live;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.response.FaultPoints.Step;
import dev.vigil.notify.LocalHttp;
import dev.vigil.testing.LocalSqs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Issue 16's fault-injection suite on the real adapters, one store at a time ({@link FaultTableTest}: SQLite;
 * {@link FaultTableOnDynamoTest}: DynamoDB on moto's server): the daemon ({@code vigil run} in a JVM of its own), SQS on
 * ElasticMQ, EC2 over WireMock (the corpus' recorded RevokeSecurityGroupIngress answer; a group's rules change when
 * the revoke is served, so the look-up of an interrupted revoke sees the account as it is), a local HTTP webhook. For
 * every step of the use case (decode, evaluate, decide, claim, execute, record, notify, mark processed, SQS delete)
 * three faults: an exception there, a hang there past the queue's visibility timeout, and a real SIGKILL of the process
 * there (located by the test-only {@code vigil.test.fault} system property: the process announces the point and
 * blocks, the test kills it). Then a restart without faults, and for each row: every finding recorded once, every
 * revoke applied exactly once at the stub, every notification delivered at least once (carrying its finding id),
 * nothing marked processed that was not (at the fault: deleted messages &lt;= processed events &lt;= recorded
 * findings), and each finding records its revoke as applied with its undo. The table is printed at the end.
 */
final class FaultTable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MESSAGES = 3;
    static final int VISIBILITY = 2;
    static final long SEED = Long.getLong("vigil.fault.seed", System.nanoTime());
    static final List<String> MODES = List.of("throw", "hang", "kill");

    /** The daemon's store under test: where it is, what the daemon needs to reach it, and what it holds. */
    interface Store {
        /** The column's value: "sqlite", "dynamodb". */
        String label();

        /** A fresh store for one row: its {@code --store} location. */
        String create(Path rowDir, String row) throws Exception;

        /** What the daemon's environment adds for it. */
        Map<String, String> env();

        /** Events marked processed and findings recorded, 0/0 before the store exists. */
        long[] counts(String location);

        List<Finding> findings(String location);

        /** How long the restart may wait for a claim a kill left in progress (its lease), beyond the visibility timeout. */
        default long restartSeconds() {
            return 90;
        }
    }

    /** Rows run four at a time (each mostly waits for its daemon processes); each row is reported as a test of its own. */
    static final int PARALLEL = Integer.getInteger("vigil.fault.parallel", 4);

    private final Store store;
    private final LocalSqs sqs;
    private final Map<String, String> table = Collections.synchronizedMap(new TreeMap<>());

    FaultTable(Store store, LocalSqs sqs) {
        this.store = store;
        this.sqs = sqs;
        System.out.println("FaultTable (" + store.label() + ") seed " + SEED + " (rerun with -Dvigil.fault.seed=" + SEED + ")");
    }

    static List<Object[]> rows() {
        List<Object[]> out = new ArrayList<>();
        String only = System.getProperty("vigil.fault.only"); // e.g. "execute:kill,record" to run some rows
        for (Step s : Step.values()) {
            for (String mode : MODES) {
                String name = s.name().toLowerCase(Locale.ROOT);
                if (only == null || List.of(only.split(",")).stream().anyMatch(o -> o.equals(name) || o.equals(name + ":" + mode))) out.add(new Object[] {s, mode});
            }
        }
        return out;
    }

    String table() {
        StringBuilder b = new StringBuilder();
        b.append("\nfault table (seed ").append(SEED).append("): ").append(MESSAGES)
                .append(" messages, each opening a group to the world: revoke-world-open + webhook; store ").append(store.label())
                .append(", ElasticMQ, EC2 on WireMock\n");
        b.append(String.format("| %-8s | %-8s | %-5s | %-28s | %-8s | %-8s | %-14s | %-12s | %s |%n", "store", "step", "fault",
                "at the fault: deleted/processed/found", "findings", "revokes", "notifications", "queue after", "revoke recorded as"));
        b.append(String.format("|%s|%s|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(10), "-".repeat(10), "-".repeat(7), "-".repeat(30), "-".repeat(10),
                "-".repeat(10), "-".repeat(16), "-".repeat(14), "-".repeat(20)));
        table.values().forEach(r -> b.append(r).append('\n'));
        return b.toString();
    }

    /** One dynamic test per row, run {@link #PARALLEL} at a time, each in a directory of its own under {@code dir}. */
    Stream<DynamicTest> tests(Path dir) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        List<DynamicTest> tests = new ArrayList<>();
        for (Object[] r : rows()) {
            Step step = (Step) r[0];
            String mode = (String) r[1];
            Path rowDir = Files.createDirectories(dir.resolve(step.name().toLowerCase(Locale.ROOT) + "-" + mode));
            Future<?> f = pool.submit(() -> {
                row(rowDir, step, mode);
                return null;
            });
            tests.add(DynamicTest.dynamicTest(store.label() + " " + step.name().toLowerCase(Locale.ROOT) + " " + mode, () -> {
                try {
                    f.get(6, TimeUnit.MINUTES);
                } catch (ExecutionException e) {
                    throw e.getCause();
                }
            }));
        }
        pool.shutdown();
        return tests.stream();
    }

    private void row(Path dir, Step step, String mode) throws Exception {
        Random rnd = new Random(SEED ^ (step.ordinal() * 31L + mode.hashCode()));
        String name = step.name().toLowerCase(Locale.ROOT) + "-" + mode;
        String where = "seed " + SEED + ", " + store.label() + ", " + step + " " + mode;
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                live:
                  blast-radius: {max-actions: 1000, per: 1h}
                targets:
                  hook: {type: webhook, url-env: HOOK_URL, timeout: 5s}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open, notify]
                    notify: [hook]
                """);
        try (Ec2Stub aws = Ec2Stub.start(); LocalHttp hook = new LocalHttp()) {
            aws.callerIdentity("arn:aws:sts::111122223333:assumed-role/vigil-daemon/i-0123456789abcdef0");
            String q = sqs.queue("fault-" + store.label() + "-" + name, VISIBILITY);
            List<String> bodies = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            int number = 1 + rnd.nextInt(1 << 20);
            for (int i = 0; i < MESSAGES; i++) {
                number += 1 + rnd.nextInt(100); // strictly increasing: three distinct events (base + i * step could repeat one)
                bodies.add(CrashEvents.worldOpen(number));
                groups.add(String.format("sg-%017x", 0x100000L + number));
                account(aws, groups.get(i), String.format("sgr-%017x", number));
            }
            Collections.shuffle(bodies, rnd);
            sqs.send(q, bodies);

            String location = store.create(dir, name);
            Map<String, String> env = new HashMap<>(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-secret",
                    "AWS_REGION", "eu-west-1", "HOOK_URL", hook.url("/hook")));
            env.putAll(store.env());
            List<String> args = List.of("--policy", policy.toString(), "--queue-url", q, "--sqs-endpoint-url", sqs.endpoint.toString(),
                    "--endpoint-url", aws.endpoint().toString(), "--store", location, "--http-port", "-1", "--wait-seconds", "1",
                    "--no-look-up", "--account", "111122223333", "--until-empty");

            long t0 = System.nanoTime();
            Path log1 = dir.resolve("first.log");
            Process first = daemon(log1, env, step.name() + ":" + mode + ":" + (VISIBILITY * 1000 + 2000), args);
            String atFault;
            if (mode.equals("kill")) {
                String reached = "vigil-fault: " + step.name().toLowerCase(Locale.ROOT) + " reached";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (first.isAlive() && System.nanoTime() < deadline && !read(log1).contains(reached)) Thread.sleep(20);
                assertThat(read(log1)).as(where + ": the fault point was reached\n" + read(log1)).contains(reached);
                atFault = invariant(q, location, where); // the process is held at the point: what is durable and deleted now
                first.destroyForcibly(); // SIGKILL
                assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(first.exitValue()).isEqualTo(137);
            } else {
                assertThat(first.waitFor(90, TimeUnit.SECONDS)).as(where).isTrue();
                assertThat(first.exitValue()).as(where + "\n" + read(log1)).isZero();
                assertThat(read(log1)).as(where + ": the fault happened").contains("vigil-fault: " + step.name().toLowerCase(Locale.ROOT) + " ");
                atFault = invariant(q, location, where + "\n--- first run:\n" + read(log1));
            }
            long t1 = System.nanoTime();
            awaitVisible(q);
            long t2 = System.nanoTime();

            Path log2 = dir.resolve("second.log");
            Process second = daemon(log2, env, null, args);
            assertThat(second.waitFor(store.restartSeconds(), TimeUnit.SECONDS)).as(where + "\n" + read(log2)).isTrue();
            assertThat(second.exitValue()).as(where + "\n" + read(log2)).isZero();
            long t3 = System.nanoTime();
            String logs = "\n--- first run:\n" + read(log1) + "\n--- restart:\n" + read(log2);

            int left = sqs.remaining(q);
            Map<String, Integer> applied = new HashMap<>();
            for (var e : aws.server.getAllServeEvents()) {
                String body = e.getRequest().getBodyAsString();
                if (body.contains("Action=RevokeSecurityGroupIngress&") && e.getResponse().getStatus() == 200) {
                    applied.merge(Ec2StubForms.groupOf(body), 1, Integer::sum);
                }
            }
            Map<String, Integer> notified = new HashMap<>();
            List<String> ids = new ArrayList<>();
            for (String b : hook.bodies()) {
                JsonNode n = JSON.readTree(b);
                notified.merge(n.path("resource").asText(), 1, Integer::sum);
                ids.add(n.path("id").asText());
            }
            List<Finding> findings = store.findings(location);
            long processed = store.counts(location)[0];
            List<String> recordedAs = new ArrayList<>();
            for (Finding f : findings) {
                ActionResult r = f.actions().stream().filter(a -> a.type().equals("revoke-world-open")).findFirst().orElseThrow();
                recordedAs.add(r.status().label() + (r.undo().isEmpty() ? " (no undo)" : " +undo"));
            }
            String revokes = groups.stream().map(g -> Integer.toString(applied.getOrDefault(g, 0))).reduce((a, b) -> a + "," + b).orElse("");
            String notes = groups.stream().map(g -> Integer.toString(notified.getOrDefault(g, 0))).reduce((a, b) -> a + "," + b).orElse("");
            table.put(String.format("%02d%d", step.ordinal(), MODES.indexOf(mode)),
                    String.format("| %-8s | %-8s | %-5s | %-28s | %-8s | %-8s | %-14s | %-12s | %s |", store.label(), step.name().toLowerCase(Locale.ROOT), mode,
                            atFault, findings.size() + " of " + MESSAGES, revokes, notes, left == 0 ? "empty" : left + " left",
                            String.join(", ", new java.util.TreeSet<>(recordedAs)))
                            + String.format(" %.1f+%.1f+%.1f s", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));

            if (mode.equals("kill") && (step == Step.CLAIM || step == Step.EXECUTE)) { // a claim cut short: checked in the account first
                // SQLite: the start-up pass; DynamoDB: the redelivered draft, once the dead holder's lease ran out
                long lookUps = aws.server.getAllServeEvents().stream()
                        .filter(e -> e.getRequest().getBodyAsString().contains("Action=DescribeSecurityGroupRules&")).count();
                assertThat(lookUps).as(where + ": the interrupted revoke is checked against the account (DescribeSecurityGroupRules)" + logs).isPositive();
            }
            assertThat(left).as(where + ": every message processed and deleted" + logs).isZero();
            assertThat(processed).as(where + ": every event marked processed, once" + logs).isEqualTo(MESSAGES);
            assertThat(findings).as(where + ": every finding recorded once" + logs).hasSize(MESSAGES);
            assertThat(findings.stream().map(Finding::id).distinct()).hasSize(MESSAGES);
            for (String g : groups) {
                assertThat(applied.getOrDefault(g, 0)).as(where + ": revoke applied exactly once at EC2 for " + g + logs).isEqualTo(1);
                assertThat(notified.getOrDefault(g, 0)).as(where + ": notification for " + g + " delivered at least once" + logs).isPositive();
            }
            assertThat(ids).as(where + ": each notification carries its finding id").allMatch(id -> findings.stream().anyMatch(f -> f.id().equals(id)));
            assertThat(recordedAs).as(where + ": each finding records its revoke as applied, with its undo" + logs).containsOnly("applied +undo");
        }
    }

    /** The account's side: each group holds one world-open rule until a revoke is served; revoking it again finds nothing. */
    static void account(Ec2Stub aws, String group, String rule) {
        String scenario = "group " + group;
        String xmlns = "http://ec2.amazonaws.com/doc/2016-11-15/";
        aws.server.stubFor(post(urlEqualTo("/")).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(containing("Action=RevokeSecurityGroupIngress&")).withRequestBody(containing(group))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8")
                        .withBody(Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml")))
                .willSetStateTo("revoked"));
        aws.server.stubFor(post(urlEqualTo("/")).inScenario(scenario).whenScenarioStateIs("revoked")
                .withRequestBody(containing("Action=RevokeSecurityGroupIngress&")).withRequestBody(containing(group))
                .willReturn(aResponse().withStatus(400).withBody(Ec2Stub.error("InvalidPermission.NotFound",
                        "The specified rule does not exist in this security group."))));
        aws.server.stubFor(post(urlEqualTo("/")).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(containing("Action=DescribeSecurityGroupRules&")).withRequestBody(containing(group))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(
                        "<DescribeSecurityGroupRulesResponse xmlns=\"" + xmlns + "\"><requestId>r-1</requestId><securityGroupRuleSet><item>"
                                + "<securityGroupRuleId>" + rule + "</securityGroupRuleId><groupId>" + group + "</groupId>"
                                + "<isEgress>false</isEgress><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort>"
                                + "<cidrIpv4>0.0.0.0/0</cidrIpv4></item></securityGroupRuleSet></DescribeSecurityGroupRulesResponse>")));
        aws.server.stubFor(post(urlEqualTo("/")).inScenario(scenario).whenScenarioStateIs("revoked")
                .withRequestBody(containing("Action=DescribeSecurityGroupRules&")).withRequestBody(containing(group))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(
                        "<DescribeSecurityGroupRulesResponse xmlns=\"" + xmlns + "\"><requestId>r-2</requestId><securityGroupRuleSet/>"
                                + "</DescribeSecurityGroupRulesResponse>")));
    }

    /** What is durable and what is deleted, at the fault: "deleted/processed/found", with deleted <= processed <= found asserted. */
    private String invariant(String q, String location, String where) {
        int deleted = MESSAGES - sqs.remaining(q);
        long[] counts = store.counts(location);
        long processed = counts[0];
        long found = counts[1];
        assertThat(deleted).as(where + ": no message deleted before its event was processed").isLessThanOrEqualTo((int) processed);
        assertThat(processed).as(where + ": no event marked processed before its finding was recorded").isLessThanOrEqualTo(found);
        return deleted + "/" + processed + "/" + found;
    }

    private void awaitVisible(String q) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(VISIBILITY + 10);
        while (System.nanoTime() < deadline) {
            String n = sqs.client.getQueueAttributes(r -> r.queueUrl(q).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
            if ("0".equals(n)) return;
            Thread.sleep(100);
        }
    }

    static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** {@code vigil run} in its own JVM; {@code fault} (or null) arms the test-only fault point. */
    static Process daemon(Path log, Map<String, String> env, String fault, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx256m"));
        if (fault != null) cmd.add("-Dvigil.test.fault=" + fault);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.vigil.cli.Main", "run"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile()).redirectError(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Reads the group a revoke names from its form body. */
    static final class Ec2StubForms {
        static String groupOf(String body) {
            for (String pair : body.split("&")) if (pair.startsWith("GroupId=")) return java.net.URLDecoder.decode(pair.substring(8), java.nio.charset.StandardCharsets.UTF_8);
            return "?";
        }
    }
}
