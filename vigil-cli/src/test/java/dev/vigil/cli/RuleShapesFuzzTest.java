package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CloudTrail call the rules read, with request and response of random shapes built from the field names the
 * rules look for, replayed through the example policy: no rule throws (a throw would be reported as a rule failure),
 * the run exits 0, and each wrong shape is a counted error.
 */
class RuleShapesFuzzTest {
    static final long BASE = Long.getLong("vigil.fuzz.seed", new SplittableRandom().nextLong());
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String[][] CALLS = {{"ec2", "AuthorizeSecurityGroupIngress"}, {"ec2", "AuthorizeSecurityGroupEgress"},
        {"ec2", "RevokeSecurityGroupIngress"}, {"ec2", "RevokeSecurityGroupEgress"}, {"ec2", "ModifySecurityGroupRules"},
        {"ec2", "CreateSecurityGroup"}, {"ec2", "DeleteSecurityGroup"}, {"ec2", "CreateTags"}, {"ec2", "DeleteTags"}, {"ec2", "RunInstances"},
        {"ec2", "TerminateInstances"}, {"iam", "CreateUser"}, {"iam", "CreateAccessKey"}, {"iam", "AttachUserPolicy"}};
    static final String[] KEYS = {"groupId", "groupName", "ipPermissions", "items", "ipProtocol", "fromPort", "toPort", "ipRanges", "cidrIp",
        "ipv6Ranges", "cidrIpv6", "prefixListIds", "prefixListId", "groups", "userId", "vpcId", "description", "tagSet", "key", "value",
        "resourcesSet", "resourceId", "tagSpecificationSet", "resourceType", "tags", "instancesSet", "instanceId", "launchTime",
        "securityGroupRuleSet", "securityGroupRuleId", "isEgress", "cidrIpv4", "ModifySecurityGroupRulesRequest", "GroupId",
        "SecurityGroupRule", "SecurityGroupRuleId", "CidrIpv4", "CidrIpv6", "userName", "policyArn", "user", "accessKey",
        "sourceSecurityGroupName", "sourceSecurityGroupOwnerId"};
    static final String[] TEXTS = {"sg-0a11b22c33d44e55f", "sg-0f9e8d7c6b5a49382", "0.0.0.0/0", "::/0", "10.0.0.0/8", "tcp", "-1", "icmp",
        "22", "i-0123456789abcdef0", "i-0a1b2c3d4e5f60718", "instance", "Owner", "vigil-exempt", "true", "", "sgr-0123456789abcdef0",
        "2024-07-02T12:00:00Z", "not a time", "x".repeat(300), "arn:aws:iam::aws:policy/AdministratorAccess", "bob", "\u0000\n\"'"};

    @TempDir
    Path dir;

    static JsonNode value(SplittableRandom r, int depth) {
        int k = r.nextInt(depth > 5 ? 6 : 10);
        return switch (k) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(r.nextBoolean());
            case 2 -> F.numberNode(r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(-2, 70_000));
            case 3 -> F.numberNode(r.nextDouble() * 1e6);
            case 4, 5 -> F.textNode(TEXTS[r.nextInt(TEXTS.length)]);
            case 6, 7 -> object(r, depth + 1);
            case 8 -> {
                ObjectNode o = F.objectNode();
                o.set("items", array(r, depth + 1));
                yield o;
            }
            default -> array(r, depth + 1);
        };
    }

    static ObjectNode object(SplittableRandom r, int depth) {
        ObjectNode o = F.objectNode();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) o.set(KEYS[r.nextInt(KEYS.length)], value(r, depth));
        return o;
    }

    static ArrayNode array(SplittableRandom r, int depth) {
        ArrayNode a = F.arrayNode();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) a.add(r.nextInt(3) == 0 ? value(r, depth) : object(r, depth));
        return a;
    }

    static Stream<Arguments> seeds() {
        return IntStream.range(0, 25).mapToObj(i -> Arguments.of(i, BASE ^ (0x9E3779B97F4A7C15L * (i + 1))));
    }

    @ParameterizedTest(name = "{index}: case seed {1}")
    @MethodSource("seeds")
    void noRuleThrowsOnAnyShapeOfTheFieldsItReads(int index, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        ArrayNode records = F.arrayNode();
        for (int i = 0; i < 200; i++) {
            String[] call = CALLS[r.nextInt(CALLS.length)];
            ObjectNode rec = F.objectNode();
            rec.put("eventVersion", "1.08").put("eventTime", "2024-07-02T12:" + String.format("%02d:%02d", i / 60, i % 60) + "Z")
                    .put("eventSource", call[0] + ".amazonaws.com").put("eventName", call[1]).put("awsRegion", "eu-west-1")
                    .put("sourceIPAddress", "203.0.113.5").put("recipientAccountId", "111122223333");
            if (r.nextInt(4) > 0) rec.put("eventID", "f-" + i);
            if (r.nextInt(6) == 0) rec.put("errorCode", "Client.UnauthorizedOperation");
            ObjectNode who = rec.putObject("userIdentity");
            who.put("type", "IAMUser").put("arn", "arn:aws:iam::111122223333:user/mallory").put("accountId", "111122223333");
            rec.set("requestParameters", r.nextInt(5) == 0 ? value(r, 0) : object(r, 0));
            rec.set("responseElements", r.nextInt(3) == 0 ? value(r, 0) : object(r, 0));
            records.add(rec);
        }
        Path file = dir.resolve("fuzz.json");
        ObjectNode doc = F.objectNode();
        doc.set("Records", records);
        Files.writeString(file, doc.toString());
        ReplayCommandTest.Run run = ReplayCommandTest.run("replay", "--format", "json", "--policy", HostileInputCliTest.POLICY, "--inventory",
                HostileInputCliTest.INVENTORY, "--inventory", "examples/guardduty/describe-instances.json", "--until", "2024-07-03T00:00:00Z",
                "--", file.toString());
        String why = "base seed " + BASE + " (-Dvigil.fuzz.seed=" + BASE + "), case seed " + seed + ": ";
        assertThat(run.code()).as(why + run.err()).isZero();
        HostileInputCliTest.noStackTrace(run);
        assertThat(run.err()).as(why + "no rule threw").doesNotContain("(detector ");
        assertThat(HostileInputCliTest.summaryErrors(run)).as(why + "wrong shapes are counted").isPositive();
        assertThat(HostileInputCliTest.summaryErrors(run)).as(why).isEqualTo(run.err().lines().filter(l -> !l.isBlank()).count());
    }
}
