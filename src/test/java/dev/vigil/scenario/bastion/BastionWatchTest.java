package dev.vigil.scenario.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.InstanceStateChange;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.ScheduledTick;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.testing.EngineHarness;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BastionWatchTest {
    static final InstanceId B1 = InstanceId.of("i-0b0000000000000b1");
    static final InstanceId B2 = InstanceId.of("i-0b0000000000000b2");
    static final InstanceId WEB = InstanceId.of("i-0c0000000000000c1");
    static final Instant T0 = Instant.parse("2024-03-01T08:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static int seq;

    static String policy(String params) {
        return "policies:\n  - name: bastions\n    detector: bastion-watch\n    params: " + params
                + "\n    responses:\n      \"*\": [notify]\n      bastion-uptime-exceeded: [stop-instance]\n    notify: [security-team]\n";
    }

    static InstanceInfo inst(InstanceId id, String state, Instant launch, Map<String, String> tags) {
        return new InstanceInfo(id, state, launch, tags, null, null, List.of(), AccountId.of("111122223333"), Region.of("eu-west-1"));
    }

    static StaticInventory inventory() {
        return StaticInventory.empty()
                .add(inst(B1, "stopped", null, Map.of("isBastion", "True", "Name", "bastion-a")))
                .add(inst(B2, "running", T0.minusSeconds(3600), Map.of("isBastion", "true", "Name", "bastion-b")))
                .add(inst(WEB, "running", T0.minusSeconds(3600), Map.of("Name", "web")));
    }

    static InstanceStateChange state(InstanceId id, String s, Instant t) {
        return new InstanceStateChange("ev-" + (++seq), t, AccountId.of("111122223333"), Region.of("eu-west-1"), Origin.record("t", seq), id, s);
    }

    static ScheduledTick tick(Instant t) {
        return new ScheduledTick("tick-" + (++seq), t, AccountId.of("111122223333"), Region.of("eu-west-1"), Origin.record("t", seq), List.of());
    }

    static CloudTrailCall call(String name, String req, String resp, Instant t) throws Exception {
        return new CloudTrailCall("ct-" + (++seq), t, AccountId.of("111122223333"), Region.of("eu-west-1"), Origin.record("t", seq),
                "ec2.amazonaws.com", name, Principal.UNKNOWN, "198.51.100.1", "cli", null, null, JSON.readTree(req),
                resp == null ? JSON.missingNode() : JSON.readTree(resp), false);
    }

    static List<Finding> uptime(EngineHarness h, InstanceId id) {
        return h.findings(BastionWatch.UPTIME).stream().filter(f -> f.resource().equals(id.value())).toList();
    }

    @Test
    void startAndStopOfABastionOnlyAndTheUptimeFromLaunchTime() {
        // (bastion-b, running in the inventory, has its own timer: the assertions below are about bastion-a)
        EngineHarness h = EngineHarness.of(policy("{daily-report: {enabled: false}}"), inventory());
        h.feed(state(WEB, "running", T0), state(B1, "running", T0.plusSeconds(60)));
        assertThat(h.rules()).containsExactly("bastion-running");
        assertThat(h.findings(BastionWatch.STOPPED)).isEmpty();
        Finding running = h.findings.get(0);
        assertThat(running.resource()).isEqualTo(B1.value());
        assertThat(running.facts()).containsEntry("name", "bastion-a").containsEntry("account", "111122223333").containsEntry("region", "eu-west-1")
                .containsKey("launch-time-source");

        // just before the threshold: nothing; just after: exceeded, counted from launch (the running event here)
        h.feed(tick(T0.plusSeconds(60 + 48 * 3600 - 1)));
        assertThat(uptime(h, B1)).isEmpty();
        h.feed(tick(T0.plusSeconds(60 + 48 * 3600 + 5)));
        Finding up = uptime(h, B1).get(0);
        assertThat(up.time()).isEqualTo(T0.plusSeconds(60 + 48 * 3600));
        assertThat(up.severity().label()).isEqualTo("high");
        assertThat(up.summary()).contains("2 days 0 hours");
        assertThat(up.actions()).filteredOn(a -> a.type().equals("stop-instance")).singleElement()
                .satisfies(a -> assertThat(a.params()).containsEntry("Action", "StopInstances").containsEntry("InstanceId", List.of(B1.value())));

        // repeats every 24 hours while running; a stop cancels it
        h.feed(tick(T0.plusSeconds(60 + 72 * 3600 + 5)));
        assertThat(uptime(h, B1)).hasSize(2);
        assertThat(uptime(h, B1).get(1).summary()).contains("3 days 0 hours");
        h.feed(state(B1, "stopping", T0.plusSeconds(73 * 3600)), state(B1, "stopped", T0.plusSeconds(73 * 3600 + 30)));
        assertThat(h.findings(BastionWatch.STOPPED)).singleElement().satisfies(f -> assertThat(f.summary()).contains("after running 3 days"));
        h.finish(T0.plusSeconds(200 * 3600));
        assertThat(uptime(h, B1)).hasSize(2);
    }

    @Test
    void aStopTenHoursInCancelsTheTimer() {
        EngineHarness h = EngineHarness.of(policy("{daily-report: {enabled: false}}"), inventory());
        h.feed(state(B1, "running", T0), state(B1, "stopped", T0.plusSeconds(10 * 3600))).finish(T0.plusSeconds(100 * 3600));
        assertThat(uptime(h, B1)).isEmpty();
        assertThat(h.findings(BastionWatch.STOPPED)).singleElement().satisfies(f -> assertThat(f.summary()).contains("10 hours 0 minutes"));
    }

    @Test
    void aStopAndALaterStartCountFromTheNewLaunch() {
        EngineHarness h = EngineHarness.of(policy("{daily-report: {enabled: false}}"), inventory());
        h.feed(state(B1, "running", T0), state(B1, "stopped", T0.plusSeconds(40 * 3600)), state(B1, "running", T0.plusSeconds(41 * 3600)));
        h.finish(T0.plusSeconds(41 * 3600 + 48 * 3600 - 60));
        assertThat(uptime(h, B1)).isEmpty();
        h.finish(T0.plusSeconds(41 * 3600 + 48 * 3600 + 60));
        assertThat(uptime(h, B1)).singleElement().satisfies(f -> assertThat(f.time()).isEqualTo(T0.plusSeconds(89 * 3600)));
    }

    @Test
    void alreadyRunningBastionCountsFromTheInventoryLaunchTime() {
        EngineHarness h = EngineHarness.of(policy("{daily-report: {enabled: false}}"), inventory());
        h.feed(state(WEB, "running", T0)); // any first event: bastions the inventory shows running get their timers
        h.finish(T0.plusSeconds(47 * 3600 + 60));
        assertThat(uptime(h, B2)).singleElement()
                .satisfies(f -> assertThat(f.time()).isEqualTo(T0.minusSeconds(3600).plusSeconds(48 * 3600)));
    }

    @Test
    void tagsLearntFromCloudTrailAndCaseInsensitiveValues() throws Exception {
        InstanceId fresh = InstanceId.of("i-0d0000000000000d1");
        EngineHarness h = EngineHarness.of(policy("{daily-report: {enabled: false}}"), inventory());
        h.feed(call("RunInstances", """
                {"tagSpecificationSet":{"items":[{"resourceType":"instance","tags":[{"key":"isBastion","value":"TRUE"},{"key":"Name","value":"bastion-c"}]}]}}""",
                "{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0d0000000000000d1\",\"launchTime\":" + T0.toEpochMilli() + "}]}}", T0));
        h.feed(state(fresh, "running", T0.plusSeconds(30)));
        assertThat(h.findings(BastionWatch.RUNNING)).singleElement().satisfies(f -> {
            assertThat(f.facts()).containsEntry("name", "bastion-c").containsEntry("launch-time", T0.toString()).doesNotContainKey("launch-time-source");
        });
        // untagging makes it an ordinary instance
        h.feed(call("DeleteTags", "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"i-0d0000000000000d1\"}]},\"tagSet\":{\"items\":[{\"key\":\"isBastion\"}]}}", null,
                T0.plusSeconds(60)), state(fresh, "stopped", T0.plusSeconds(120)));
        assertThat(h.findings(BastionWatch.STOPPED)).isEmpty();
    }

    @Test
    void countChangesNameTheInstancesAddedAndRemoved() throws Exception {
        EngineHarness h = EngineHarness.of(policy("{expected-count: 2, daily-report: {enabled: false}}"), inventory());
        h.feed(state(WEB, "running", T0));
        assertThat(h.findings(BastionWatch.COUNT)).isEmpty();
        h.feed(call("CreateTags", "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"i-0c0000000000000c1\"}]},\"tagSet\":{\"items\":[{\"key\":\"isBastion\",\"value\":\"True\"}]}}",
                null, T0.plusSeconds(10)));
        assertThat(h.findings(BastionWatch.COUNT)).singleElement().satisfies(f -> {
            assertThat(f.summary()).contains("count is 3 (expected 2)").contains("added " + WEB);
            assertThat(f.facts()).containsEntry("added", WEB.value()).containsEntry("removed", "");
        });
        h.feed(call("DeleteTags", "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"i-0c0000000000000c1\"}]},\"tagSet\":{\"items\":[{\"key\":\"isBastion\"}]}}",
                null, T0.plusSeconds(15)));
        // back to 2 = expected: no finding; a tag added again then a termination
        assertThat(h.findings(BastionWatch.COUNT)).hasSize(1);
        h.feed(call("CreateTags", "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"i-0c0000000000000c1\"}]},\"tagSet\":{\"items\":[{\"key\":\"isBastion\",\"value\":\"true\"}]}}",
                null, T0.plusSeconds(16)));
        assertThat(h.findings(BastionWatch.COUNT)).hasSize(2);
        h.feed(state(B2, "terminated", T0.plusSeconds(20)));
        assertThat(h.findings(BastionWatch.COUNT)).hasSize(2); // 3 -> 2 = expected after the termination
        h.feed(state(B1, "terminated", T0.plusSeconds(30)));
        assertThat(h.findings(BastionWatch.COUNT)).hasSize(3);
        assertThat(h.findings(BastionWatch.COUNT).get(2).facts()).containsEntry("removed", B1.value());
    }

    @Test
    void dailyReportAtLocalTimeAcrossDaylightSaving() {
        // Europe/Berlin moves to summer time on 2024-03-31: 09:00 local is 08:00Z before, 07:00Z after
        EngineHarness h = EngineHarness.of(policy("{daily-report: {time: \"09:00\", zone: Europe/Berlin}}"), inventory());
        h.feed(tick(Instant.parse("2024-03-29T12:00:00Z")));
        h.finish(Instant.parse("2024-04-02T12:00:00Z"));
        assertThat(h.findings(BastionWatch.REPORT)).extracting(Finding::time).containsExactly(
                Instant.parse("2024-03-30T08:00:00Z"), Instant.parse("2024-03-31T07:00:00Z"),
                Instant.parse("2024-04-01T07:00:00Z"), Instant.parse("2024-04-02T07:00:00Z"));
        Finding r = h.findings(BastionWatch.REPORT).get(0);
        assertThat(r.summary()).startsWith("2 bastion(s)").contains("bastion-a").contains("stopped").contains("bastion-b").contains("running for");
        assertThat(r.summary()).doesNotContain("web");
    }

    @Test
    void exemptBastionsAreNotStoppedAndBadParametersAreErrors() {
        String yaml = policy("{daily-report: {enabled: false}}") + "    exemptions: {tags: {Name: bastion-a}}\n";
        EngineHarness h = EngineHarness.of(yaml, inventory());
        h.feed(state(B1, "running", T0)).finish(T0.plusSeconds(49 * 3600));
        assertThat(uptime(h, B1).get(0).actions()).filteredOn(a -> a.type().equals("stop-instance"))
                .singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(ActionStatus.SKIPPED));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineHarness.of(policy("{threshold: soon}")))
                .hasMessageContaining("threshold").hasMessageContaining("test-policy.yaml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineHarness.of(policy("{instances: [web-1]}")))
                .hasMessageContaining("instances");
    }
}
