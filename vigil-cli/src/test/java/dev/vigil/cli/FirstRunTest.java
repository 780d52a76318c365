package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.testing.LocalSqs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first {@code vigil run}, as a process (the {@code ./vigil} launcher's command line) against ElasticMQ
 * and a WireMock AWS endpoint: with no policy it acts on nothing and says so; with bad credentials, a missing queue or
 * an unwritable store it stops at once with one line and exit code 2.
 */
class FirstRunTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** What the built-in policy may send: its own identity check, and the notification. */
    static final Set<String> READ_OR_NOTIFY = Set.of("GetCallerIdentity", "Publish");

    @TempDir
    Path dir;

    LocalSqs sqs;
    Ec2Stub aws;

    @BeforeEach
    void start() {
        sqs = new LocalSqs();
        aws = Ec2Stub.start();
    }

    @AfterEach
    void stop() {
        aws.close();
        sqs.close();
    }

    record Ran(int code, String out, String err, long millis) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** Runs {@code vigil ARGS...} in its own JVM with this environment only (no ~/.aws of the machine). */
    Ran vigil(Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.vigil.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("HOME", dir.resolve("home").toString());
        pb.environment().put("AWS_CONFIG_FILE", dir.resolve("home/no-config").toString());
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("home/no-credentials").toString());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new Ran(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")), ms);
    }

    static Map<String, String> keys() {
        return Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    }

    /** Every EventBridge-shaped example (bastion, sg-guard, GuardDuty) and the CloudWatch Logs payload, one message each. */
    static List<String> exampleMessages() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (String folder : List.of("bastion", "sg-guard", "guardduty", "ssh")) {
            try (Stream<Path> s = Files.list(Path.of("examples", folder))) {
                for (Path f : s.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (n.startsWith("describe-") || !(n.endsWith(".json") || n.endsWith(".jsonl"))) continue;
                    String text = Files.readString(f);
                    if (text.trim().startsWith("[")) {
                        for (JsonNode e : JSON.readTree(text)) bodies.add(e.toString());
                    } else if (n.endsWith(".jsonl")) {
                        text.lines().filter(l -> !l.isBlank()).forEach(bodies::add);
                    } else {
                        bodies.add(JSON.readTree(text).toString());
                    }
                }
            }
        }
        return bodies;
    }

    List<String> runArgs(String queue, String... extra) throws Exception {
        List<String> a = new ArrayList<>(List.of("run", "--queue-url", queue, "--sqs-endpoint-url", sqs.endpoint.toString(),
                "--endpoint-url", aws.endpoint().toString(), "--region", "us-east-1", "--store", dir.resolve("vigil.db").toString(),
                "--no-look-up", "--until-empty", "--wait-seconds", "0", "--http-port", "-1",
                "--tail", "examples/ssh/auth-bastion-a.log", "--tail-from-start", "--inventory"));
        try (Stream<Path> s = Files.walk(Path.of("examples"))) {
            s.filter(p -> p.getFileName().toString().startsWith("describe-") && !p.toString().contains("/tests/")).sorted()
                    .forEach(p -> a.add(p.toString()));
        }
        a.addAll(List.of(extra));
        return a;
    }

    Set<String> actionsSent() {
        Set<String> out = new TreeSet<>();
        aws.sent().forEach(f -> out.add(f.getOrDefault("Action", "?")));
        return out;
    }

    @Test
    void withNoPolicyTheExamplesMakeNoEc2WriteAndTheBannerSaysSo() throws Exception {
        aws.callerIdentity("arn:aws:sts::111122223333:assumed-role/vigil-daemon/i-0123456789abcdef0");
        String q = sqs.queue("vigil-events", 30);
        List<String> messages = exampleMessages();
        sqs.send(q, messages);
        Ran r = vigil(keys(), runArgs(q).toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("vigil: enabled responses: none (default policy): detect and notify only");
        assertThat(r.err().indexOf("enabled responses")).isLessThan(r.err().indexOf("vigil: running"));
        List<String> findings = r.out().lines().filter(l -> l.contains("\"rule\":")).toList();
        assertThat(findings).as("the examples make findings of every scenario fed").hasSizeGreaterThan(10);
        assertThat(findings).anyMatch(l -> l.contains("guardduty-finding")).anyMatch(l -> l.contains("sg-ingress-changed"))
                .anyMatch(l -> l.contains("ssh-invalid-user")).anyMatch(l -> l.contains("bastion-running"));
        for (String l : findings) {
            for (JsonNode a : JSON.readTree(l).path("actions")) assertThat(a.path("type").asText()).as(l).isEqualTo("notify");
        }
        for (String l : r.out().lines().filter(l -> !l.isBlank()).toList()) { // the daemon's stdout: the JSON contract's lines only
            assertThat(dev.vigil.output.JsonContract.errors(JSON.readTree(l))).as(l).isEmpty();
        }
        assertThat(actionsSent()).as("AWS calls made").isSubsetOf(READ_OR_NOTIFY);
        assertThat(sqs.remaining(q)).isZero();
    }

    /** The control: the same run with an enforcing example policy does call EC2 (so the check above can fail). */
    @Test
    void anEnforcingExamplePolicyDoesActAndIsListedAtStart() throws Exception {
        aws.callerIdentity("arn:aws:sts::111122223333:assumed-role/vigil-daemon/i-0123456789abcdef0")
                .answer("RevokeSecurityGroupIngress", 200, Ec2Stub.ok("RevokeSecurityGroupIngress"))
                .answer("RevokeSecurityGroupEgress", 200, Ec2Stub.ok("RevokeSecurityGroupEgress"));
        String q = sqs.queue("vigil-events", 30);
        sqs.send(q, exampleMessages());
        Ran r = vigil(keys(), runArgs(q, "--policy", "examples/policies/enforce-sg-guard.yaml").toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("vigil: enabled responses (examples/policies/enforce-sg-guard.yaml):",
                "vigil:   sg-guard [sg-guard] ENFORCING: sg-ingress-changed -> revoke-ingress; sg-open-to-world -> revoke-world-open",
                "vigil: exemptions: tags vigil-exempt=true");
        assertThat(actionsSent()).contains("RevokeSecurityGroupIngress");
    }

    @Test
    void badCredentialsStopAtOnceWithOneLine() throws Exception {
        aws.answer("GetCallerIdentity", 403, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                + "<Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error>"
                + "<RequestId>4d3f9c1a-0000-4000-8000-000000000000</RequestId></ErrorResponse>");
        String q = sqs.queue("vigil-events", 30);
        Map<String, String> env = new HashMap<>(keys());
        Ran r = vigil(env, runArgs(q).toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().satisfies(l -> assertThat(l).startsWith("vigil: AWS credentials rejected (STS GetCallerIdentity:"
                + " InvalidClientTokenId): the access key id is not known to AWS"));
        assertThat(r.out()).isEmpty();
        assertThat(r.millis()).as("time to exit 2, JVM start included").isLessThan(5_000);
        assertThat(actionsSent()).containsExactly("GetCallerIdentity");
    }

    @Test
    void noCredentialsAtAllIsOneLineNotTheProviderChain() throws Exception {
        String q = sqs.queue("vigil-events", 30);
        // nothing in the environment, no ~/.aws; the instance-metadata look-up is off as on a machine outside EC2
        Ran r = vigil(Map.of("AWS_EC2_METADATA_DISABLED", "true"), runArgs(q).toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().satisfies(l -> assertThat(l).startsWith("vigil: no AWS credentials found").hasSizeLessThan(300));
        assertThat(r.millis()).isLessThan(5_000);
    }

    @Test
    void aMissingQueueIsOneLine() throws Exception {
        aws.callerIdentity("arn:aws:iam::111122223333:user/alice");
        Ran r = vigil(keys(), runArgs(sqs.endpoint + "/000000000000/no-such-queue").toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("vigil: queue " + sqs.endpoint + "/000000000000/no-such-queue not usable (GetQueueAttributes:")
                .contains("no such queue in us-east-1: check --queue-url and --region"));
    }

    @Test
    void anUnwritableStoreIsOneLine() throws Exception {
        aws.callerIdentity("arn:aws:iam::111122223333:user/alice");
        String q = sqs.queue("vigil-events", 30);
        Files.writeString(dir.resolve("a-file"), "not a directory");
        List<String> args = runArgs(q);
        args.set(args.indexOf("--store") + 1, dir.resolve("a-file/vigil.db").toString());
        Ran r = vigil(keys(), args.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().satisfies(l -> assertThat(l).startsWith("vigil: cannot open store ")
                .contains("the store must be writable"));
    }

    /** {@code vigil run --tail FILE} with a notify-only policy whose targets are not AWS: the arguments of such a run. */
    List<String> tailOnlyArgs(String policyFile) {
        return new ArrayList<>(List.of("run", "--policy", policyFile, "--tail", "examples/ssh/auth-bastion-a.log", "--tail-from-start",
                "--until-empty", "--store", dir.resolve("vigil.db").toString(), "--http-port", "-1",
                // every AWS call would go to the stub, and be counted there
                "--endpoint-url", aws.endpoint().toString()));
    }

    @Test
    void tailingFilesWithANotifyOnlyPolicyRunsWithoutAwsAndSaysSoInOneLine() throws Exception {
        Path policy = dir.resolve("notify-only.yaml");
        Files.writeString(policy, """
                version: 1
                targets:
                  console: {type: stdout}
                policies:
                  - name: ssh
                    detector: ssh-intrusion
                    responses:
                      ssh-invalid-user: [notify]
                      ssh-brute-force: [notify]
                """);
        // no credentials anywhere, no region, no instance metadata
        Ran r = vigil(Map.of("AWS_EC2_METADATA_DISABLED", "true"), tailOnlyArgs(policy.toString()).toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.errLines()).filteredOn(l -> l.contains("without AWS")).singleElement().satisfies(l -> assertThat(l)
                .startsWith("vigil: runs without AWS: tailing files with notify-only responses and no AWS target")
                .contains("the account is not looked up"));
        assertThat(r.err()).doesNotContain("credentials found", "GetCallerIdentity", "region");
        assertThat(r.out().lines().filter(l -> l.contains("\"rule\":\"ssh-")).toList()).as("the file's findings").isNotEmpty();
        assertThat(aws.sent()).as("no AWS call at all (STS, EC2 look-up)").isEmpty();
    }

    /** The control: the same tail-only run with a policy that acts on EC2 checks the credentials first, and stops on bad ones. */
    @Test
    void tailingFilesWithAnEnforcingPolicyStillChecksTheCredentials() throws Exception {
        aws.answer("GetCallerIdentity", 403, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                + "<Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error>"
                + "<RequestId>4d3f9c1a-0000-4000-8000-000000000001</RequestId></ErrorResponse>");
        List<String> args = tailOnlyArgs("examples/policies/enforce-ssh.yaml");
        args.addAll(List.of("--region", "eu-west-1"));
        Ran r = vigil(keys(), args.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().satisfies(l -> assertThat(l).startsWith("vigil: AWS credentials rejected (STS GetCallerIdentity:"
                + " InvalidClientTokenId)"));
        assertThat(r.millis()).as("time to exit 2, JVM start included").isLessThan(5_000);
        assertThat(actionsSent()).containsExactly("GetCallerIdentity");
    }

    @Test
    void allRegionsWithTwoRegionsOrABadRegionNameIsAUsageError() throws Exception {
        Ran both = vigil(keys(), "run", "--tail", "examples/ssh/auth-bastion-a.log", "--all-regions", "--region", "eu-west-1",
                "--region", "us-east-1");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--all-regions watches every enabled region: give at most one --region");
        Ran bad = vigil(keys(), "run", "--tail", "examples/ssh/auth-bastion-a.log", "--region", "eu-west-1,Mars");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--region Mars: not a region name");
        assertThat(aws.sent()).isEmpty();
    }
}
