package dev.vigil.scenario.bastion;

import static dev.vigil.scenario.bastion.Bastions.B1;
import static dev.vigil.scenario.bastion.Bastions.B2;
import static dev.vigil.scenario.bastion.Bastions.WEB;
import static dev.vigil.scenario.bastion.Bastions.harness;
import static dev.vigil.scenario.bastion.Bastions.state;
import static dev.vigil.scenario.bastion.Bastions.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.testing.EngineHarness;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Count integrity: tag changes, launches and terminations that change the number of bastions. */
class BastionCountTest {
    static final Instant T = t("2025-06-02T10:00:00Z");
    static final String L1 = "bastion-1 (" + B1 + ")";
    static final String L2 = "bastion-2 (" + B2 + ")";
    static final String LW = "web-1 (" + WEB + ")";

    static List<Finding> counts(EngineHarness h) {
        return h.findings(BastionWatch.COUNT);
    }

    @Test
    void deleteTagsRemovesABastionAndCreateTagsAddsOne() {
        // two bastions at the first event: two are expected (none configured)
        EngineHarness h = harness("", Bastions.fleet()).feed(state(WEB, "stopped", T),
                Bastions.deleteTags(T.plusSeconds(60), B2, "isBastion"));
        assertThat(counts(h)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.time()).isEqualTo(T.plusSeconds(60));
            assertThat(f.summary()).isEqualTo("bastion count is 1, expected 2; removed " + L2
                    + " (DeleteTags by arn:aws:sts::111122223333:assumed-role/Ops/alice)");
            assertThat(f.facts()).containsEntry("count", "1").containsEntry("expected", "2").containsEntry("removed", L2)
                    .containsEntry("bastions", L1).doesNotContainKey("added");
            assertThat(f.facts().get("expected-from")).isEqualTo("the count at the first check, " + T);
            assertThat(f.eventIds()).hasSize(1);
        });

        h.feed(Bastions.createTags(T.plusSeconds(120), WEB, "isBastion", "True"));
        assertThat(counts(h)).hasSize(2);
        Finding back = counts(h).get(1);
        assertThat(back.severity()).isEqualTo(Severity.INFO);
        assertThat(back.summary()).startsWith("bastion count is back to the expected 2; added " + LW + "; removed " + L2);
        assertThat(back.facts()).containsEntry("bastions", L1 + ", " + LW);

        // a third bastion: the count is off again, named against the new reference
        h.feed(Bastions.createTags(T.plusSeconds(180), B2, "isBastion", "true"));
        assertThat(counts(h).get(2).summary()).startsWith("bastion count is 3, expected 2; added " + L2 + " (CreateTags by");
        assertThat(h.problems).isEmpty();
    }

    @Test
    void configuredCountIsCheckedAtTheFirstEventAndDaily() {
        EngineHarness h = harness("expected-count: 3", Bastions.fleet()).feed(state(WEB, "stopped", T)).finish(t("2025-06-03T09:00:00Z"));
        assertThat(counts(h)).extracting(Finding::time).containsExactly(T, t("2025-06-03T09:00:00Z"));
        assertThat(counts(h)).allSatisfy(f -> {
            assertThat(f.summary()).startsWith("bastion count is 2, expected 3");
            assertThat(f.facts()).containsEntry("expected-from", "configured");
        });
        assertThat(counts(h).get(1).facts()).containsEntry("checked", "daily check");
    }

    @Test
    void aBastionLaunchedAndThenTerminated() {
        String id = "i-0c0ffee000000000d";
        EngineHarness h = harness("", Bastions.fleet()).feed(
                Bastions.runInstances(T, id, T, Map.of("Name", "bastion-3", "isBastion", "True")),
                Bastions.runInstances(T.plusSeconds(5), "i-0c0ffee000000000e", T, Map.of("Name", "worker")),
                state(id, "running", T.plusSeconds(30)),
                Bastions.terminate(T.plusSeconds(3600), id),
                state(id, "shutting-down", T.plusSeconds(3601)),
                state(id, "terminated", T.plusSeconds(3700)));
        assertThat(counts(h)).extracting(Finding::summary).containsExactly(
                "bastion count is 3, expected 2; added bastion-3 (" + id + ") (RunInstances by arn:aws:sts::111122223333:assumed-role/Ops/alice)",
                "bastion count is back to the expected 2 (TerminateInstances by arn:aws:sts::111122223333:assumed-role/Ops/alice)");
        // the state-change notifications that follow change nothing more
        assertThat(h.findings(BastionWatch.STOPPED)).hasSize(1);
    }

    @Test
    void terminationSeenOnlyAsAStateChangeCountsToo() {
        EngineHarness h = harness("", Bastions.fleet()).feed(state(B1, "terminated", T));
        assertThat(counts(h)).singleElement().satisfies(f -> {
            assertThat(f.summary()).isEqualTo("bastion count is 1, expected 2; removed " + L1 + " (terminated of " + B1 + ")");
            assertThat(f.facts()).containsEntry("removed", L1);
        });
    }

    @Test
    void stoppingAndStartingDoNotChangeTheCount() {
        EngineHarness h = harness("", Bastions.fleet()).feed(state(B1, "running", T), state(B1, "stopped", T.plusSeconds(60)),
                state(B2, "pending", T.plusSeconds(90)), state(B2, "running", T.plusSeconds(120)));
        assertThat(counts(h)).isEmpty();
    }

    @Test
    void tagChangesThatLeaveTheCountAloneReportNothing() {
        EngineHarness h = harness("", Bastions.fleet()).feed(
                Bastions.createTags(T, B1, "isBastion", "TRUE"),             // still a bastion
                Bastions.createTags(T.plusSeconds(1), WEB, "team", "web"),   // another tag
                Bastions.createTags(T.plusSeconds(2), B1, "Name", "jump-1"), // renamed
                Bastions.call("DeleteTags", T.plusSeconds(3), """
                        {"resourcesSet":{"items":[{"resourceId":"%s"}]},"tagSet":{"items":[{"key":"isBastion","value":"False"}]}}""".formatted(B2), null));
        assertThat(counts(h)).as("DeleteTags with another value deletes nothing").isEmpty();
        h.feed(Bastions.deleteTags(T.plusSeconds(4), B1, "isBastion"));
        assertThat(counts(h)).singleElement().satisfies(f -> assertThat(f.facts()).containsEntry("removed", "jump-1 (" + B1 + ")"));
    }

    @Test
    void deleteTagsWithoutTagsRemovesTheBastionTag() {
        EngineHarness h = harness("", Bastions.fleet()).feed(state(WEB, "stopped", T),
                Bastions.call("DeleteTags", T.plusSeconds(1), "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"" + B1 + "\"}]}}", null));
        assertThat(counts(h)).singleElement().satisfies(f -> assertThat(f.facts()).containsEntry("removed", B1));
    }

    @Test
    void aFailedCallOrAnotherServiceChangesNothing() {
        var failed = new dev.vigil.core.event.CloudTrailCall("ct-failed", T, Bastions.ACCOUNT, Bastions.REGION,
                dev.vigil.core.event.Origin.record("test", 1), "ec2.amazonaws.com", "DeleteTags", Bastions.ALICE, null, null,
                "Client.UnauthorizedOperation", "denied", Bastions.deleteTags(T, B1, "isBastion").requestParameters(), null, false);
        var other = new dev.vigil.core.event.CloudTrailCall("ct-efs", T, Bastions.ACCOUNT, Bastions.REGION,
                dev.vigil.core.event.Origin.record("test", 2), "elasticfilesystem.amazonaws.com", "DeleteTags", Bastions.ALICE, null, null,
                null, null, Bastions.deleteTags(T, B1, "isBastion").requestParameters(), null, false);
        EngineHarness h = harness("", Bastions.fleet()).feed(failed, other);
        assertThat(counts(h)).isEmpty();
    }

    @Test
    void anOffCountIsRemindedAtEachDailyReportUntilFixed() {
        EngineHarness h = harness("", Bastions.fleet()).feed(state(WEB, "stopped", T), Bastions.deleteTags(T.plusSeconds(1), B2, "isBastion"))
                .finish(t("2025-06-04T09:00:00Z"));
        assertThat(counts(h)).extracting(Finding::time).containsExactly(T.plusSeconds(1), t("2025-06-03T09:00:00Z"), t("2025-06-04T09:00:00Z"));
        assertThat(counts(h).get(2).facts()).containsEntry("removed", L2).containsEntry("checked", "daily check");
        h.feed(Bastions.createTags(t("2025-06-04T10:00:00Z"), B2, "isBastion", "True")).finish(t("2025-06-06T09:00:00Z"));
        assertThat(counts(h)).hasSize(4);
        assertThat(counts(h).get(3).severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void unknownInstancesTaggedAsBastionsCountOnceKnown() {
        String id = "i-0abcdef0123456789";
        EngineHarness h = harness("", StaticInventory.empty()).feed(Bastions.createTags(T, id, "isBastion", "True"));
        // first event: zero bastions expected; the tag makes one
        assertThat(counts(h)).singleElement().satisfies(f -> assertThat(f.summary()).startsWith("bastion count is 1, expected 0; added " + id));
    }
}
