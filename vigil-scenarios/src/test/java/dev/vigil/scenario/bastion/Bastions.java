package dev.vigil.scenario.bastion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.InstanceStateChange;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import dev.vigil.core.event.Region;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.testing.EngineHarness;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Events, inventory entries and policies for the bastion watch tests, built directly as records. */
final class Bastions {
    static final ObjectMapper JSON = new ObjectMapper();
    static final AccountId ACCOUNT = AccountId.of("111122223333");
    static final Region REGION = Region.of("eu-central-1");
    static final String B1 = "i-0b1a5e0000000000a";
    static final String B2 = "i-0b1a5e0000000000b";
    static final String WEB = "i-0we6000000000000c";
    static final Principal ALICE = new Principal("AssumedRole", "arn:aws:sts::111122223333:assumed-role/Ops/alice", "111122223333",
            "Ops", "arn:aws:iam::111122223333:role/Ops", null);
    private static final AtomicInteger IDS = new AtomicInteger();

    private Bastions() {}

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    /** A policy file with one bastion-watch policy; {@code params} is the inside of a YAML flow mapping. */
    static String policy(String params) {
        return """
                policies:
                  - name: bastions
                    detector: bastion-watch
                    params: {%s}
                    responses:
                      "*": [notify]
                      bastion-uptime-exceeded: [stop-instance]
                    notify: [security-team]
                """.formatted(params);
    }

    static EngineHarness harness(String params, StaticInventory inv) {
        return EngineHarness.of(policy(params), inv);
    }

    static InstanceInfo instance(String id, String name, String state, Instant launch, Map<String, String> extraTags) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (name != null) tags.put("Name", name);
        tags.putAll(extraTags);
        return new InstanceInfo(InstanceId.of(id), state, launch, tags, null, null, List.of(), ACCOUNT, REGION);
    }

    static InstanceInfo bastion(String id, String name, String state, Instant launch) {
        return instance(id, name, state, launch, Map.of("isBastion", "True"));
    }

    /** Two bastions (stopped, launch times long past) and a web server. */
    static StaticInventory fleet() {
        return StaticInventory.empty()
                .add(bastion(B1, "bastion-1", "stopped", t("2025-01-01T00:00:00Z")))
                .add(bastion(B2, "bastion-2", "stopped", t("2025-01-01T00:00:00Z")))
                .add(instance(WEB, "web-1", "running", t("2025-01-01T00:00:00Z"), Map.of("isBastion", "False")));
    }

    static InstanceStateChange state(String instance, String state, Instant at) {
        return new InstanceStateChange("sc-" + IDS.incrementAndGet(), at, ACCOUNT, REGION, Origin.record("test", IDS.get()),
                InstanceId.of(instance), state);
    }

    static CloudTrailCall call(String name, Instant at, String request, String response) {
        try {
            JsonNode req = request == null ? MissingNode.getInstance() : JSON.readTree(request);
            JsonNode res = response == null ? MissingNode.getInstance() : JSON.readTree(response);
            return new CloudTrailCall("ct-" + IDS.incrementAndGet(), at, ACCOUNT, REGION, Origin.record("test", IDS.get()),
                    "ec2.amazonaws.com", name, ALICE, "198.51.100.7", "aws-cli/2", null, null, req, res, false);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static CloudTrailCall createTags(Instant at, String instance, String key, String value) {
        return call("CreateTags", at, """
                {"resourcesSet":{"items":[{"resourceId":"%s"}]},"tagSet":{"items":[{"key":"%s","value":"%s"}]}}""".formatted(instance, key, value), null);
    }

    static CloudTrailCall deleteTags(Instant at, String instance, String key) {
        return call("DeleteTags", at, """
                {"resourcesSet":{"items":[{"resourceId":"%s"}]},"tagSet":{"items":[{"key":"%s"}]}}""".formatted(instance, key), null);
    }

    /** RunInstances of one instance with tags; launchTime as CloudTrail writes it, epoch milliseconds. */
    static CloudTrailCall runInstances(Instant at, String instance, Instant launch, Map<String, String> tags) {
        StringBuilder t = new StringBuilder();
        tags.forEach((k, v) -> t.append(t.isEmpty() ? "" : ",").append("{\"key\":\"").append(k).append("\",\"value\":\"").append(v).append("\"}"));
        return call("RunInstances", at, """
                {"instanceType":"t3.micro","tagSpecificationSet":{"items":[{"resourceType":"volume","tags":[{"key":"isBastion","value":"True"}]},
                 {"resourceType":"instance","tags":[%s]}]}}""".formatted(t),
                """
                {"instancesSet":{"items":[{"instanceId":"%s","launchTime":%d,"instanceState":{"code":0,"name":"pending"}}]}}"""
                        .formatted(instance, launch.toEpochMilli()));
    }

    static CloudTrailCall terminate(Instant at, String instance) {
        return call("TerminateInstances", at, """
                {"instancesSet":{"items":[{"instanceId":"%s"}]}}""".formatted(instance), """
                {"instancesSet":{"items":[{"instanceId":"%s","currentState":{"code":32,"name":"shutting-down"},"previousState":{"code":16,"name":"running"}}]}}"""
                .formatted(instance));
    }
}
