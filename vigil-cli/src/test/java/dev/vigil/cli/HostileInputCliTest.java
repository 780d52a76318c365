package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil replay} and {@code vigil events} over a directory of hostile files beside a good one, through Main in
 * process with the example policy: exit 0 (2 under --strict), one line per problem, counted in the summary, no stack
 * trace, and the good file's findings all there.
 */
class HostileInputCliTest {
    @TempDir
    Path dir;

    Path good;
    Path bad;
    static final String POLICY = "examples/policy.yaml";
    static final String INVENTORY = "examples/sg-guard/describe-security-groups.json";

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static String trailRecord(String name, String params) {
        return "{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-07-02T12:00:00Z\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"" + name
                + "\",\"awsRegion\":\"eu-west-1\",\"eventID\":\"h-" + name + params.length() + "\",\"sourceIPAddress\":\"203.0.113.5\","
                + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/mallory\",\"accountId\":\"111122223333\"},"
                + "\"recipientAccountId\":\"111122223333\",\"requestParameters\":" + params + ",\"responseElements\":null}";
    }

    static String trail(String... recs) {
        return "{\"Records\":[" + String.join(",", recs) + "]}";
    }

    @BeforeEach
    void files() throws IOException {
        good = Files.createDirectories(dir.resolve("good"));
        Files.copy(Path.of("examples/sg-guard/eventbridge-sg-calls.json"), good.resolve("sg.json"));
        bad = Files.createDirectories(dir.resolve("bad"));
        String open = "{\"groupId\":\"sg-0a11b22c33d44e55f\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,"
                + "\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\"}]}}]}}";
        write("rfc5424.log", "<38>1 2024-07-02T12:00:00Z h sshd 1 - [x@1 v=\"" + "a\\\"".repeat(1000) + "\"] Failed password for root from "
                + "192.0.2.9 port 22 ssh2\n");
        write("deep.json", trail(trailRecord("AuthorizeSecurityGroupIngress", "{\"x\":" + "[".repeat(300) + "]".repeat(300) + "}"),
                trailRecord("AuthorizeSecurityGroupIngress", open)));
        write("digits.json", trail(trailRecord("AuthorizeSecurityGroupIngress", "{\"x\":" + "9".repeat(1500) + "}")));
        write("hard-deep.json", "[" + "[".repeat(20_000) + "]".repeat(20_000) + "]");
        byte[] gz = gzip(trail(trailRecord("DescribeInstances", "{}"), trailRecord("CreateTags", "{}")).getBytes(StandardCharsets.UTF_8));
        Files.write(bad.resolve("cut.json.gz"), Arrays.copyOf(gz, gz.length / 2));
        byte[] flipped = gz.clone();
        flipped[flipped.length / 2] ^= 0x10;
        Files.write(bad.resolve("flip.json.gz"), flipped);
        write("broken.jsonl", "{\"detail-type\":\n[1,\n{\"version\":\"0\",\"id\":\"s1\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
                + "\"time\":\"2024-07-02T12:00:00Z\",\"detail\":{}}\n");
        write("wrong-types.json", trail(trailRecord("AuthorizeSecurityGroupIngress", "\"groupId=sg-0a11b22c33d44e55f\""),
                trailRecord("AuthorizeSecurityGroupIngress", "null"),
                trailRecord("AuthorizeSecurityGroupIngress", open.replace("\"cidrIp\":\"0.0.0.0/0\"", "\"cidrIp\":0")),
                trailRecord("AuthorizeSecurityGroupIngress", open.replace("{\"items\":[{\"ipProtocol\"", "{\"items\":[null,{\"ipProtocol\"")),
                trailRecord("CreateTags", "{\"resourcesSet\":{\"items\":{}},\"tagSet\":{\"items\":[7]}}")));
        write("audit.log", "type=USER_AUTH msg=audit(99999999999999999999.000:2): x\n");
        write("huge.log", "Jul  2 12:00:00 h sshd[1]: " + "x".repeat(5 << 20) + "\n");
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bomb)) {
            z.write("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"message\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 40; i++) z.write(chunk);
            z.write("\"}]}".getBytes(StandardCharsets.UTF_8));
        }
        write("bomb.json", "{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(bomb.toByteArray()) + "\"}}");
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(bad.resolve(name), text);
    }

    static List<String> findings(ReplayCommandTest.Run r) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode n : r.lines()) if (n.has("rule")) out.add(n.path("rule").asText() + " " + n.path("resource").asText() + " " + n.path("time").asText());
        return out;
    }

    static long summaryErrors(ReplayCommandTest.Run r) throws IOException {
        List<JsonNode> lines = r.lines();
        return lines.get(lines.size() - 1).path("summary").path("errors").asLong();
    }

    static void noStackTrace(ReplayCommandTest.Run r) {
        for (String l : r.err().split("\n")) {
            if (l.isEmpty()) continue;
            assertThat(l).startsWith("vigil: ").doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Error:")
                    .as("no rule threw").doesNotContain("(detector ");
        }
    }

    @Test
    void replayOverHostileFilesExitsZeroCountsEachProblemAndKeepsTheGoodFindings() throws IOException {
        ReplayCommandTest.Run alone = ReplayCommandTest.run("replay", "--format", "json", "--policy", POLICY, "--inventory", INVENTORY, "--",
                good.toString());
        assertThat(alone.code()).isZero();
        List<String> expected = findings(alone);
        assertThat(expected).hasSizeGreaterThanOrEqualTo(3);

        ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--format", "json", "--policy", POLICY, "--inventory", INVENTORY, "--",
                good.toString(), bad.toString());
        assertThat(r.code()).as(r.err()).isZero();
        noStackTrace(r);
        assertThat(findings(r)).containsAll(expected);
        long errorLines = r.err().lines().filter(l -> !l.isBlank()).count();
        assertThat(summaryErrors(r)).isEqualTo(errorLines);
        for (String f : List.of("deep.json record 1", "digits.json record 1", "hard-deep.json record 1", "cut.json.gz", "flip.json.gz",
                "broken.jsonl:1", "broken.jsonl:2", "wrong-types.json record 1", "wrong-types.json record 2", "wrong-types.json record 3",
                "wrong-types.json record 4", "wrong-types.json record 5", "audit.log", "huge.log:1", "bomb.json record 1")) {
            assertThat(r.err()).as(f).contains(f);
        }
        // the well-formed record after the deep one is still read and answered
        assertThat(findings(r)).anySatisfy(f -> assertThat(f).startsWith("sg-open-to-world sg-0a11b22c33d44e55f 2024-07-02T12:00:00Z"));

        ReplayCommandTest.Run strict = ReplayCommandTest.run("replay", "--strict", "--format", "json", "--policy", POLICY, "--inventory",
                INVENTORY, "--", good.toString(), bad.toString());
        assertThat(strict.code()).isEqualTo(2);
        noStackTrace(strict);
        assertThat(findings(strict)).containsAll(expected);
    }

    @Test
    void eventsOverHostileFilesExitsZeroOrTwoUnderStrict() {
        ReplayCommandTest.Run r = ReplayCommandTest.run("events", "--", good.toString(), bad.toString());
        assertThat(r.code()).isZero();
        noStackTrace(r);
        assertThat(r.out().lines().filter(l -> l.contains("AuthorizeSecurityGroupIngress")).count()).isGreaterThanOrEqualTo(3);
        ReplayCommandTest.Run s = ReplayCommandTest.run("events", "--strict", "--", good.toString(), bad.toString());
        assertThat(s.code()).isEqualTo(2);
        noStackTrace(s);
    }

    @Test
    void hostilePolicyFilesAreOneLocatedErrorAndExitTwo() throws IOException {
        String example = Files.readString(Path.of(POLICY));
        List<String> policies = List.of("version: 1\npolicies:\n  - &p\n    name: x\n    again: *p\n",
                "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "b: &b [" + "*a,".repeat(9) + "*a]\n" + "c: &c [" + "*b,".repeat(9) + "*b]\n"
                        + "d: [" + "*c,".repeat(9) + "*c]\n",
                example.replaceFirst("repeat: 24h", "repeat: 99999999999999999999h"),
                "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n",
                "a: \"" + "x".repeat(5 << 20) + "\"\n");
        int i = 0;
        for (String text : policies) {
            Path p = dir.resolve("bad" + i++ + ".yaml");
            Files.writeString(p, text);
            ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--policy", p.toString(), "--", good.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            noStackTrace(r);
            assertThat(r.err().lines().toList()).as(r.err()).singleElement().asString().matches("vigil: " + java.util.regex.Pattern.quote(p.toString())
                    + ":\\d+: .+");
        }
    }

    @Test
    void limitOptionsAreCheckedAndApplied() throws IOException {
        Path log = dir.resolve("a.log");
        Files.writeString(log, "Jul  2 12:00:00 h sshd[1]: short\nJul  2 12:00:01 h sshd[1]: " + "y".repeat(200) + "\n");
        ReplayCommandTest.Run r = ReplayCommandTest.run("events", "--max-line", "100", "--", log.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("a.log:2: line of 227 characters, longer than the limit of 100");
        ReplayCommandTest.Run bad = ReplayCommandTest.run("replay", "--max-record", "99999999999999999999k", "--", log.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--max-record must be a size").doesNotContain("Exception");
    }
}
