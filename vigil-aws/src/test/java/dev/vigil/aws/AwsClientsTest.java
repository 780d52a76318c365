package dev.vigil.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.vigil.aws.Ec2Stub.LIBCLOUD;
import static dev.vigil.aws.Ec2Stub.corpus;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** STS AssumeRole then EC2 against one local endpoint: the EC2 call is signed with the assumed credentials. */
public class AwsClientsTest {
    static final String OTHER = "210987654321";
    static final String ROLE = "arn:aws:iam::210987654321:role/vigil-responder";

    /** STS's AssumeRole answer as the STS API reference shows it (the corpus has no STS file); expiry far ahead. */
    public static final String ASSUMED = """
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <AssumedRoleUser>
                  <Arn>arn:aws:sts::210987654321:assumed-role/vigil-responder/vigil</Arn>
                  <AssumedRoleId>ARO123EXAMPLE123:vigil</AssumedRoleId>
                </AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
                  <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
                  <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW</SessionToken>
                  <Expiration>2099-11-09T13:34:41Z</Expiration>
                </Credentials>
                <PackedPolicySize>6</PackedPolicySize>
              </AssumeRoleResult>
              <ResponseMetadata>
                <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
              </ResponseMetadata>
            </AssumeRoleResponse>""";

    static final String CALLER = """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult>
                <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
                <UserId>AIDAI44QH8DHBEXAMPLE</UserId>
                <Account>123456789012</Account>
              </GetCallerIdentityResult>
              <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
            </GetCallerIdentityResponse>""";

    final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    AwsClients clients;

    AwsClients start(String session) {
        server.start();
        answer("AssumeRole", ASSUMED);
        answer("GetCallerIdentity", CALLER);
        answer("StopInstances", corpus(LIBCLOUD + "stop_instances.xml"));
        clients = AwsClients.create(new AwsClients.Config(Region.EU_WEST_1, URI.create("http://127.0.0.1:" + server.port()),
                        Map.of(OTHER, ROLE), session, Ec2Stub.FAST),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBASEEXAMPLE", "base-secret")));
        return clients;
    }

    void answer(String action, String body) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(body)));
    }

    List<LoggedRequest> requests() {
        return server.findAll(postRequestedFor(urlEqualTo("/"))).stream().sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    @AfterEach
    void stop() {
        if (clients != null) clients.close();
        server.stop();
    }

    private static ActionResult stopIn(Ec2Executor ec2) {
        return ec2.execute(Ec2Stub.plan("stop-instance", "i-2ba64342", Map.of("Action", "StopInstances", "InstanceId", List.of("i-2ba64342"))), null, false);
    }

    @Test
    void anotherAccountIsActedInWithTheAssumedRoleUnderVigilsSessionName() {
        start("vigil-prod");
        assertThat(clients.assumesRoleIn(OTHER)).isTrue();
        ActionResult r = stopIn(clients.ec2(OTHER, "eu-central-1"));
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        List<LoggedRequest> sent = requests();
        assertThat(sent).hasSize(2);
        assertThat(Ec2Stub.form(sent.get(0).getBodyAsString())).isEqualTo(Map.of("Action", "AssumeRole", "Version", "2011-06-15",
                "RoleArn", ROLE, "RoleSessionName", "vigil-prod"));
        assertThat(sent.get(0).getHeader("Authorization")).contains("Credential=AKIDBASEEXAMPLE/").contains("/eu-west-1/sts/aws4_request");
        assertThat(Ec2Stub.form(sent.get(1).getBodyAsString())).containsEntry("Action", "StopInstances");
        assertThat(sent.get(1).getHeader("Authorization")).contains("Credential=ASIAIOSFODNN7EXAMPLE/").contains("/eu-central-1/ec2/aws4_request");
        assertThat(sent.get(1).getHeader("X-Amz-Security-Token")).isEqualTo("AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW");
    }

    @Test
    void clientsAreKeptPerAccountAndRegionAndTheRoleIsAssumedOnce() {
        start(null);
        Ec2Executor a = clients.ec2(OTHER, "eu-central-1");
        assertThat(clients.ec2(OTHER, "eu-central-1")).isSameAs(a);
        assertThat(clients.ec2(OTHER, "us-east-1")).isNotSameAs(a);
        assertThat(clients.ec2(null, null)).isSameAs(clients.ec2(null, "eu-west-1"));
        stopIn(a);
        stopIn(clients.ec2(OTHER, "us-east-1"));
        List<LoggedRequest> sent = requests();
        assertThat(sent).extracting(q -> Ec2Stub.form(q.getBodyAsString()).get("Action")).containsExactly("AssumeRole", "StopInstances", "StopInstances");
        assertThat(Ec2Stub.form(sent.get(0).getBodyAsString())).containsEntry("RoleSessionName", "vigil"); // SelfIdentity's default
        assertThat(clients.sns(OTHER, "eu-central-1")).isSameAs(clients.sns(OTHER, "eu-central-1"));
    }

    @Test
    void theOwnAccountUsesTheBaseCredentials() {
        start("vigil");
        assertThat(clients.callerAccount()).isEqualTo("123456789012");
        assertThat(clients.assumesRoleIn("123456789012")).isFalse();
        stopIn(clients.ec2("123456789012", "eu-west-1"));
        List<LoggedRequest> sent = requests();
        assertThat(sent).extracting(q -> Ec2Stub.form(q.getBodyAsString()).get("Action")).containsExactly("GetCallerIdentity", "StopInstances");
        assertThat(sent.get(1).getHeader("Authorization")).contains("Credential=AKIDBASEEXAMPLE/");
        assertThat(sent.get(1).containsHeader("X-Amz-Security-Token")).isFalse();
    }
}
