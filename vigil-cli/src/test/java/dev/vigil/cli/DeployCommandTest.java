package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil permissions} and {@code vigil deploy template} as users run them. */
class DeployCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void permissionsPrintsAConcreteIamDocument() throws Exception {
        ReplayCommandTest.Run r = ReplayCommandTest.run("permissions", "--policy", "examples/policy.yaml", "--account", "111122223333",
                "--region", "eu-west-1", "--stack-name", "sec", "--trail-bucket", "org-trail");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("Version").asText()).isEqualTo("2012-10-17");
        assertThat(r.out()).doesNotContain("${").contains("arn:aws:dynamodb:eu-west-1:111122223333:table/sec-state",
                "arn:aws:s3:::org-trail/AWSLogs/*", "arn:aws:ec2:*:111122223333:*");
        List<String> actions = new ArrayList<>();
        doc.get("Statement").forEach(s -> s.get("Action").forEach(a -> actions.add(a.asText())));
        assertThat(actions).contains("ec2:ReplaceNetworkAclAssociation", "sqs:ReceiveMessage", "scheduler:CreateSchedule", "iam:PassRole", "sns:Publish")
                .noneMatch(a -> a.contains("*"));
    }

    @Test
    void allRegionsAddsDescribeRegionsAndNothingElse() throws Exception {
        ReplayCommandTest.Run plain = ReplayCommandTest.run("permissions", "--policy", "examples/policy.yaml");
        ReplayCommandTest.Run all = ReplayCommandTest.run("permissions", "--policy", "examples/policy.yaml", "--all-regions");
        assertThat(all.code()).as(all.err()).isZero();
        List<String> plainActions = new ArrayList<>();
        JSON.readTree(plain.out()).get("Statement").forEach(s -> s.get("Action").forEach(a -> plainActions.add(a.asText())));
        assertThat(plainActions).doesNotContain("ec2:DescribeRegions");
        JsonNode last = null;
        for (JsonNode s : JSON.readTree(all.out()).get("Statement")) last = s;
        assertThat(last.get("Sid").asText()).isEqualTo("ListRegions");
        assertThat(last.get("Action").get(0).asText()).isEqualTo("ec2:DescribeRegions");
        assertThat(last.get("Resource").get(0).asText()).isEqualTo("*");
        assertThat(JSON.readTree(all.out()).get("Statement").size()).isEqualTo(JSON.readTree(plain.out()).get("Statement").size() + 1);
    }

    @Test
    void memberPoliciesAndOrgNeedAnOrgId() throws Exception {
        ReplayCommandTest.Run member = ReplayCommandTest.run("permissions", "--member", "--policy", "examples/policy.yaml");
        assertThat(member.code()).isZero();
        List<String> sids = new ArrayList<>();
        JSON.readTree(member.out()).get("Statement").forEach(s -> sids.add(s.get("Sid").asText()));
        assertThat(sids).containsExactly("Ec2LookUps", "Ec2Respond");
        ReplayCommandTest.Run org = ReplayCommandTest.run("permissions", "--org");
        assertThat(org.code()).isEqualTo(2);
        assertThat(org.err()).contains("--org-id");
        assertThat(ReplayCommandTest.run("permissions", "--org", "--org-id", "o-abcdefghij").out()).contains("\"aws:ResourceOrgID\" : \"o-abcdefghij\"");
    }

    @Test
    void templateInBothFormatsAndBadPolicies() throws Exception {
        ReplayCommandTest.Run yaml = ReplayCommandTest.run("deploy", "template", "--org");
        assertThat(yaml.code()).as(yaml.err()).isZero();
        JsonNode t = new ObjectMapper(new YAMLFactory()).readTree(yaml.out());
        assertThat(t.at("/Resources/OrganizationEventBusPolicy/Type").asText()).isEqualTo("AWS::Events::EventBusPolicy");
        ReplayCommandTest.Run json = ReplayCommandTest.run("deploy", "template", "--format", "json");
        assertThat(JSON.readTree(json.out()).get("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "version: 1\npolicies:\n  - name: x\n    detector: nope\n");
        ReplayCommandTest.Run r = ReplayCommandTest.run("deploy", "template", "--policy", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("vigil: ").contains("bad.yaml").doesNotContain("Exception");
        assertThat(ReplayCommandTest.run("deploy", "template", "--format", "xml").code()).isEqualTo(2);
    }
}
