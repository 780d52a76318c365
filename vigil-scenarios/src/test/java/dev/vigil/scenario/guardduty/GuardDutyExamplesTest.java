package dev.vigil.scenario.guardduty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import dev.vigil.inventory.AwsCliInventory;
import dev.vigil.testing.EngineHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * examples/guardduty and the real GuardDuty findings of the corpus, through examples/policies/enforce-guardduty.yaml (the
 * original responder's behaviour, which the built-in policy no longer enables).
 */
class GuardDutyExamplesTest {
    static final Path EXAMPLES = Path.of("examples/guardduty");
    static final Path CWE = Path.of("../shared/corpus/cloud-custodian/tests/data/cwe");
    static final String SUB_A = "subnet-0c4d5e6f7a8b9c0d1";
    static final String SUB_B = "subnet-0d5e6f7a8b9c0d1e2";
    static final Path ENFORCE = Path.of("examples/policies/enforce-guardduty.yaml");

    static StaticInventory exampleInventory() {
        StaticInventory inv = StaticInventory.empty();
        List<String> errors = new ArrayList<>();
        AwsCliInventory.load(EXAMPLES.resolve("describe-instances.json"), inv, (w, m) -> errors.add(w + m));
        AwsCliInventory.load(EXAMPLES.resolve("describe-network-acls.json"), inv, (w, m) -> errors.add(w + m));
        assertThat(errors).isEmpty();
        return inv;
    }

    static List<Path> exampleEvents() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("describe-")).sorted().toList();
        }
    }

    static List<Finding> mine(EngineHarness h) {
        return h.findings("guardduty-finding");
    }

    static List<ActionResult> actions(Finding f, String type) {
        return f.actions().stream().filter(a -> a.type().equals(type)).toList();
    }

    @Test
    void examplesGiveOneQuarantinePerSubnetThenAReportedSampleAndUpdate() throws IOException {
        List<SecurityEvent> events = new ArrayList<>();
        for (Path p : exampleEvents()) events.add(GdFixtures.fromFile(p));
        checkExamples(events);
    }

    /** The same through the real decoder, once the decoders are merged. */
    @Test
    void examplesThroughTheDecoder() throws IOException {
        List<SecurityEvent> events = decode(exampleEvents());
        checkExamples(events);
    }

    private static void checkExamples(List<SecurityEvent> events) {
        EngineHarness h = EngineHarness.file(ENFORCE, exampleInventory()).feed(events);
        assertThat(h.problems).isEmpty();
        List<Finding> f = mine(h);
        assertThat(f).hasSize(3);

        Finding first = f.get(0);
        assertThat(first.severity()).isEqualTo(Severity.HIGH);
        assertThat(first.resource()).isEqualTo("i-06d7e5f4c3b2a1908");
        assertThat(first.facts()).containsEntry("instance-name", "build-runner-3").containsEntry("subnets", SUB_A + ", " + SUB_B);
        assertThat(first.facts().get("collateral")).isEqualTo(SUB_A + ": i-0e8f7a6b5c4d3e2f1 (web-2); " + SUB_B + ": no other running instance");
        List<ActionResult> q = actions(first, "quarantine-subnet");
        assertThat(q).extracting(ActionResult::target).containsExactly(SUB_A, SUB_B);
        assertThat(q).extracting(ActionResult::status).containsOnly(ActionStatus.PLANNED);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stepsB = (List<Map<String, Object>>) q.get(1).params().get("Steps");
        assertThat(stepsB.get(0)).containsEntry("Action", "CreateNetworkAcl").containsEntry("ClientToken", "vigil-quarantine-vpc-0e1f2a3b4c5d6e7f8");
        assertThat(stepsB.get(1)).containsEntry("AssociationId", "aclassoc-0b22c33d44e55f66a");
        assertThat(q.get(1).detail()).contains("from ACL acl-0b2c3d4e5f6a7b8c9");

        Finding sample = f.get(1);
        assertThat(sample.severity()).isEqualTo(Severity.LOW);
        assertThat(sample.source()).isEqualTo("198.51.100.23");
        assertThat(sample.facts()).containsEntry("remote-ips", "198.51.100.23, 203.0.113.141").containsEntry("sample", "true");
        assertThat(actions(sample, "quarantine-subnet")).extracting(ActionResult::status).containsOnly(ActionStatus.SKIPPED);

        Finding update = f.get(2);
        assertThat(update.facts()).containsEntry("count", "5");
        assertThat(actions(update, "quarantine-subnet")).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(ActionStatus.SKIPPED);
            assertThat(a.detail()).startsWith("update of GuardDuty finding 7ac7f0a3b1e24c6f9d1b2e3f4a5b6c7d");
        });
    }

    @Test
    void corpusFindingsAreSamplesSoReportedNotActedOn() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(CWE), "corpus absent: skipped");
        checkCorpus(List.of(GdFixtures.fromFile(CWE.resolve("ec2-duty-event.json")), GdFixtures.fromFile(CWE.resolve("iam-duty-event.json"))));
    }

    @Test
    void corpusFindingsThroughTheDecoder() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(CWE), "corpus absent: skipped");
        checkCorpus(decode(List.of(CWE.resolve("ec2-duty-event.json"), CWE.resolve("iam-duty-event.json"))));
    }

    private static void checkCorpus(List<SecurityEvent> events) {
        // the ec2 finding names i-99999999 but no interface: the inventory supplies its subnet
        StaticInventory inv = StaticInventory.empty()
                .add(GdFixtures.instance("i-99999999", "sample-target", "running", GdFixtures.SUBNET_A))
                .add(GdFixtures.defaultAcl(GdFixtures.SUBNET_A));
        EngineHarness h = EngineHarness.file(ENFORCE, inv).feed(events);
        assertThat(h.problems).isEmpty();
        List<Finding> f = mine(h);
        assertThat(f).extracting(x -> x.facts().get("finding-type"))
                .containsExactly("Backdoor:EC2/C&CActivity.B!DNS", "UnauthorizedAccess:IAMUser/TorIPCaller");
        assertThat(f).extracting(Finding::severity).containsExactly(Severity.MEDIUM, Severity.MEDIUM);
        Finding ec2 = f.get(0);
        assertThat(ec2.resource()).isEqualTo("i-99999999");
        assertThat(ec2.facts()).containsEntry("sample", "true").containsEntry("subnets", GdFixtures.SUBNET_A);
        assertThat(actions(ec2, "quarantine-subnet")).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(ActionStatus.SKIPPED);
            assertThat(a.detail()).startsWith("sample finding");
        });
        Finding iam = f.get(1);
        assertThat(iam.resource()).isEqualTo("GeneratedFindingUserName");
        assertThat(iam.source()).isEqualTo("198.51.100.0");
        assertThat(iam.facts()).doesNotContainKey("subnets");

        // with act-on-samples the ec2 sample is planned; the IAM finding still gets no subnet response
        EngineHarness act = EngineHarness.of(GuardDutyResponderTest.POLICY.formatted("act-on-samples: true"), inv).feed(events);
        assertThat(actions(act.findings.get(0), "quarantine-subnet")).extracting(ActionResult::status).containsExactly(ActionStatus.PLANNED);
        assertThat(actions(act.findings.get(1), "quarantine-subnet")).singleElement()
                .satisfies(a -> assertThat(a.detail()).contains("no EC2 instance"));
    }

    /** Decodes with the project's decoder; skips while the decoders are placeholders. */
    static List<SecurityEvent> decode(List<Path> files) {
        List<SecurityEvent> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        InputDecoder d = new InputDecoder(DecodeOptions.defaults());
        for (Path p : files) {
            d.decode(p, new DecodeListener() {
                @Override
                public void onEvent(SecurityEvent event) {
                    out.add(event);
                }

                @Override
                public void onError(String where, String message) {
                    errors.add(where + ": " + message);
                }
            });
        }
        Assumptions.assumeFalse(errors.stream().anyMatch(e -> e.contains("decoders not yet available")), "decoders not merged yet: skipped");
        assertThat(errors).isEmpty();
        assertThat(out).allMatch(e -> e instanceof GuardDutyFinding);
        return out;
    }
}
