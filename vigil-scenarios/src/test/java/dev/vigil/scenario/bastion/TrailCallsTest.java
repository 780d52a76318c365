package dev.vigil.scenario.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.inventory.StaticInventory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CloudTrail shapes the watch reads, and the bound on what it remembers. */
class TrailCallsTest {

    static JsonNode json(String s) throws Exception {
        return Bastions.JSON.readTree(s);
    }

    @Test
    void launchTimeAsEpochMillisIsoTextOrDigits() throws Exception {
        assertThat(TrailCalls.time(json("1741701720000"))).isEqualTo(Instant.parse("2025-03-11T14:02:00Z"));
        assertThat(TrailCalls.time(json("\"2025-03-11T14:02:00.000Z\""))).isEqualTo(Instant.parse("2025-03-11T14:02:00Z"));
        assertThat(TrailCalls.time(json("\"1741701720000\""))).isEqualTo(Instant.parse("2025-03-11T14:02:00Z"));
        assertThat(TrailCalls.time(json("\"Mar 11, 2025 2:02:00 PM\""))).isNull();
        assertThat(TrailCalls.time(json("null"))).isNull();
        assertThat(TrailCalls.time(MissingNode.getInstance())).isNull();
    }

    @Test
    void runInstancesTagsComeFromTheInstanceSpecificationThenTheResponse() throws Exception {
        var launched = TrailCalls.launched(json("""
                {"tagSpecificationSet":{"items":[{"resourceType":"volume","tags":[{"key":"isBastion","value":"True"}]},
                                                 {"resourceType":"instance","tags":[{"key":"Name","value":"jump"}]}]}}"""),
                json("""
                {"instancesSet":{"items":[
                  {"instanceId":"i-0aaa0000000000001","launchTime":1741701720000,"tagSet":{"items":[{"key":"isBastion","value":"True"},{"key":"Name","value":"other"}]}},
                  {"instanceId":"i-0aaa0000000000002"},
                  {"instanceId":"bogus"}]}}"""));
        assertThat(launched).hasSize(2);
        assertThat(launched.get(0).tags()).isEqualTo(Map.of("Name", "jump", "isBastion", "True"));
        assertThat(launched.get(0).launchTime()).isEqualTo(Instant.parse("2025-03-11T14:02:00Z"));
        assertThat(launched.get(1).tags()).isEqualTo(Map.of("Name", "jump")); // the volume's tag is not the instance's
        assertThat(launched.get(1).launchTime()).isNull();
    }

    @Test
    void tagCallsNameInstancesOnlyAndDeleteWithoutTagsDeletesAll() throws Exception {
        JsonNode req = json("""
                {"resourcesSet":{"items":[{"resourceId":"i-0aaa0000000000001"},{"resourceId":"sg-0123456789abcdef0"},{"resourceId":"i-0aaa0000000000001"}]}}""");
        assertThat(TrailCalls.taggedInstances(req)).containsExactly(InstanceId.of("i-0aaa0000000000001"));
        assertThat(TrailCalls.deletesAll(req)).isTrue();
        assertThat(TrailCalls.deletesAll(json("{\"tagSet\":{\"items\":[{\"key\":\"a\"}]}}"))).isFalse();
        assertThat(TrailCalls.tags(json("{\"tagSet\":[{\"key\":\"a\",\"value\":\"b\"},{\"value\":\"no key\"}]}")))
                .containsExactly(new TrailCalls.TagRef("a", "b"));
    }

    @Test
    void whatIsLearntStaysBounded() {
        BastionSettings s = new BastionSettings("isBastion", "True", Set.of(), Duration.ofHours(48), Duration.ofHours(24), true,
                new DailySchedule(LocalTime.NOON, ZoneOffset.UTC), null, 100);
        Fleet fleet = new Fleet(s);
        for (int i = 0; i < 1000; i++) fleet.learn(InstanceId.of("i-%017d".formatted(i))).state = "running";
        assertThat(fleet.tracked()).isEqualTo(100);
        // the most recent are kept; the forgotten ones are answered by the inventory again (here: unknown)
        assertThat(fleet.state(InstanceId.of("i-%017d".formatted(999)), StaticInventory.empty())).isEqualTo("running");
        assertThat(fleet.state(InstanceId.of("i-%017d".formatted(0)), StaticInventory.empty())).isNull();
    }
}
