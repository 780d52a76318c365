package dev.vigil.live;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.notify.LocalHttp;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.testing.LocalSqs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon given the decoders' hostile inputs over SQS (ElasticMQ) and over {@code --tail}: it keeps running, each
 * bad message or line is one problem, nothing is retried forever, and the good messages and lines after them are
 * still answered.
 */
class HostileInputDaemonTest {
    @TempDir
    Path dir;

    LocalSqs sqs;
    Ec2Stub aws;
    LocalHttp slack;
    final List<Finding> out = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sqs = new LocalSqs();
        aws = Ec2Stub.start();
        slack = new LocalHttp();
        aws.answer("RevokeSecurityGroupIngress", 200, Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"))
                .answer("CreateNetworkAcl", 412, Ec2Stub.corpus(Ec2Stub.JCLOUDS + "dry_run.xml"));
        aws.server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish&")).willReturn(aResponse().withStatus(200)
                .withBody("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId>"
                        + "</PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>")));
    }

    @AfterEach
    void stop() {
        slack.close();
        aws.close();
        sqs.close();
    }

    LiveRuntime runtime(String queue, List<Daemon.Tail> tails, List<Path> inventory) throws Exception {
        PolicySet policy = Policies.load(Path.of("examples/policy.yaml"));
        Map<String, String> env = Map.of("VIGIL_SLACK_WEBHOOK", slack.url("/hooks/T000/B000/XXXX"));
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        return new LiveRuntime(policy, new LiveRuntime.Options(queue, tails, true, dir.resolve("vigil.db"), inventory, aws.endpoint(), "eu-west-1",
                null, 0, true, true, 0, LocalSqs.CREDS, sqs.endpoint), Clock.systemUTC(), env::get, w, (where, msg) -> problems.add(where + ": " + msg));
    }

    /** Problems with the inputs (the runtime's own start-up notes, e.g. about STS, are not the subject here). */
    List<String> inputProblems() {
        return problems.stream().filter(p -> p.startsWith("sqs:") || p.startsWith(dir.toString())).toList();
    }

    static String awslogsBomb(long bytes) throws IOException {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bomb)) {
            z.write("{\"messageType\":\"DATA_MESSAGE\",\"logStream\":\"i-0abc1234def567890\",\"logEvents\":[{\"id\":\"1\",\"message\":\""
                    .getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
            for (long left = bytes; left > 0; left -= chunk.length) z.write(chunk);
            z.write("\"}]}".getBytes(StandardCharsets.UTF_8));
        }
        return "{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(bomb.toByteArray()) + "\"}}";
    }

    /** Bodies an attacker (or a broken producer) can put on the queue. */
    static List<String> hostileBodies() throws IOException {
        String sgCall = "{\"version\":\"0\",\"id\":\"h1\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ec2\","
                + "\"account\":\"111122223333\",\"time\":\"2024-07-02T12:00:00Z\",\"region\":\"eu-west-1\",\"detail\":{\"eventVersion\":\"1.09\","
                + "\"eventTime\":\"2024-07-02T12:00:00Z\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"AuthorizeSecurityGroupIngress\","
                + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/m\"},\"requestParameters\":";
        return List.of(
                "<38>1 2024-07-02T12:00:00Z h sshd 1 - [x@1 v=\"" + "a\\\"".repeat(3000) + "\"] Failed password for root from 192.0.2.9 port 22 ssh2",
                awslogsBomb(60L << 20),
                "{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}",
                "[" + "[".repeat(20_000) + "]".repeat(20_000) + "]",
                "{\"version\":\"0\",\"id\":\"n\",\"detail-type\":\"x\",\"time\":\"2024-07-02T12:00:00Z\",\"n\":" + "9".repeat(1500) + "}",
                "type=USER_AUTH msg=audit(99999999999999999999.000:2): x",
                sgCall + "\"groupId=sg-0a11b22c33d44e55f\"}}",
                sgCall + "{\"groupId\":\"sg-0a11b22c33d44e55f\",\"ipPermissions\":{\"items\":[null,{\"ipRanges\":{\"items\":[{\"cidrIp\":0}]}}]}}}}",
                "{\"Records\":[{\"eventName\":",
                "garbage that is no event",
                "x".repeat(200_000));
    }

    @Test
    void hostileQueueMessagesAreEachOneProblemAndTheGoodMessagesAfterThemAreAnswered() throws Exception {
        String q = sqs.queue("vigil-events", 30);
        List<String> bodies = new ArrayList<>(hostileBodies());
        List<String> good = LiveEndToEndTest.messages(Path.of("examples/sg-guard/eventbridge-sg-calls.json"));
        bodies.addAll(good);
        sqs.send(q, bodies);
        try (LiveRuntime rt = runtime(q, List.of(), List.of(Path.of("examples/sg-guard/describe-security-groups.json")))) {
            rt.daemon().run(); // returns when the queue is empty: nothing thrown, nothing left to retry
            assertThat(rt.store().rejectedCount()).isGreaterThanOrEqualTo(5);
        }
        assertThat(sqs.remaining(q)).isZero();
        assertThat(out).extracting(Finding::rule).contains("sg-open-to-world", "sg-ingress-changed");
        assertThat(inputProblems()).allSatisfy(p -> assertThat(p).doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ")
                .as("no rule threw").doesNotContain("(detector "));
        String all = String.join("\n", problems);
        assertThat(all).contains("awslogs.data decompresses to more than", "record nested deeper than 100 levels",
                "digits (more than 1000)", "AuthorizeSecurityGroupIngress with requestParameters is a string",
                "AuthorizeSecurityGroupIngress with requestParameters.ipPermissions.items[0] is null");
    }

    @Test
    void hostileLinesInATailedFileAreEachOneProblemAndTheGoodLinesAfterThemAreAnswered() throws Exception {
        Path log = dir.resolve("auth.log");
        StringBuilder b = new StringBuilder();
        b.append("<38>1 2024-05-01T11:00:00Z h sshd 1 - [x@1 v=\"").append("a\\\"".repeat(3000)).append("\"] Connection closed\n");
        b.append("type=USER_AUTH msg=audit(99999999999999999999.000:2): x\n");
        b.append("2024-05-01T11:00:01+00:00 bastion-a sshd[1]: ").append("y".repeat(3 << 20)).append('\n'); // past the tailer's 1 MB
        b.append("2024-05-01T11:00:02+00:00 bastion-a sshd[1]: ").append("z".repeat(100_000)).append('\n'); // past a text line's 64 KB
        Files.writeString(log, b + Files.readString(Path.of("examples/ssh/auth-bastion-a.log")));
        InstanceId bastion = InstanceId.of("i-0a1b2c3d4e5f60718");
        try (LiveRuntime rt = runtime(null, List.of(new Daemon.Tail(log, bastion)),
                List.of(Path.of("examples/ssh/describe-instances.json"), Path.of("examples/ssh/describe-network-acls.json")))) {
            rt.daemon().run();
        }
        assertThat(out).extracting(Finding::rule).anySatisfy(r -> assertThat(r).startsWith("ssh-"));
        String all = String.join("\n", problems);
        assertThat(all).contains("longer than 1048576 bytes, skipped", "longer than the limit of 65536", "not a log line");
        assertThat(inputProblems()).allSatisfy(p -> assertThat(p).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("(detector "));
    }
}
