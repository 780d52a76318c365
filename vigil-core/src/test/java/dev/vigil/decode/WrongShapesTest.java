package dev.vigil.decode;

import static dev.vigil.decode.DecoderFuzzTest.decode;
import static dev.vigil.decode.JsonDecodeTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.event.CloudTrailCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A CloudTrail field the rules read, of the wrong type: one counted error naming the record and the field, the call
 * still decoded (the rules read what they can), never silence and never a throw.
 */
class WrongShapesTest {
    static final String INGRESS = """
            {"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,
             "groups":{},"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0","description":"ssh"}]},"ipv6Ranges":{"items":[{"cidrIpv6":"::/0"}]},
             "prefixListIds":{"items":[{"prefixListId":"pl-1"}]}}]}}""";
    static final String RULES = """
            {"_return":true,"securityGroupRuleSet":{"items":[{"securityGroupRuleId":"sgr-0123456789abcdef0","isEgress":false,
             "cidrIpv4":"0.0.0.0/0"}]}}""";

    static String call(String source, String name, String request, String response) {
        return "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventTime\":\"2025-03-06T10:00:00Z\",\"eventSource\":\"" + source + "\",\"eventName\":\""
                + name + "\",\"awsRegion\":\"eu-west-1\",\"eventID\":\"e1\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/a\"},"
                + "\"requestParameters\":" + request + ",\"responseElements\":" + response + "}]}";
    }

    static Stream<Arguments> cases() {
        String ec2 = "ec2.amazonaws.com";
        String iam = "iam.amazonaws.com";
        String ingress = "AuthorizeSecurityGroupIngress";
        return Stream.of(
                Arguments.of(ec2, ingress, "\"groupId=sg-1\"", "null", "requestParameters is a string, not an object"),
                Arguments.of(ec2, ingress, "null", "null", "requestParameters is null, not an object"),
                Arguments.of(ec2, ingress, "[1]", "null", "requestParameters is a list, not an object"),
                Arguments.of(ec2, ingress, INGRESS.replace("{\"items\":[{\"ipProtocol\"", "{\"items\":[null,{\"ipProtocol\""), "null",
                        "requestParameters.ipPermissions.items[0] is null"),
                Arguments.of(ec2, ingress, INGRESS.replace("\"ipPermissions\":{\"items\":[", "\"ipPermissions\":{\"items\":{\"a\":[").replace("]}}]}}", "]}}]}}}"),
                        "null", "requestParameters.ipPermissions.items is an object, not a list"),
                Arguments.of(ec2, ingress, INGRESS.replace("\"cidrIp\":\"0.0.0.0/0\"", "\"cidrIp\":0"), "null",
                        "requestParameters.ipPermissions.items[0].ipRanges.items[0].cidrIp is a number, not a string"),
                Arguments.of(ec2, ingress, INGRESS.replace("\"fromPort\":22", "\"fromPort\":{}"), "null",
                        "requestParameters.ipPermissions.items[0].fromPort is an object, not a string or number"),
                Arguments.of(ec2, ingress, INGRESS.replace("\"groupId\":\"sg-0123456789abcdef0\"", "\"groupId\":7"), "null",
                        "requestParameters.groupId is a number, not a string"),
                Arguments.of(ec2, ingress, INGRESS, RULES.replace("\"isEgress\":false", "\"isEgress\":[]"),
                        "responseElements.securityGroupRuleSet.items[0].isEgress is a list, not true or false"),
                Arguments.of(ec2, "AuthorizeSecurityGroupEgress", "{\"groupId\":\"sg-1\",\"cidrIp\":[\"0.0.0.0/0\"]}", "null",
                        "requestParameters.cidrIp is a list, not a string"),
                Arguments.of(ec2, "ModifySecurityGroupRules", "{\"ModifySecurityGroupRulesRequest\":{\"GroupId\":\"sg-1\",\"SecurityGroupRule\":"
                        + "[{\"SecurityGroupRuleId\":\"sgr-1\",\"SecurityGroupRule\":{\"CidrIpv4\":0}}]}}", "null",
                        "requestParameters.ModifySecurityGroupRulesRequest.SecurityGroupRule[0].SecurityGroupRule.CidrIpv4 is a number"),
                Arguments.of(ec2, "CreateTags", "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"sg-1\"}]},\"tagSet\":{\"items\":[\"vigil-exempt=true\"]}}",
                        "null", "requestParameters.tagSet.items[0] is a string, not an object"),
                Arguments.of(ec2, "DeleteTags", "{\"resourcesSet\":[{\"resourceId\":[\"sg-1\"]}]}", "null",
                        "requestParameters.resourcesSet[0].resourceId is a list, not a string"),
                Arguments.of(ec2, "CreateSecurityGroup", "{\"groupName\":\"g\",\"tagSpecificationSet\":{\"items\":[{\"tags\":\"x\"}]}}", "{\"groupId\":\"sg-1\"}",
                        "requestParameters.tagSpecificationSet.items[0].tags is a string, not a list"),
                Arguments.of(ec2, "RunInstances", "{}", "{\"instancesSet\":{\"items\":[{\"instanceId\":{\"id\":\"i-1\"}}]}}",
                        "responseElements.instancesSet.items[0].instanceId is an object, not a string"),
                Arguments.of(ec2, "TerminateInstances", "{\"instancesSet\":\"i-0123456789abcdef0\"}", "null",
                        "requestParameters.instancesSet is a string, not a list"),
                Arguments.of(iam, "CreateUser", "{\"userName\":{\"n\":\"bob\"}}", "null", "requestParameters.userName is an object, not a string"),
                Arguments.of(iam, "AttachUserPolicy", "{\"userName\":\"bob\",\"policyArn\":42}", "null",
                        "requestParameters.policyArn is a number, not a string"));
    }

    @ParameterizedTest(name = "{1}: {4}")
    @MethodSource("cases")
    void aWrongShapeIsOneErrorNamingTheRecordAndTheField(String source, String name, String request, String response, String expected) {
        Collect c = decode("t.json", utf8(call(source, name, request, response)), "");
        assertThat(c.errors).singleElement().asString().startsWith("t.json record 1: " + name + " with " + expected);
        assertThat(c.of(CloudTrailCall.class)).hasSize(1); // still decoded: the rules read what they can
        Collect eb = decode("e.json", utf8(eventBridge(call(source, name, request, response))), "");
        assertThat(eb.errors).singleElement().asString().startsWith("e.json record 1: " + name + " with " + expected);
    }

    /** The same record as EventBridge delivers it. */
    static String eventBridge(String trailFile) {
        try {
            JsonNode rec = JsonEvents.JSON.readTree(trailFile).get("Records").get(0);
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            e.put("version", "0").put("id", "x").put("detail-type", "AWS API Call via CloudTrail").put("source", "aws.ec2")
                    .put("account", "111122223333").put("time", "2025-03-06T10:00:00Z").put("region", "eu-west-1");
            e.set("detail", rec);
            return e.toString();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void theRightShapesAreNoError() {
        Collect c = decode("t.json", utf8(call("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", INGRESS, RULES)), "");
        assertThat(c.errors).isEmpty();
        // a failed call may come without parameters; a call no rule reads is not checked
        assertThat(decode("t.json", utf8(call("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "null", "null").replace("\"eventID\"",
                "\"errorCode\":\"Client.UnauthorizedOperation\",\"eventID\"")), "").errors).isEmpty();
        assertThat(decode("t.json", utf8(call("ec2.amazonaws.com", "DescribeInstances", "\"odd\"", "7")), "").errors).isEmpty();
    }

    /** Every node of a good ingress call swapped between a scalar and a container: always one error naming that path. */
    @Test
    void everyFieldTheRulesReadSwappedForAnotherKindIsNamed() throws Exception {
        JsonNode request = JsonEvents.JSON.readTree(INGRESS);
        List<String[]> paths = new ArrayList<>();
        walk(request, "requestParameters", paths);
        int checked = 0;
        for (String[] p : paths) {
            for (JsonNode wrong : List.of(JsonNodeFactory.instance.textNode("x"), JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.objectNode())) {
                JsonNode original = at(request, p[0]);
                boolean container = original.isContainerNode();
                if (container == wrong.isContainerNode()) continue; // a list for {"items": [...]} is CloudTrail's too
                JsonNode mutated = request.deepCopy();
                replace(mutated, p[0], wrong);
                String file = call("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", mutated.toString(), "null");
                Collect c = decode("t.json", utf8(file), p[0] + " as " + wrong + ": ");
                assertThat(c.errors).as(p[0] + " as " + wrong).singleElement().asString().startsWith("t.json record 1: ").contains(p[0]);
                assertThat(c.events).hasSize(1);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    private static void walk(JsonNode n, String path, List<String[]> out) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String p = path + "." + e.getKey();
                out.add(new String[] {p});
                walk(e.getValue(), p, out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                String p = path + "[" + i + "]";
                out.add(new String[] {p});
                walk(n.get(i), p, out);
            }
        }
    }

    private static List<String> steps(String path) {
        List<String> s = new ArrayList<>();
        for (String part : path.substring("requestParameters".length()).split("(?=[.\\[])")) if (!part.isEmpty()) s.add(part);
        return s;
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        for (String s : steps(path)) n = s.startsWith("[") ? n.get(Integer.parseInt(s.substring(1, s.length() - 1))) : n.get(s.substring(1));
        return n;
    }

    private static void replace(JsonNode root, String path, JsonNode value) {
        List<String> s = steps(path);
        JsonNode parent = root;
        for (String x : s.subList(0, s.size() - 1)) parent = x.startsWith("[") ? parent.get(Integer.parseInt(x.substring(1, x.length() - 1))) : parent.get(x.substring(1));
        String last = s.get(s.size() - 1);
        if (last.startsWith("[")) ((ArrayNode) parent).set(Integer.parseInt(last.substring(1, last.length() - 1)), value);
        else ((ObjectNode) parent).set(last.substring(1), value);
    }
}
