package dev.vigil.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.testing.Moto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** A function's policy read at cold start from the SSM parameter or S3 object the template names, on moto's server. */
@ExtendWith(Moto.class)
class PolicyLocationsOnMotoTest {
    @Test
    void fromAnSsmParameterAnS3ObjectOrAFile(Moto moto) throws Exception {
        String yaml = Files.readString(Path.of("examples/policy.yaml"));
        try (SsmClient ssm = SsmClient.builder().region(Region.US_EAST_1).endpointOverride(moto.endpoint()).credentialsProvider(Moto.CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build(); var s3 = moto.s3(Region.US_EAST_1)) {
            ssm.putParameter(r -> r.name("/vigil/policy").type(ParameterType.STRING).tier(ParameterTier.ADVANCED).value(yaml));
            ssm.putParameter(r -> r.name("/vigil/secret-policy").type(ParameterType.SECURE_STRING).value(
                    "policies:\n  - name: only\n    detector: sg-guard\n"));
            s3.createBucket(b -> b.bucket("vigil-artifacts"));
            s3.putObject(b -> b.bucket("vigil-artifacts").key("policies/enforce-ssh.yaml"),
                    RequestBody.fromFile(Path.of("examples/policies/enforce-ssh.yaml")));

            PolicySet fromSsm = PolicyLocations.load("ssm:/vigil/policy", Region.US_EAST_1, moto.endpoint(), Moto.CREDS);
            assertThat(fromSsm.file()).isEqualTo("ssm:/vigil/policy");
            assertThat(fromSsm.policies()).extracting(p -> p.name()).containsExactly("bastions", "ssh", "admin-groups", "guardduty", "audit");
            assertThat(PolicyLocations.load("ssm:/vigil/secret-policy", Region.US_EAST_1, moto.endpoint(), Moto.CREDS).policies())
                    .extracting(p -> p.name()).containsExactly("only");

            // LambdaSettings keeps VIGIL_POLICY as a path, which folds s3:// to s3:/: both spellings are read
            for (String loc : new String[] {"s3://vigil-artifacts/policies/enforce-ssh.yaml", Path.of("s3://vigil-artifacts/policies/enforce-ssh.yaml").toString()}) {
                PolicySet fromS3 = PolicyLocations.load(loc, Region.US_EAST_1, moto.endpoint(), Moto.CREDS);
                assertThat(fromS3.file()).isEqualTo("s3://vigil-artifacts/policies/enforce-ssh.yaml");
                assertThat(fromS3.policies()).singleElement().satisfies(p -> assertThat(p.responses()).containsKey("ssh-invalid-user"));
            }
            assertThat(PolicyLocations.load("examples/policy.yaml", Region.US_EAST_1, moto.endpoint(), Moto.CREDS).policies()).hasSize(5);

            // missing: one line naming the location, as the cold start's log shows it
            assertThatThrownBy(() -> PolicyLocations.load("ssm:/vigil/nope", Region.US_EAST_1, moto.endpoint(), Moto.CREDS))
                    .isInstanceOf(PolicyException.class).hasMessageStartingWith("ssm:/vigil/nope: cannot read the SSM parameter (GetParameter:")
                    .hasMessageNotContaining("\n");
            assertThatThrownBy(() -> PolicyLocations.load("s3://vigil-artifacts/none.yaml", Region.US_EAST_1, moto.endpoint(), Moto.CREDS))
                    .isInstanceOf(PolicyException.class).hasMessageStartingWith("s3://vigil-artifacts/none.yaml: cannot read the S3 object");
            assertThatThrownBy(() -> PolicyLocations.load("s3://vigil-artifacts", Region.US_EAST_1, moto.endpoint(), Moto.CREDS))
                    .isInstanceOf(PolicyException.class).hasMessageContaining("expected s3://BUCKET/KEY");
            // a bad policy in the parameter: the policy's own error, naming the parameter
            ssm.putParameter(r -> r.name("/vigil/bad").type(ParameterType.STRING).value("policies:\n  - name: x\n    detector: nope\n"));
            assertThatThrownBy(() -> PolicyLocations.load("ssm:/vigil/bad", Region.US_EAST_1, moto.endpoint(), Moto.CREDS))
                    .isInstanceOf(PolicyException.class).hasMessageStartingWith("ssm:/vigil/bad:3: policies[0].detector: unknown detector 'nope'");
        }
    }
}
