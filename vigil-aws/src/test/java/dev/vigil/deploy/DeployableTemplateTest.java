package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.policy.Policies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A template that deploys as it is: a log group with retention per function (the role may write logs, not create
 * groups), the table kept when the stack goes, and the policy read at cold start from the SSM parameter or S3 object
 * the stack's parameters name, with exactly that read granted.
 */
class DeployableTemplateTest {
    static PolicySet policy(String which) throws Exception {
        return switch (which) {
            case "examples" -> Templates.examplesPolicy();
            case "default" -> Policies.defaults();
            default -> Templates.examplesPolicyWithout("bastions", "ssh", "admin-groups", "guardduty", "audit");
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"examples", "default", "none"})
    void aLogGroupWithRetentionPerFunctionAndTheTableRetained(String which) throws Exception {
        for (boolean org : List.of(false, true)) {
            JsonNode t = Templates.template(policy(which), org);
            JsonNode r = t.get("Resources");
            List<String> functions = new ArrayList<>();
            r.properties().forEach(e -> {
                if (e.getValue().path("Type").asText().equals("AWS::Serverless::Function")) functions.add(e.getKey());
            });
            assertThat(functions).contains("TimerHandler");
            for (String f : functions) {
                JsonNode group = r.get(f + "LogGroup");
                assertThat(group).as(f).isNotNull();
                assertThat(group.path("Type").asText()).isEqualTo("AWS::Logs::LogGroup");
                String name = r.at("/" + f + "/Properties/FunctionName/Fn::Sub").asText();
                assertThat(group.at("/Properties/LogGroupName/Fn::Sub").asText()).isEqualTo("/aws/lambda/" + name);
                assertThat(group.at("/Properties/RetentionInDays/Ref").asText()).isEqualTo("LogRetentionDays");
                assertThat(r.at("/" + f + "/DependsOn").toString()).contains(f + "LogGroup");
            }
            assertThat(t.at("/Parameters/LogRetentionDays/Default").asInt()).isEqualTo(90);
            assertThat(r.at("/StateTable/DeletionPolicy").asText()).isEqualTo("Retain");
            assertThat(r.at("/StateTable/UpdateReplacePolicy").asText()).isEqualTo("Retain");
            // the role writes to its groups and cannot create one
            String role = r.get("FunctionRole").toString();
            assertThat(role).contains("logs:PutLogEvents").doesNotContain("logs:CreateLogGroup");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"examples", "default", "none"})
    void thePolicyComesFromTheParameterOrObjectTheStackNames(String which) throws Exception {
        JsonNode t = Templates.template(policy(which), false);
        assertThat(t.at("/Parameters/PolicyParameterName/Default").asText()).isEqualTo("/vigil/policy");
        assertThat(t.at("/Parameters/PolicyObject/Default").asText()).isEmpty();
        JsonNode env = t.at("/Globals/Function/Environment/Variables/VIGIL_POLICY/Fn::If");
        assertThat(env.get(0).asText()).isEqualTo("PolicyInS3");
        assertThat(env.get(1).get("Fn::Sub").asText()).isEqualTo("s3://${PolicyObject}");
        assertThat(env.get(2).get("Fn::Sub").asText()).isEqualTo("ssm:${PolicyParameterName}");
        assertThat(t.toString()).doesNotContain("vigil-policy.yaml");
        JsonNode read = t.at("/Resources/FunctionRole/Properties/Policies/0/PolicyDocument/Statement");
        List<JsonNode> readPolicy = new ArrayList<>();
        read.forEach(s -> {
            if (s.path("Sid").asText().equals("ReadPolicy")) readPolicy.add(s);
        });
        assertThat(readPolicy).singleElement().satisfies(s -> {
            assertThat(s.get("Action").toString()).isEqualTo("[\"ssm:GetParameter\"]");
            assertThat(s.at("/Resource/0/Fn::Sub").asText()).isEqualTo("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${PolicyParameterName}");
        });
        JsonNode s3 = t.at("/Resources/PolicyObjectAccess");
        assertThat(s3.path("Condition").asText()).isEqualTo("PolicyInS3");
        assertThat(s3.at("/Properties/PolicyDocument/Statement/0/Action").toString()).isEqualTo("[\"s3:GetObject\"]");
        assertThat(s3.at("/Properties/PolicyDocument/Statement/0/Resource/0/Fn::Sub").asText()).isEqualTo("arn:${AWS::Partition}:s3:::${PolicyObject}");
        assertThat(t.at("/Conditions/PolicyInS3").toString()).isEqualTo(
                Templates.JSON.valueToTree(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "PolicyObject"), ""))))).toString());
    }
}
