package dev.vigil.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.vigil.aws.Ec2Stub.BOTOCORE;
import static dev.vigil.aws.Ec2Stub.JCLOUDS;
import static dev.vigil.aws.Ec2Stub.LIBCLOUD;
import static dev.vigil.aws.Ec2Stub.corpus;
import static dev.vigil.aws.Ec2Stub.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class Ec2ErrorPathsTest {
    /** The message a real UnauthorizedOperation carried (stratus-red-team's CloudTrail record of RunInstances). */
    static final String DENIED = "You are not authorized to perform this operation. User: arn:aws:sts::751353041310:assumed-role/vigil-responder/"
            + "i-0abc is not authorized to perform: ec2:ModifyInstanceAttribute on resource: arn:aws:ec2:us-east-1:751353041310:instance/"
            + "i-0123456789abcdef0 because no identity-based policy allows the ec2:ModifyInstanceAttribute action. Encoded authorization "
            + "failure message: " + "Xk3".repeat(200);
    private final Ec2Stub ec2 = Ec2Stub.start();

    @AfterEach
    void stop() {
        ec2.close();
    }

    static ActionPlan isolate() {
        return plan("quarantine-instance", "i-0123456789abcdef0",
                Map.of("Action", "ModifyInstanceAttribute", "InstanceId", "i-0123456789abcdef0", "GroupId", List.of("sg-0000000000000000")));
    }

    @Test
    void unauthorizedFailsNamingTheMissingIamActionOnOneBoundedLine() {
        ec2.answer("ModifyInstanceAttribute", 403, Ec2Stub.error("UnauthorizedOperation", DENIED));
        ActionResult r = ec2.run(isolate(), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).startsWith("UnauthorizedOperation: vigil's role lacks IAM permission ec2:ModifyInstanceAttribute "
                + "(You are not authorized to perform this operation.");
        assertThat(r.detail()).doesNotContain("\n").hasSizeLessThan(420);
        assertThat(ec2.sent()).hasSize(1);
    }

    @Test
    void unauthorizedUnderDryRunFails() {
        ec2.answer("ModifyInstanceAttribute", 403, Ec2Stub.error("UnauthorizedOperation", "You are not authorized to perform this operation."));
        ActionResult r = ec2.run(isolate(), true);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).contains("ec2:ModifyInstanceAttribute");
        assertThat(ec2.sent().get(0)).containsEntry("DryRun", "true");
    }

    @Test
    void dryRunOperationIsPlannedWouldSucceed() {
        ec2.answer("ModifyInstanceAttribute", 412, corpus(JCLOUDS + "dry_run.xml"));
        ActionResult r = ec2.run(isolate(), true);
        assertThat(r.status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(r.detail()).isEqualTo("dry-run: would succeed");
        assertThat(ec2.sent()).containsExactly(Ec2SecurityGroupCallsTest.form("ModifyInstanceAttribute",
                Map.of("InstanceId", "i-0123456789abcdef0", "GroupId.1", "sg-0000000000000000", "DryRun", "true")));
    }

    @Test
    void withoutDryRunNoDryRunFlagIsSent() {
        ec2.answer("ModifyInstanceAttribute", 200, corpus(LIBCLOUD + "modify_instance_attribute.xml"));
        ec2.run(isolate(), false);
        assertThat(ec2.sent().get(0)).doesNotContainKey("DryRun");
    }

    private void firstThenOk(int status, String body) {
        ec2.server.stubFor(post(urlEqualTo("/")).inScenario("throttle").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(status).withBody(body)).willSetStateTo("ok"));
        ec2.server.stubFor(post(urlEqualTo("/")).inScenario("throttle").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(corpus(LIBCLOUD + "modify_instance_attribute.xml"))));
    }

    @Test
    void requestLimitExceededIsRetriedAndThenApplied() {
        firstThenOk(503, Ec2Stub.error("RequestLimitExceeded", "Request limit exceeded."));
        ActionResult r = ec2.run(isolate(), false);
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        List<Map<String, String>> sent = ec2.sent();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isEqualTo(sent.get(0));
    }

    @Test
    void throttlingCodeOn400IsRetried() {
        firstThenOk(400, Ec2Stub.error("Throttling", "Rate exceeded"));
        assertThat(ec2.run(isolate(), false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(ec2.sent()).hasSize(2);
    }

    @Test
    void serverErrorIsRetried() {
        firstThenOk(500, Ec2Stub.error("InternalError", "An internal error has occurred"));
        assertThat(ec2.run(isolate(), false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(ec2.sent()).hasSize(2);
    }

    @Test
    void throttlingBeyondTheBudgetFailsAfterMaxAttempts() {
        ec2.answer("ModifyInstanceAttribute", 503, Ec2Stub.error("RequestLimitExceeded", "Request limit exceeded."));
        ActionResult r = ec2.run(isolate(), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("RequestLimitExceeded: Request limit exceeded. (HTTP 503, gave up after 3 attempts)");
        assertThat(ec2.sent()).hasSize(Ec2Stub.FAST.maxAttempts());
    }

    @Test
    void otherErrorsFailWithCodeAndOneLineMessage() {
        ec2.answer("ModifyInstanceAttribute", 400, corpus(LIBCLOUD + "run_instances_idem_mismatch.xml"));
        ActionResult r = ec2.run(isolate(), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("IdempotentParameterMismatch: Arguments on this idempotent request are inconsistent with arguments "
                + "used in previous request(s). (HTTP 400)");
        assertThat(ec2.sent()).hasSize(1);
    }

    @Test
    void botocoresErrorFile() {
        ec2.answer("ModifyInstanceAttribute", 400, corpus(BOTOCORE + "errors/ec2-describe-instances.xml"));
        ActionResult r = ec2.run(isolate(), false);
        assertThat(r.detail()).isEqualTo("InvalidInstanceID.Malformed: Invalid id: \"foobar\" (HTTP 400)");
    }

    @Test
    void invalidGroupDuplicateIsAlreadyApplied() {
        ec2.answer("ModifyInstanceAttribute", 400, Ec2Stub.error("InvalidGroup.Duplicate", "The security group 'vigil-isolation' already exists"));
        assertThat(ec2.run(isolate(), false).status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
    }

    @Test
    void unsupportedActionAndMalformedParamsFailWithoutACall() {
        ActionResult r = ec2.run(plan("x", "i-1", Map.of("Action", "TerminateInstances", "InstanceId", List.of("i-1"))), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).startsWith("unsupported action TerminateInstances (supported: AuthorizeSecurityGroupEgress, AuthorizeSecurityGroupIngress, ");
        ActionResult bad = ec2.run(plan("block-source", "acl-1", Map.of("Action", "DeleteNetworkAclEntry", "NetworkAclId", "acl-1",
                "RuleNumber", "ten", "Egress", false)), false);
        assertThat(bad.detail()).isEqualTo("invalid plan: DeleteNetworkAclEntry: RuleNumber must be an integer, found 'ten'");
        ActionResult none = ec2.run(plan("notify", "team", Map.of("Channel", "slack")), false);
        assertThat(none.detail()).isEqualTo("invalid plan: params need an Action or a list of Steps");
        assertThat(ec2.sent()).isEmpty();
    }

    @Test
    void noEndpointFailsInsteadOfThrowing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (Ec2Executor dead = Ec2Executor.create(Region.US_EAST_1, URI.create("http://127.0.0.1:" + port),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), Ec2Stub.FAST)) {
            ActionResult r = dead.execute(isolate(), null, false);
            assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
            assertThat(r.detail()).startsWith("no usable answer from EC2: ");
        }
    }
}
