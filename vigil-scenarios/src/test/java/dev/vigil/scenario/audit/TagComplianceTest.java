package dev.vigil.scenario.audit;

import static dev.vigil.scenario.audit.Trail.ALICE;
import static dev.vigil.scenario.audit.Trail.BOB;
import static dev.vigil.scenario.audit.Trail.createTags;
import static dev.vigil.scenario.audit.Trail.deleteTags;
import static dev.vigil.scenario.audit.Trail.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.StaticInventory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ec2-missing-required-tags over RunInstances / CreateTags / DeleteTags sequences, in event time. */
class TagComplianceTest {
    static final String I1 = "i-0a1b2c3d4e5f60001";
    static final String I2 = "i-0a1b2c3d4e5f60002";
    static final String OWNER = "required-tags: [Owner]\n";
    static final String STRICT = """
            required-tags:
              - Owner
              - key: Environment
                values: [prod, staging, dev]
              - key: CostCenter
                pattern: "cc-[0-9]{4}"
            """;

    static AuditRun audit(String params) {
        return new AuditRun(params, StaticInventory.empty());
    }

    @Test
    void untaggedLaunchTaggedInsideGraceIsCompliant() {
        AuditRun r = audit(OWNER).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1)),
                createTags("2024-05-06T10:01:00Z", ALICE, I1, "Owner=team-a"))
                .finish("2024-05-06T12:00:00Z");
        assertThat(r.findings).isEmpty();
        assertThat(r.problems).isEmpty();
    }

    @Test
    void untaggedLaunchTaggedAfterGraceGivesOneFindingAtTheEndOfTheGrace() {
        AuditRun r = audit(OWNER).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1)),
                createTags("2024-05-06T10:10:01Z", ALICE, I1, "Owner=team-a"))
                .finish("2024-05-06T12:00:00Z");
        assertThat(r.rules()).containsExactly("ec2-missing-required-tags");
        Finding f = r.findings.get(0);
        assertThat(f.time()).isEqualTo(Instant.parse("2024-05-06T10:10:00Z"));
        assertThat(f.resource()).isEqualTo(I1);
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.facts()).containsEntry("missing", "Owner").containsEntry("launched-by", ALICE.arn());
        assertThat(f.summary()).contains(I1, "Owner", ALICE.arn());
        assertThat(f.eventIds()).hasSize(1);
        assertThat(f.account().value()).isEqualTo("111122223333");
        assertThat(f.source()).isEqualTo("203.0.113.9");
    }

    @Test
    void theGracePeriodIsEventTimeAndEndsAtTheEndOfInput() {
        assertThat(audit(OWNER).feed(run("2024-05-06T10:00:00Z", ALICE, List.of(I1))).finish("2024-05-06T10:09:59Z").findings).isEmpty();
        assertThat(audit(OWNER).feed(run("2024-05-06T10:00:00Z", ALICE, List.of(I1))).finish("2024-05-06T10:10:00Z").findings).hasSize(1);
        assertThat(audit(OWNER + "grace-period: 2m\n").feed(run("2024-05-06T10:00:00Z", ALICE, List.of(I1)),
                createTags("2024-05-06T10:03:00Z", ALICE, I1, "Owner=late")).finish("2024-05-06T10:03:00Z").findings)
                .extracting(Finding::time).containsExactly(Instant.parse("2024-05-06T10:02:00Z"));
    }

    @Test
    void aLaterEventOfAnotherInstanceFiresTheTimerBeforeItIsHandled() {
        AuditRun r = audit(OWNER).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1)),
                run("2024-05-06T10:30:00Z", BOB, List.of(I2), "Owner=bob"));
        assertThat(r.findings).extracting(Finding::resource).containsExactly(I1);
        r.finish("2024-05-07T00:00:00Z");
        assertThat(r.findings).hasSize(1);
    }

    @Test
    void launchTagsAreReadFromTheInstanceTagSpecificationOnly() {
        // Trail.run also puts Owner on the volume spec: it must not count for the instance.
        AuditRun r = audit(OWNER).feed(run("2024-05-06T10:00:00Z", ALICE, List.of(I1), "Name=web")).finish("2024-05-06T11:00:00Z");
        assertThat(r.findings).hasSize(1);
        assertThat(r.findings.get(0).facts()).containsEntry("name", "web").containsEntry("missing", "Owner");
        assertThat(audit(OWNER).feed(run("2024-05-06T10:00:00Z", ALICE, List.of(I1), "Owner=a")).finish("2024-05-06T11:00:00Z").findings).isEmpty();
    }

    @Test
    void everyInstanceOfALaunchIsChecked() {
        AuditRun r = audit(OWNER).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1, I2)),
                createTags("2024-05-06T10:05:00Z", ALICE, I2, "Owner=a"))
                .finish("2024-05-06T11:00:00Z");
        assertThat(r.findings).extracting(Finding::resource).containsExactly(I1);
    }

    @Test
    void wrongValuesNameTheKeyTheValueAndWhatIsAllowed() {
        AuditRun r = audit(STRICT).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1), "Owner=a", "Environment=prodd", "CostCenter=cc-12"))
                .finish("2024-05-06T11:00:00Z");
        assertThat(r.findings).hasSize(1);
        Finding f = r.findings.get(0);
        assertThat(f.facts()).containsEntry("wrong", "Environment=prodd, CostCenter=cc-12").doesNotContainKey("missing");
        assertThat(f.summary()).contains("Environment='prodd' (expected one of [dev, prod, staging])", "matching cc-[0-9]{4}");
    }

    @Test
    void aWrongValueFixedInsideGraceIsCompliant() {
        AuditRun r = audit(STRICT).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1), "Owner=a", "Environment=prodd"),
                createTags("2024-05-06T10:02:00Z", ALICE, I1, "Environment=prod"),
                createTags("2024-05-06T10:04:00Z", BOB, I1, "CostCenter=cc-1234"))
                .finish("2024-05-06T11:00:00Z");
        assertThat(r.findings).isEmpty();
    }

    @Test
    void partialTaggingInsideGraceLeavesOnlyTheRemainingProblems() {
        AuditRun r = audit(STRICT).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1)),
                createTags("2024-05-06T10:02:00Z", BOB, I1, "Owner=a", "Environment=qa"))
                .finish("2024-05-06T11:00:00Z");
        assertThat(r.findings).hasSize(1);
        assertThat(r.findings.get(0).facts()).containsEntry("missing", "CostCenter").containsEntry("wrong", "Environment=qa")
                .containsEntry("launched-by", ALICE.arn());
    }

    @Test
    void deletingARequiredTagLaterIsReportedAtOnce() {
        AuditRun r = audit(OWNER).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1), "Owner=a"),
                deleteTags("2024-05-08T03:00:00Z", BOB, I1, "Owner"));
        assertThat(r.findings).hasSize(1);
        Finding f = r.findings.get(0);
        assertThat(f.time()).isEqualTo(Instant.parse("2024-05-08T03:00:00Z"));
        assertThat(f.facts()).containsEntry("missing", "Owner").containsEntry("changed-by", BOB.arn())
                .containsEntry("launched-by", ALICE.arn()).containsEntry("change", "DeleteTags");
        assertThat(f.eventIds()).hasSize(2); // the DeleteTags and the launch
    }

    @Test
    void deleteTagsWithAnotherValueOrAnotherKeyChangesNothing() {
        AuditRun r = audit(OWNER).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1), "Owner=a", "Name=web"),
                deleteTags("2024-05-06T11:00:00Z", BOB, I1, "Owner=b"),
                deleteTags("2024-05-06T11:00:01Z", BOB, I1, "Name"))
                .finish("2024-05-07T00:00:00Z");
        assertThat(r.findings).isEmpty();
        r.feed(deleteTags("2024-05-07T01:00:00Z", BOB, I1, "Owner=a"));
        assertThat(r.findings).hasSize(1);
    }

    @Test
    void deleteTagsWithoutTagsRemovesThemAll() {
        AuditRun r = audit(OWNER).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1), "Owner=a"),
                deleteTags("2024-05-06T12:00:00Z", BOB, I1));
        assertThat(r.findings).extracting(f -> f.facts().get("missing")).containsExactly("Owner");
    }

    @Test
    void aReportedProblemIsNotReportedAgainButANewOneIs() {
        AuditRun r = audit("required-tags: [Owner, Project]\n").feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1), "Project=x"),
                createTags("2024-05-06T11:00:00Z", BOB, I1, "Name=web"),
                deleteTags("2024-05-06T11:05:00Z", BOB, I1, "Owner"), // already missing, already reported
                createTags("2024-05-06T12:00:00Z", BOB, I1, "Owner=a"),
                deleteTags("2024-05-06T13:00:00Z", BOB, I1, "Project")); // a new problem
        assertThat(r.findings).extracting(f -> f.facts().get("missing")).containsExactly("Owner", "Project");
    }

    @Test
    void aCompliantInstanceGivenAWrongValueIsReportedAtOnce() {
        AuditRun r = audit(STRICT).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1), "Owner=a", "Environment=dev", "CostCenter=cc-0001"),
                createTags("2024-05-06T15:00:00Z", BOB, I1, "Environment=test"));
        assertThat(r.findings).hasSize(1);
        assertThat(r.findings.get(0).facts()).containsEntry("wrong", "Environment=test").containsEntry("change", "CreateTags");
    }

    @Test
    void terminatedInsideGraceIsNotReported() {
        AuditRun r = audit(OWNER).feed(
                run("2024-05-06T10:00:00Z", ALICE, List.of(I1)),
                Trail.ec2("TerminateInstances", "2024-05-06T10:03:00Z", ALICE,
                        "{\"instancesSet\":{\"items\":[{\"instanceId\":\"" + I1 + "\"}]}}", null))
                .finish("2024-05-06T11:00:00Z");
        assertThat(r.findings).isEmpty();
    }

    @Test
    void failedCallsAreIgnoredAndCounted() {
        AuditRun r = audit(OWNER);
        r.feed(Trail.call("ec2.amazonaws.com", "RunInstances", "2024-05-06T10:00:00Z", ALICE,
                "{\"instanceType\":\"p2.xlarge\"}", null, "Client.UnauthorizedOperation"));
        r.feed(run("2024-05-06T10:00:00Z", ALICE, List.of(I1), "Owner=a"));
        r.feed(Trail.failed(deleteTags("2024-05-06T11:00:00Z", BOB, I1, "Owner"), "Client.InvalidTagKey.Malformed"));
        r.finish("2024-05-07T00:00:00Z");
        assertThat(r.findings).isEmpty();
        assertThat(r.detector.stats().failedCalls()).isEqualTo(2);
        assertThat(r.detector.stats().failedCallsByName()).containsEntry("RunInstances", 1L).containsEntry("DeleteTags", 1L);
        assertThat(r.detector.stats().asMap()).containsEntry("failed_calls_ignored", 2L);
    }

    @Test
    void inventoryTagsAreKnownTags() {
        StaticInventory inv = StaticInventory.empty()
                .add(new InstanceInfo(InstanceId.of(I1), "running", Instant.parse("2024-01-01T00:00:00Z"), Map.of("Owner", "a", "Name", "db"),
                        null, null, List.of(), null, null))
                .add(new InstanceInfo(InstanceId.of(I2), "running", Instant.parse("2024-01-01T00:00:00Z"), Map.of("Name", "legacy"),
                        null, null, List.of(), null, null));
        AuditRun r = new AuditRun(OWNER, inv).feed(
                createTags("2024-05-06T10:00:00Z", BOB, I2, "Name=legacy-2"), // already missing Owner: not a change we saw
                deleteTags("2024-05-06T10:05:00Z", BOB, I1, "Owner=a"));
        assertThat(r.findings).extracting(Finding::resource).containsExactly(I1);
        assertThat(r.findings.get(0).facts()).containsEntry("name", "db").doesNotContainKey("launched-by");
    }

    @Test
    void withoutInventoryOnlyKnownRemovalsCount() {
        AuditRun r = audit(OWNER).feed(
                createTags("2024-05-06T10:00:00Z", BOB, I1, "Name=x"),        // unknown instance: nothing known about Owner
                deleteTags("2024-05-06T10:01:00Z", BOB, I2, "Owner=someone"), // conditional: Owner's value was unknown
                deleteTags("2024-05-06T10:02:00Z", BOB, I1, "Owner"))         // Owner surely gone now
                .finish("2024-05-07T00:00:00Z");
        assertThat(r.findings).extracting(Finding::resource).containsExactly(I1);
    }

    @Test
    void oddButWellFormedRecordsNeitherThrowNorReport() {
        AuditRun r = audit(OWNER).feed(
                Trail.ec2("RunInstances", "2024-05-06T10:00:00Z", ALICE, null, null),
                Trail.ec2("RunInstances", "2024-05-06T10:00:01Z", ALICE, "{\"tagSpecificationSet\":\"odd\"}", "{\"instancesSet\":[{\"instanceId\":\"i-!!\"}]}"),
                Trail.ec2("RunInstances", "2024-05-06T10:00:02Z", ALICE, "null", "{\"instancesSet\":{\"items\":[{\"instanceId\":null},42]}}"),
                Trail.ec2("CreateTags", "2024-05-06T10:00:03Z", null, "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"sg-0123\"}]},\"tagSet\":[]}", null),
                Trail.ec2("DeleteTags", "2024-05-06T10:00:04Z", null, "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"vol-0123\"}]}}", null),
                Trail.ec2("CreateTags", "2024-05-06T10:00:05Z", null, "{\"resourcesSet\":7,\"tagSet\":{\"items\":[{\"value\":\"x\"}]}}", null),
                Trail.ec2("TerminateInstances", "2024-05-06T10:00:06Z", null, "[]", "[]"))
                .finish("2024-05-07T00:00:00Z");
        assertThat(r.problems).isEmpty();
        assertThat(r.findings).isEmpty();
    }

    @Test
    void theListFormOfInstancesSetIsReadToo() {
        AuditRun r = audit(OWNER).feed(Trail.ec2("RunInstances", "2024-05-06T10:00:00Z", null, "{}",
                "{\"instancesSet\":[{\"instanceId\":\"" + I1 + "\"}]}")).finish("2024-05-07T00:00:00Z");
        assertThat(r.findings).hasSize(1);
        assertThat(r.findings.get(0).summary()).contains("an unknown principal");
    }

    @Test
    void memoryIsBoundedAndAForgottenInstanceIsTreatedAsUnknown() {
        AuditRun r = audit(OWNER + "max-instances: 100\n");
        for (int n = 0; n < 150; n++) {
            r.feed(run("2024-05-06T10:00:00Z", ALICE, List.of(String.format("i-%017x", n)), "Owner=a"));
        }
        assertThat(r.detector.stats().instancesEvicted()).isEqualTo(50);
        r.feed(deleteTags("2024-05-06T11:00:00Z", BOB, String.format("i-%017x", 0), "Owner=a"),   // forgotten: value unknown
                deleteTags("2024-05-06T11:00:01Z", BOB, String.format("i-%017x", 149), "Owner=a")); // remembered
        assertThat(r.findings).extracting(Finding::resource).containsExactly(String.format("i-%017x", 149));
    }
}
