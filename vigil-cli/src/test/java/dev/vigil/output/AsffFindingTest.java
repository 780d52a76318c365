package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code --format asff} on every example, checked against Security Hub's own API model (botocore's AwsSecurityFinding
 * shape: members, required, enums, lengths) and against the real ASFF findings in the corpus (the cloud-custodian
 * Security Hub events), which the same check must accept.
 */
class AsffFindingTest {
    static final BotocoreShapes MODEL = BotocoreShapes.load("securityhub", "2018-10-26");
    static final Path CORPUS = Path.of("../shared/corpus/cloud-custodian/tests/data/cwe");

    @Test
    void everyExampleFindingFitsTheApiModel() throws Exception {
        assumeTrue(MODEL != null, "botocore's securityhub model not installed (pyenv Python with boto3): API model check skipped");
        // the tuned example policy: its responses (a subnet quarantine among them) are resources of the findings too
        Examples.Run r = Examples.run("replay", "--format", "asff", "--asff-account", "123456789012", "--asff-region", "eu-west-1",
                "--policy", "examples/policy.yaml", "examples/");
        assertThat(r.code()).isZero();
        List<JsonNode> asff = r.lines();
        List<JsonNode> json = Examples.jsonFindings("--policy", "examples/policy.yaml");
        assertThat(asff).hasSize(json.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < asff.size(); i++) {
            JsonNode a = asff.get(i);
            JsonNode j = json.get(i);
            assertThat(MODEL.check(a, "AwsSecurityFinding")).as("finding %d: %s", i, a).isEmpty();
            assertThat(ids.add(a.get("Id").asText())).as("Ids are unique").isTrue();
            assertThat(a.get("ProductArn").asText()).isEqualTo("arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default");
            assertThat(a.get("GeneratorId").asText()).isEqualTo("vigil/" + j.get("policy").asText() + "/" + j.get("rule").asText());
            assertThat(a.at("/Severity/Original").asText()).isEqualTo(j.get("severity").asText());
            assertThat(a.get("AwsAccountId").asText()).isEqualTo(j.get("account").isNull() ? "123456789012" : j.get("account").asText());
            assertThat(a.get("Resources").size()).isBetween(1, 32);
            assertThat(a.get("RecordState").asText()).isEqualTo("ACTIVE");
            assertThat(a.at("/Note/Text").asText()).contains(j.at("/actions/0/type").asText());
        }
        // types and ids of the resources: an instance and the subnets its quarantine moves
        assertThat(asff).anySatisfy(a -> assertThat(a.get("Resources").findValuesAsText("Type")).containsExactly("AwsEc2Instance", "AwsEc2Subnet", "AwsEc2Subnet"));
        assertThat(asff).anySatisfy(a -> assertThat(a.get("Resources").findValuesAsText("Type")).containsExactly("AwsIamUser"));
        assertThat(asff).anySatisfy(a -> assertThat(a.get("Resources").findValuesAsText("Type")).containsExactly("AwsEc2SecurityGroup"));
    }

    @Test
    void theCheckAcceptsRealAsffAndRejectsBrokenDocuments() throws Exception {
        assumeTrue(MODEL != null, "botocore's securityhub model not installed: API model check skipped");
        assumeTrue(Files.isDirectory(CORPUS), "corpus absent (../shared/corpus): real ASFF check skipped");
        int n = 0;
        for (String f : List.of("event-securityhub-iamkey-finding-action.json", "event-securityhub-cloudtrail-finding-action.json")) {
            for (JsonNode finding : Examples.JSON.readTree(CORPUS.resolve(f).toFile()).at("/detail/findings")) {
                ObjectNode doc = finding.deepCopy();
                doc.remove(List.of("approximateArrivalTimestamp", "updatedAt")); // added by EventBridge, not ASFF
                assertThat(MODEL.check(doc, "AwsSecurityFinding")).as(f).isEmpty();
                n++;
            }
        }
        assertThat(n).isGreaterThanOrEqualTo(2);
        ObjectNode ours = (ObjectNode) Examples.run("replay", "--format", "asff", "examples/").lines().getFirst();
        ObjectNode noId = ours.deepCopy();
        noId.remove("Id");
        assertThat(MODEL.check(noId, "AwsSecurityFinding")).anyMatch(e -> e.contains("missing required Id"));
        ObjectNode badState = ours.deepCopy();
        badState.put("RecordState", "OPEN");
        assertThat(MODEL.check(badState, "AwsSecurityFinding")).isNotEmpty();
        ObjectNode longTitle = ours.deepCopy();
        longTitle.put("Title", "x".repeat(300));
        assertThat(MODEL.check(longTitle, "AwsSecurityFinding")).isNotEmpty();
    }

    @Test
    void longAndHostileTextIsCutToTheApiLimits() {
        var f = new dev.vigil.core.finding.Finding("ssh-invalid-user", "ssh", dev.vigil.core.finding.Severity.MEDIUM,
                java.time.Instant.parse("2024-05-01T10:00:00Z"), dev.vigil.core.event.AccountId.of("111122223333"), null, "i-0123456789abcdef0",
                "203.0.113.9", "x\uD83D\uDE00".repeat(2000), List.of("e1"), List.of(), java.util.Map.of("user", "<script>".repeat(1000)));
        ObjectNode a = AsffFinding.of(f, new AsffFinding.Context(dev.vigil.core.event.AccountId.of("111122223333"),
                dev.vigil.core.event.Region.of("eu-west-1"), null));
        assertThat(a.get("Description").asText()).hasSizeLessThanOrEqualTo(1024);
        assertThat(Character.isHighSurrogate(a.get("Description").asText().charAt(1022))).isFalse();
        assertThat(a.at("/ProductFields/vigil~1fact~1user").asText()).hasSizeLessThanOrEqualTo(2048);
        assertThat(a.get("Region").asText()).isEqualTo("eu-west-1");
        if (MODEL != null) assertThat(MODEL.check(a, "AwsSecurityFinding")).isEmpty();
    }
}
