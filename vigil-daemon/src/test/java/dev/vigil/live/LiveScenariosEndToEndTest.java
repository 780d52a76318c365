package dev.vigil.live;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.notify.LocalHttp;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.testing.LocalSqs;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The daemon end to end for the scenarios {@link LiveEndToEndTest} does not cover, each through its real feed: bastion
 * state changes (EventBridge) mailed to GreenMail; sshd lines of a CloudWatch Logs subscription quarantining the
 * instance (WireMock) and posted to Slack and a webhook (local HTTP servers); an S3 notification of a CloudTrail log
 * file, the object read from S3Proxy (behind the same endpoint as EC2, as with one {@code --endpoint-url}), revoking
 * the world-open rule and mailing the IAM user created off hours.
 */
class LiveScenariosEndToEndTest {
    static final String BUCKET = "org-trail";
    static final String KEY = "AWSLogs/123456789012/CloudTrail/eu-west-1/2025/03/11/123456789012_CloudTrail_eu-west-1_20250311T1425Z_Qm2xVd7kLs9cJe5R.json.gz";
    static final String IAM_KEY = "AWSLogs/123456789012/CloudTrail/us-east-1/2025/03/11/123456789012_CloudTrail_us-east-1_20250311T0205Z_Ks8mWq2ZpT4nYb0c.json.gz";

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    @TempDir
    Path dir;

    LocalSqs sqs;
    Ec2Stub aws;
    LocalHttp slack;
    LocalHttp hook;
    S3Proxy s3proxy;
    final List<Finding> out = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sqs = new LocalSqs();
        aws = Ec2Stub.start();
        slack = new LocalHttp();
        hook = new LocalHttp();
        s3proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null).build();
        s3proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(s3proxy.getState()); i++) Thread.sleep(10);
        URI s3uri = URI.create("http://127.0.0.1:" + s3proxy.getPort());
        try (S3Client s3 = S3Client.builder().region(Region.EU_WEST_1).endpointOverride(s3uri).forcePathStyle(true)
                .credentialsProvider(LocalSqs.CREDS).build()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            for (String k : List.of(KEY, IAM_KEY)) s3.putObject(b -> b.bucket(BUCKET).key(k), RequestBody.fromFile(Path.of("examples/cloudtrail", k)));
        }
        // one endpoint for every service: EC2's form POSTs are answered here, S3's GETs go on to S3Proxy
        aws.server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(s3uri.toString())));
        aws.answer("ModifyNetworkInterfaceAttribute", 200, Ec2Stub.ok("ModifyNetworkInterfaceAttribute"))
                .answer("RevokeSecurityGroupIngress", 200, Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"))
                .answer("AssumeRole", 200, dev.vigil.aws.AwsClientsTest.ASSUMED);
    }

    @AfterEach
    void stop() throws Exception {
        s3proxy.stop();
        hook.close();
        slack.close();
        aws.close();
        sqs.close();
    }

    PolicySet policy() throws Exception {
        String port = String.valueOf(MAIL.getSmtp().getPort());
        Path p = dir.resolve("policy.yaml");
        Files.writeString(p, """
                version: 1
                live:
                  assume-roles: {"123456789012": arn:aws:iam::123456789012:role/vigil-responder}
                targets:
                  slack: {type: slack, webhook-url-env: SLACK_URL}
                  hook: {type: webhook, url-env: HOOK_URL}
                  mail: {type: email, to: sec@example.com, from: vigil@example.com, smtp-host: 127.0.0.1, smtp-port: %s}
                policies:
                  - name: bastions
                    detector: bastion-watch
                    params: {threshold: 48h, expected-count: 2}
                    responses: {"*": [notify]}
                    notify: [mail]
                  - name: ssh
                    detector: ssh-intrusion
                    params: {isolation-group: sg-0dead0beef0cafe01}
                    responses: {"*": [notify], ssh-brute-force: [quarantine-instance, notify]}
                    notify: [slack, hook]
                  - name: groups
                    detector: sg-guard
                    responses: {"*": [notify], sg-open-to-world: [revoke-world-open, notify]}
                    notify: [slack]
                  - name: audit
                    detector: cloudtrail-audit
                    params: {required-tags: [Owner]}
                    responses: {"*": [notify]}
                    notify: [mail]
                """.formatted(port));
        return Policies.load(p);
    }

    static String s3Notification(String key) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"eu-west-1\",\"eventTime\":\"2025-03-11T14:30:00.000Z\","
                + "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"" + BUCKET + "\",\"arn\":\"arn:aws:s3:::"
                + BUCKET + "\"},\"object\":{\"key\":\"" + key + "\",\"size\":1024}}}]}";
    }

    @Test
    void bastionSshAndCloudTrailFilesFromS3ActAndNotifyThroughEachChannel() throws Exception {
        String q = sqs.queue("vigil-events", 30);
        List<String> bodies = new ArrayList<>();
        bodies.addAll(LiveEndToEndTest.messages(Path.of("examples/bastion/01-eventbridge-2026-05-04.jsonl")));
        bodies.add(Files.readString(Path.of("examples/ssh/cloudwatch-secure-web-1.json")));
        bodies.add(s3Notification(KEY));
        bodies.add(s3Notification(IAM_KEY));
        sqs.send(q, bodies);
        List<Path> inventory = List.of(Path.of("examples/bastion/describe-instances.json"), Path.of("examples/ssh/describe-instances.json"));
        Map<String, String> env = Map.of("SLACK_URL", slack.url("/hooks/T0/B0/secret"), "HOOK_URL", hook.url("/vigil"));
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        try (LiveRuntime rt = new LiveRuntime(policy(), new LiveRuntime.Options(q, List.of(), false, dir.resolve("vigil.db"), inventory,
                aws.endpoint(), "eu-west-1", null, 0, false, true, 0, LocalSqs.CREDS, sqs.endpoint), Clock.systemUTC(), env::get, w,
                (where, msg) -> problems.add(where + ": " + msg))) {
            rt.daemon().run();
            assertThat(rt.store().rejectedCount()).as(String.join("\n", problems)).isZero();
        }
        assertThat(sqs.remaining(q)).isZero();
        List<String> rules = out.stream().map(f -> f.rule()).toList();
        assertThat(rules).contains("bastion-running", "ssh-brute-force", "sg-open-to-world", "iam-user-created-off-hours");

        // ssh: the instance's network interface moved to the isolation group, once for the three findings on web-1
        List<Map<String, String>> modify = aws.sent().stream().filter(f -> "ModifyNetworkInterfaceAttribute".equals(f.get("Action"))).toList();
        assertThat(modify).hasSize(1);
        assertThat(modify.get(0)).containsEntry("NetworkInterfaceId", "eni-0fedcba9876543210").containsEntry("SecurityGroupId.1", "sg-0dead0beef0cafe01");
        // sg-guard, from the CloudTrail file read out of S3: exactly the rule that opened the group
        List<Map<String, String>> revoke = aws.sent().stream().filter(f -> "RevokeSecurityGroupIngress".equals(f.get("Action"))).toList();
        assertThat(revoke).hasSize(1);
        assertThat(revoke.get(0)).containsEntry("GroupId", "sg-0d2a4c6e8f0b1a3c5").containsEntry("SecurityGroupRuleId.1", "sgr-0e4c2a8b6d1f3a5c7");
        // in the trail's account (123456789012, not the runtime's own): with the role assumed there, signed with its keys
        assertThat(aws.sent()).anySatisfy(f -> assertThat(f).containsEntry("Action", "AssumeRole")
                .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/vigil-responder"));
        assertThat(aws.server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Action=RevokeSecurityGroupIngress"))))
                .singleElement().satisfies(r -> assertThat(r.getHeader("Authorization")).contains("Credential=ASIAIOSFODNN7EXAMPLE/"));
        assertThat(out).filteredOn(f -> f.rule().equals("sg-open-to-world")).singleElement()
                .satisfies(f -> assertThat(f.actions()).anySatisfy(a -> assertThat(a.status()).isEqualTo(ActionStatus.APPLIED)));

        // Slack and the webhook: the ssh and sg findings, the webhook URL's secret path never in problems
        assertThat(slack.bodies()).anySatisfy(b -> assertThat(b).contains("ssh-brute-force").contains("quarantine-instance"));
        assertThat(slack.bodies()).anySatisfy(b -> assertThat(b).contains("sg-open-to-world"));
        assertThat(hook.bodies()).anySatisfy(b -> assertThat(b).contains("\"rule\"").contains("ssh-brute-force"));
        assertThat(hook.bodies()).noneSatisfy(b -> assertThat(b).contains("sg-open-to-world"));
        assertThat(String.join("\n", problems)).doesNotContain("secret");

        // mail: bastion state changes and the IAM user, one message per notification, none of the ssh ones
        MimeMessage[] mail = MAIL.getReceivedMessages();
        List<String> subjects = Arrays.stream(mail).map(m -> {
            try {
                return m.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(subjects).anySatisfy(s -> assertThat(s).contains("bastion-running"));
        assertThat(subjects).anySatisfy(s -> assertThat(s).contains("iam-user-created-off-hours").contains("backup-sync"));
        assertThat(subjects).noneSatisfy(s -> assertThat(s).contains("ssh-"));
    }
}
