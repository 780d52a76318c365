package dev.vigil.scenario.bastion;

import static dev.vigil.scenario.bastion.Bastions.B1;
import static dev.vigil.scenario.bastion.Bastions.B2;
import static dev.vigil.scenario.bastion.Bastions.WEB;
import static dev.vigil.scenario.bastion.Bastions.bastion;
import static dev.vigil.scenario.bastion.Bastions.harness;
import static dev.vigil.scenario.bastion.Bastions.instance;
import static dev.vigil.scenario.bastion.Bastions.state;
import static dev.vigil.scenario.bastion.Bastions.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.testing.EngineHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Running, stopped and uptime alerts in event time. */
class BastionUptimeTest {
    static final Instant T = t("2025-03-03T10:00:00Z");
    static final String NO_REPORT = "daily-report: {enabled: false}";

    static List<Finding> uptime(EngineHarness h) {
        return h.findings(BastionWatch.UPTIME);
    }

    @Test
    void runningAtTGivesNoUptimeAlertAt47h59mAndOneAtLaunchPlus48h() {
        Instant launch = T.minusSeconds(40); // DescribeInstances' LaunchTime: the instance was pending for 40 s
        StaticInventory inv = StaticInventory.empty().add(bastion(B1, "bastion-1", "running", launch));
        EngineHarness h = harness(NO_REPORT, inv).feed(state(B1, "running", T));

        Finding running = h.findings(BastionWatch.RUNNING).get(0);
        assertThat(running.severity()).isEqualTo(Severity.INFO);
        assertThat(running.resource()).isEqualTo(B1);
        assertThat(running.facts()).containsEntry("launch-time", launch.toString())
                .containsEntry("launch-time-source", Launch.INVENTORY).containsEntry("name", "bastion-1")
                .containsEntry("account", "111122223333").containsEntry("region", "eu-central-1")
                .containsEntry("uptime-alert-at", launch.plus(Duration.ofHours(48)).toString());

        h.feed(state(WEB, "stopped", T.plus(Duration.ofHours(47).plusMinutes(59)))); // moves event time on
        assertThat(uptime(h)).isEmpty();

        h.finish(T.plus(Duration.ofHours(48)));
        assertThat(uptime(h)).singleElement().satisfies(f -> {
            assertThat(f.time()).isEqualTo(launch.plus(Duration.ofHours(48)));
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.summary()).contains("bastion-1 (" + B1 + ") has been running for 2 days since " + launch);
            assertThat(f.facts()).containsEntry("running-time", "2 days").containsEntry("threshold", "2 days")
                    .containsEntry("instance", B1).containsEntry("launch-time", launch.toString());
        });
        assertThat(h.problems).isEmpty();
    }

    @Test
    void unknownLaunchTimeCountsFromTheRunningNotificationAndSaysSo() {
        // the inventory's launch time is a previous run's (weeks before the notification): not this run's
        EngineHarness h = harness(NO_REPORT, Bastions.fleet()).feed(state(B1, "running", T));
        assertThat(h.findings(BastionWatch.RUNNING).get(0).facts())
                .containsEntry("launch-time", T.toString()).containsEntry("launch-time-source", Launch.EVENT_TIME);
        h.finish(T.plus(Duration.ofHours(48)).minusSeconds(1));
        assertThat(uptime(h)).isEmpty();
        h.finish(T.plus(Duration.ofHours(48)));
        assertThat(uptime(h)).singleElement().satisfies(f -> assertThat(f.facts()).containsEntry("launch-time-source", Launch.EVENT_TIME));
    }

    @Test
    void stopAfterTenHoursCancelsTheAlert() {
        EngineHarness h = harness(NO_REPORT, Bastions.fleet())
                .feed(state(B1, "running", T), state(B1, "stopping", T.plus(Duration.ofHours(10))),
                        state(B1, "stopped", T.plus(Duration.ofHours(10)).plusSeconds(50)))
                .finish(T.plus(Duration.ofDays(10)));
        assertThat(uptime(h)).isEmpty();
        // stopping and stopped are one stop: one finding
        assertThat(h.findings(BastionWatch.STOPPED)).singleElement().satisfies(f -> {
            assertThat(f.summary()).isEqualTo("bastion bastion-1 (" + B1 + ") is stopping after running 10 hours");
            assertThat(f.facts()).containsEntry("state", "stopping").containsEntry("running-time", "10 hours");
        });
    }

    @Test
    void stopAndStartCountsFromTheNewLaunch() {
        Instant restart = T.plus(Duration.ofHours(41));
        EngineHarness h = harness(NO_REPORT, Bastions.fleet())
                .feed(state(B1, "running", T), state(B1, "stopped", T.plus(Duration.ofHours(40))), state(B1, "running", restart))
                .finish(restart.plus(Duration.ofHours(48)).minusSeconds(1));
        assertThat(uptime(h)).as("nothing at T+48h: that run ended").isEmpty();
        h.finish(restart.plus(Duration.ofHours(48)));
        assertThat(uptime(h)).extracting(Finding::time).containsExactly(restart.plus(Duration.ofHours(48)));
        assertThat(h.rules()).containsExactly(BastionWatch.RUNNING, BastionWatch.STOPPED, BastionWatch.RUNNING, BastionWatch.UPTIME);
    }

    @Test
    void repeatsEveryRepeatWhileRunningWithOneStopPlanPerRun() {
        Instant stop = T.plus(Duration.ofHours(100));
        EngineHarness h = harness(NO_REPORT, Bastions.fleet()).feed(state(B1, "running", T), state(B1, "stopped", stop))
                .finish(T.plus(Duration.ofDays(30)));
        List<Finding> alerts = uptime(h);
        assertThat(alerts).extracting(Finding::time).containsExactly(T.plus(Duration.ofHours(48)), T.plus(Duration.ofHours(72)),
                T.plus(Duration.ofHours(96)));
        assertThat(alerts).extracting(f -> f.facts().get("alert")).containsExactly("1", "2", "3");
        assertThat(alerts).extracting(f -> f.facts().get("running-time")).containsExactly("2 days", "3 days", "4 days");
        ActionResult first = stopAction(alerts.get(0));
        assertThat(first.status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(first.target()).isEqualTo(B1);
        assertThat(first.params()).isEqualTo(Map.of("Action", "StopInstances", "InstanceId", List.of(B1)));
        // the same run is stopped once: later alerts find the plan already made
        assertThat(stopAction(alerts.get(1)).status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
    }

    @Test
    void repeatIsConfigurable() {
        EngineHarness h = harness("threshold: 12h, repeat: 6h, " + NO_REPORT, Bastions.fleet()).feed(state(B1, "running", T))
                .finish(T.plus(Duration.ofHours(24)));
        assertThat(uptime(h)).extracting(Finding::time).containsExactly(T.plus(Duration.ofHours(12)), T.plus(Duration.ofHours(18)),
                T.plus(Duration.ofHours(24)));
    }

    @Test
    void anExemptBastionIsNotifiedButNeverStopped() {
        StaticInventory inv = StaticInventory.empty().add(Bastions.instance(B1, "bastion-1", "stopped", null,
                Map.of("isBastion", "True", "vigil-exempt", "true")));
        EngineHarness h = EngineHarness.of("""
                exemptions:
                  tags: {vigil-exempt: "true"}
                """ + Bastions.policy(NO_REPORT), inv).feed(state(B1, "running", T)).finish(T.plus(Duration.ofHours(48)));
        ActionResult stop = stopAction(uptime(h).get(0));
        assertThat(stop.status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(uptime(h).get(0).actions()).extracting(ActionResult::type).contains("notify");
    }

    @Test
    void stopInstanceIsOffInTheDefaultPolicyAndHasAnUndo() {
        EngineHarness h = EngineHarness.defaults(Bastions.fleet()).feed(state(B1, "running", T)).finish(T.plus(Duration.ofHours(48)));
        Finding f = uptime(h).get(0);
        assertThat(f.actions()).extracting(ActionResult::type).containsExactly("notify");
        Notices.View v = new Notices.View(dev.vigil.core.event.InstanceId.of(B1), "bastion-1", null, null, "running",
                new Launch(T, Launch.EVENT_TIME));
        var plan = Notices.stop(v, "2 days", Duration.ofHours(48));
        assertThat(plan.undo()).isEqualTo(Map.of("Action", "StartInstances", "InstanceId", List.of(B1)));
        assertThat(plan.idempotencyKey()).isEqualTo("stop-instance:" + B1 + ":" + T);
        assertThat(plan.disruptive()).isTrue();
    }

    @Test
    void nonBastionsAndUnknownInstancesAreIgnored() {
        EngineHarness h = harness(NO_REPORT, Bastions.fleet())
                .feed(state(WEB, "running", T), state("i-0123456789abcdef0", "running", T.plusSeconds(1)),
                        state(WEB, "stopped", T.plus(Duration.ofHours(1))))
                .finish(T.plus(Duration.ofDays(5)));
        assertThat(h.findings).isEmpty();
        assertThat(h.problems).isEmpty();
    }

    @Test
    void tagValueIsMatchedWithoutCaseAndKeyAndValueAreConfigurable() {
        StaticInventory inv = StaticInventory.empty()
                .add(instance(B1, "a", "stopped", null, Map.of("isBastion", "true")))
                .add(instance(B2, "b", "stopped", null, Map.of("role", "JumpHost")));
        assertThat(harness(NO_REPORT, inv).feed(state(B1, "running", T), state(B2, "running", T)).findings(BastionWatch.RUNNING))
                .extracting(Finding::resource).containsExactly(B1);
        assertThat(harness("tag-key: role, tag-value: jumphost, " + NO_REPORT, inv).feed(state(B1, "running", T), state(B2, "running", T))
                .findings(BastionWatch.RUNNING)).extracting(Finding::resource).containsExactly(B2);
    }

    @Test
    void listedIdsAreBastionsWithoutTheTag() {
        StaticInventory inv = StaticInventory.empty().add(instance(WEB, "jump", "stopped", null, Map.of()));
        EngineHarness h = harness("instances: [" + WEB + "], " + NO_REPORT, inv).feed(state(WEB, "running", T));
        assertThat(h.findings(BastionWatch.RUNNING)).extracting(Finding::resource).containsExactly(WEB);
    }

    @Test
    void shuttingDownThenTerminatedIsOneStopAndAStoppedBastionTerminatedLaterIsAnother() {
        EngineHarness h = harness(NO_REPORT, Bastions.fleet()).feed(state(B1, "running", T),
                state(B1, "shutting-down", T.plus(Duration.ofHours(1))), state(B1, "terminated", T.plus(Duration.ofHours(1)).plusSeconds(30)),
                state(B2, "stopped", T.plus(Duration.ofHours(2))), state(B2, "terminated", T.plus(Duration.ofHours(3))));
        assertThat(h.findings(BastionWatch.STOPPED)).extracting(f -> f.resource() + " " + f.facts().get("state"))
                .containsExactly(B1 + " shutting-down", B2 + " stopped", B2 + " terminated");
    }

    @Test
    void taggingARunningInstanceAsBastionWatchesItFromItsLaunch() {
        EngineHarness h = harness(NO_REPORT, Bastions.fleet())
                .feed(state(WEB, "running", T), Bastions.createTags(T.plus(Duration.ofHours(10)), WEB, "isBastion", "True"))
                .finish(T.plus(Duration.ofHours(48)));
        assertThat(h.findings(BastionWatch.RUNNING)).isEmpty(); // a tag is not a start
        assertThat(uptime(h)).singleElement().satisfies(f -> {
            assertThat(f.time()).isEqualTo(T.plus(Duration.ofHours(48)));
            assertThat(f.facts()).containsEntry("name", "web-1");
        });
    }

    @Test
    void removingTheTagFromARunningBastionCancelsItsAlert() {
        EngineHarness h = harness(NO_REPORT, Bastions.fleet())
                .feed(state(B1, "running", T), Bastions.deleteTags(T.plus(Duration.ofHours(5)), B1, "isBastion"))
                .finish(T.plus(Duration.ofDays(4)));
        assertThat(uptime(h)).isEmpty();
    }

    @Test
    void aBastionLaunchedByRunInstancesTakesItsLaunchTimeFromCloudTrail() {
        String id = "i-0c0ffee000000000d";
        Instant launch = T.minusSeconds(25);
        EngineHarness h = harness(NO_REPORT, StaticInventory.empty())
                .feed(Bastions.runInstances(launch.plusSeconds(1), id, launch, Map.of("Name", "bastion-new", "isBastion", "TRUE")),
                        state(id, "pending", launch.plusSeconds(2)), state(id, "running", T))
                .finish(launch.plus(Duration.ofHours(48)));
        assertThat(h.findings(BastionWatch.RUNNING).get(0).facts()).containsEntry("launch-time", launch.toString())
                .containsEntry("launch-time-source", Launch.RUN_INSTANCES).containsEntry("name", "bastion-new");
        assertThat(uptime(h)).extracting(Finding::time).containsExactly(launch.plus(Duration.ofHours(48)));
    }

    @Test
    void aBastionAlreadyRunningAtTheFirstEventIsWatchedFromItsInventoryLaunch() {
        Instant launch = T.minus(Duration.ofHours(47));
        StaticInventory inv = StaticInventory.empty().add(bastion(B1, "bastion-1", "running", launch));
        EngineHarness h = harness(NO_REPORT, inv).feed(state(WEB, "running", T)).finish(T.plus(Duration.ofHours(1)));
        assertThat(uptime(h)).extracting(Finding::time).containsExactly(launch.plus(Duration.ofHours(48)));
        assertThat(uptime(h).get(0).facts()).containsEntry("launch-time-source", Launch.INVENTORY);
    }

    @Test
    void aBastionRunningPastTheThresholdAtTheFirstEventIsReportedThenAndNotInThePast() {
        Instant launch = T.minus(Duration.ofDays(9));
        StaticInventory inv = StaticInventory.empty().add(bastion(B1, "bastion-1", "running", launch));
        EngineHarness h = harness(NO_REPORT, inv).feed(state(WEB, "running", T)).finish(T.plus(Duration.ofHours(25)));
        assertThat(uptime(h)).extracting(Finding::time).containsExactly(T, T.plus(Duration.ofHours(24)));
        assertThat(uptime(h).get(0).facts()).containsEntry("running-time", "9 days");
    }

    @Test
    void aRepeatedRunningNotificationOfTheSameRunIsReportedOnce() {
        EngineHarness h = harness(NO_REPORT, Bastions.fleet()).feed(state(B1, "running", T), state(B1, "running", T.plusSeconds(5)))
                .finish(T.plus(Duration.ofHours(48)));
        assertThat(h.findings(BastionWatch.RUNNING)).hasSize(1);
        assertThat(uptime(h)).extracting(Finding::time).containsExactly(T.plus(Duration.ofHours(48)));
    }

    @Test
    void oddButWellFormedEventsNeverFail() {
        EngineHarness h = harness(NO_REPORT, Bastions.fleet()).feed(
                state(B1, "rebooting", T),
                Bastions.call("RunInstances", T, null, null),
                Bastions.call("RunInstances", T, "{}", "{\"instancesSet\":{\"items\":[{\"instanceId\":\"not-an-id\"},{\"launchTime\":\"x\"}]}}"),
                Bastions.call("CreateTags", T, "{\"resourcesSet\":[{\"resourceId\":\"" + B1 + "\"}],\"tagSet\":{\"items\":[{\"value\":\"x\"}]}}", null),
                Bastions.call("DeleteTags", T, "{\"resourcesSet\":{\"items\":[{\"resourceId\":null}]}}", null),
                Bastions.call("TerminateInstances", T, null, "{\"instancesSet\":{\"items\":[{\"instanceId\":\"" + B2 + "\",\"currentState\":null}]}}"),
                Bastions.call("CreateTags", T, "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"sg-0123456789abcdef0\"}]},\"tagSet\":{\"items\":[{\"key\":\"isBastion\",\"value\":\"True\"}]}}", null));
        assertThat(h.problems).isEmpty();
        // the TerminateInstances of bastion-2 is the one meaningful record: the count went from 2 to 1
        assertThat(h.rules()).containsExactly(BastionWatch.COUNT);
    }

    static ActionResult stopAction(Finding f) {
        return f.actions().stream().filter(a -> a.type().equals(BastionWatch.STOP_INSTANCE)).findFirst().orElseThrow();
    }
}
