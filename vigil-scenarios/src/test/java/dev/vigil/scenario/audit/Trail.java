package dev.vigil.scenario.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import dev.vigil.core.event.Region;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds CloudTrail calls as the decoders produce them, for the cloudtrail-audit tests. */
final class Trail {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Principal ALICE = new Principal("IAMUser", "arn:aws:iam::111122223333:user/alice", "111122223333", "alice", null, null);
    static final Principal BOB = new Principal("AssumedRole", "arn:aws:sts::111122223333:assumed-role/Ops/bob", "111122223333", null,
            "arn:aws:iam::111122223333:role/Ops", null);
    private static final AtomicInteger IDS = new AtomicInteger();

    private Trail() {}

    static JsonNode json(String text) {
        if (text == null) return MissingNode.getInstance();
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static CloudTrailCall call(String source, String name, String time, Principal who, String request, String response, String error) {
        return new CloudTrailCall("ev-" + IDS.incrementAndGet(), Instant.parse(time), AccountId.of("111122223333"), Region.of("us-east-1"),
                Origin.record("test.json", 1), source, name, who, "203.0.113.9", "aws-cli/2", error, error == null ? null : "denied",
                json(request), json(response), false);
    }

    /** The same call, failed with {@code errorCode}. */
    static CloudTrailCall failed(CloudTrailCall c, String errorCode) {
        return new CloudTrailCall(c.id(), c.time(), c.account(), c.region(), c.origin(), c.eventSource(), c.eventName(), c.principal(),
                c.sourceIp(), c.userAgent(), errorCode, "denied", c.requestParameters(), c.responseElements(), c.viaEventBridge());
    }

    static CloudTrailCall ec2(String name, String time, Principal who, String request, String response) {
        return call("ec2.amazonaws.com", name, time, who, request, response, null);
    }

    static CloudTrailCall iam(String name, String time, Principal who, String request, String response) {
        return call("iam.amazonaws.com", name, time, who, request, response, null);
    }

    /** RunInstances of the given ids, with launch tags as "k=v" pairs (for resource type instance). */
    static CloudTrailCall run(String time, Principal who, List<String> ids, String... tags) {
        String items = String.join(",", ids.stream().map(i -> "{\"instanceId\":\"" + i + "\",\"instanceState\":{\"code\":0,\"name\":\"pending\"}}").toList());
        String spec = tags.length == 0 ? "" : ",\"tagSpecificationSet\":{\"items\":[{\"resourceType\":\"volume\",\"tags\":[{\"key\":\"Owner\",\"value\":\"vol-only\"}]},"
                + "{\"resourceType\":\"instance\",\"tags\":[" + tagList(tags) + "]}]}";
        return ec2("RunInstances", time, who,
                "{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-0abcdef1234567890\",\"minCount\":1,\"maxCount\":" + ids.size() + "}]},\"instanceType\":\"t3.micro\"" + spec + "}",
                "{\"reservationId\":\"r-0123456789abcdef0\",\"instancesSet\":{\"items\":[" + items + "]}}");
    }

    static CloudTrailCall createTags(String time, Principal who, String instance, String... tags) {
        return ec2("CreateTags", time, who, "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"" + instance + "\"}]},\"tagSet\":{\"items\":["
                + tagList(tags) + "]}}", "{\"_return\":true}");
    }

    /** DeleteTags: "k" deletes whatever the value, "k=v" only that value; no tags deletes them all. */
    static CloudTrailCall deleteTags(String time, Principal who, String instance, String... tags) {
        String tagSet = tags.length == 0 ? "" : ",\"tagSet\":{\"items\":[" + tagList(tags) + "]}";
        return ec2("DeleteTags", time, who, "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"" + instance + "\"}]}" + tagSet + "}",
                "{\"_return\":true}");
    }

    static CloudTrailCall createUser(String time, Principal who, String user) {
        return iam("CreateUser", time, who, "{\"userName\":\"" + user + "\"}",
                "{\"user\":{\"userName\":\"" + user + "\",\"arn\":\"arn:aws:iam::111122223333:user/" + user + "\",\"path\":\"/\"}}");
    }

    static CloudTrailCall createAccessKey(String time, Principal who, String user, String keyId) {
        return iam("CreateAccessKey", time, who, "{\"userName\":\"" + user + "\"}",
                "{\"accessKey\":{\"accessKeyId\":\"" + keyId + "\",\"status\":\"Active\",\"userName\":\"" + user + "\"}}");
    }

    static CloudTrailCall attach(String time, Principal who, String user, String policyArn) {
        return iam("AttachUserPolicy", time, who, "{\"userName\":\"" + user + "\",\"policyArn\":\"" + policyArn + "\"}", null);
    }

    private static String tagList(String... tags) {
        List<String> out = new ArrayList<>();
        for (String t : tags) {
            int eq = t.indexOf('=');
            out.add(eq < 0 ? "{\"key\":\"" + t + "\"}" : "{\"key\":\"" + t.substring(0, eq) + "\",\"value\":\"" + t.substring(eq + 1) + "\"}");
        }
        return String.join(",", out);
    }
}
