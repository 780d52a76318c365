package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users and scripts see it: output contract, errors on stderr, exit codes. */
class ReplayCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        List<JsonNode> lines() throws IOException {
            List<JsonNode> out = new ArrayList<>();
            for (String l : out().split("\n")) if (!l.isBlank()) out.add(JSON.readTree(l));
            return out;
        }
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static final String GD = """
            {"version":"0","id":"e1","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"111122223333","time":"2024-06-11T08:14:40Z","region":"us-east-1","resources":[],
             "detail":{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","id":"f-1","type":"CryptoCurrency:EC2/BitcoinTool.B!DNS","severity":8,"title":"Bitcoin",
              "createdAt":"2024-06-11T08:14:37.214Z","updatedAt":"2024-06-11T08:14:37.214Z",
              "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0123456789abcdef0","networkInterfaces":[{"subnetId":"subnet-0123456789abcdef0","vpcId":"vpc-0123456789abcdef0"}]}},
              "service":{"archived":false,"count":1}}}
            """;

    @Test
    void jsonOutputFollowsTheContract() throws IOException {
        Path f = Files.writeString(dir.resolve("gd.json"), GD);
        Run r = run("replay", "--format", "json", f.toString());
        assertThat(r.code()).isZero();
        List<JsonNode> lines = r.lines();
        assertThat(lines).hasSize(2);
        JsonNode finding = lines.get(0);
        List<String> keys = new ArrayList<>();
        finding.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("rule", "policy", "severity", "time", "account", "region", "resource", "source", "summary",
                "event_ids", "actions");
        assertThat(finding.get("rule").asText()).isEqualTo("guardduty-finding");
        assertThat(finding.get("severity").asText()).isEqualTo("high");
        assertThat(finding.get("time").asText()).isEqualTo("2024-06-11T08:14:37.214Z");
        assertThat(finding.get("account").asText()).isEqualTo("111122223333");
        JsonNode action = finding.get("actions").get(0);
        List<String> akeys = new ArrayList<>();
        action.fieldNames().forEachRemaining(akeys::add);
        assertThat(akeys).containsExactly("type", "target", "status", "detail", "params");
        assertThat(lines.get(1).get("summary").get("inputs").asLong()).isEqualTo(1);
        assertThat(lines.get(1).get("summary").get("events").asLong()).isEqualTo(1);
        assertThat(lines.get(1).get("summary").get("findings").asLong()).isEqualTo(1);
        assertThat(lines.get(1).get("summary").get("errors").asLong()).isZero();
    }

    @Test
    void badInputsAreOneLineEachCountedAndTheRestGoesOn() throws IOException {
        Files.writeString(dir.resolve("a-good.json"), GD);
        Files.writeString(dir.resolve("b-lines.jsonl"), "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"account\":\"111122223333\",\"time\":\"2024-06-11T09:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{}}\nthis is not json\n");
        byte[] gz;
        try (var bytes = new ByteArrayOutputStream(); OutputStream z = new GZIPOutputStream(bytes)) {
            z.write("{\"Records\":[{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-06-11T10:00:00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"},{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-06-11T10:00:01Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"}]}".getBytes(StandardCharsets.UTF_8));
            z.close();
            gz = bytes.toByteArray();
        }
        Files.write(dir.resolve("c-truncated.json.gz"), java.util.Arrays.copyOf(gz, gz.length - 12));
        Files.write(dir.resolve("d-binary.bin"), new byte[] {0, 1, 2, 3, 0, 0, 7});
        Files.writeString(dir.resolve("e-shape.json"), "{\"hello\":\"world\"}");
        Run r = run("replay", "--format", "json", dir.toString());
        assertThat(r.code()).isZero();
        String[] err = r.err().strip().split("\n");
        assertThat(err).as(r.err()).hasSize(4);
        assertThat(r.err()).contains("b-lines.jsonl:2: not JSON")
                .contains("c-truncated.json.gz").contains("truncated gzip")
                .contains("d-binary.bin: binary file, skipped")
                .contains("e-shape.json record 1: unrecognised JSON object")
                .doesNotContain("Exception\n").doesNotContain("\tat ");
        JsonNode summary = r.lines().get(r.lines().size() - 1).get("summary");
        assertThat(summary.get("errors").asLong()).isEqualTo(4);
        assertThat(summary.get("inputs").asLong()).isEqualTo(5);
        assertThat(summary.get("findings").asLong()).isEqualTo(1);
        assertThat(run("replay", "--strict", "--format", "json", dir.toString()).code()).isEqualTo(2);
    }

    @Test
    void failOnSetsExitCodeOne() throws IOException {
        Path f = Files.writeString(dir.resolve("gd.json"), GD);
        assertThat(run("replay", "--fail-on", "high", f.toString()).code()).isEqualTo(1);
        assertThat(run("replay", "--fail-on", "critical", f.toString()).code()).isZero();
    }

    @Test
    void badUsageAndBadPolicyExitTwoWithOneLine() throws IOException {
        Path f = Files.writeString(dir.resolve("gd.json"), GD);
        assertThat(run("replay", "--fail-on", "severe", f.toString()).code()).isEqualTo(2);
        assertThat(run("replay", "--until", "yesterday", f.toString()).code()).isEqualTo(2);
        assertThat(run("replay").code()).isEqualTo(2);
        Path p = Files.writeString(dir.resolve("p.yaml"), "policies:\n  - name: x\n    detector: nope\n");
        Run r = run("replay", "--policy", p.toString(), f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("vigil: " + p + ":3: policies[0].detector: unknown detector 'nope'").doesNotContain("\n");
    }

    @Test
    void missingPathIsAnErrorNotACrash() {
        // a path that is not there is a mistake on the command line (issue 17): said, exit 2, nothing printed on stdout
        Run r = run("replay", "--format", "json", dir.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("vigil: " + dir.resolve("nope") + ": no such file or directory");
        assertThat(r.out()).isEmpty();
        assertThat(run("replay", "--strict", dir.resolve("nope").toString()).code()).isEqualTo(2);
    }

    @Test
    void eventsPrintsNormalizedEventsWithOrigins() throws IOException {
        Path f = Files.writeString(dir.resolve("auth.log"), "May  1 10:00:00 web-1 sshd[42]: Invalid user admin from 203.0.113.9 port 4242\n");
        Run r = run("events", "--year", "2024", f.toString());
        assertThat(r.code()).isZero();
        JsonNode e = JSON.readTree(r.out().strip());
        assertThat(e.get("kind").asText()).isEqualTo("ssh-log-line");
        assertThat(e.get("time").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(e.get("origin").get("file").asText()).isEqualTo(f.toString());
        assertThat(e.get("origin").get("line").asInt()).isEqualTo(1);
        assertThat(e.get("program").asText()).isEqualTo("sshd");
        assertThat(e.get("pid").asLong()).isEqualTo(42);
        // the SSH scenario's reading: message kind and the address attributed from sshd's own fields
        assertThat(e.get("ssh").get("kind").asText()).isEqualTo("invalid-user");
        assertThat(e.get("ssh").get("detail").asText()).isEqualTo("INVALID_USER");
        assertThat(e.get("ssh").get("source").asText()).isEqualTo("203.0.113.9");
        assertThat(e.get("ssh").get("user").asText()).isEqualTo("admin");
    }

    @Test
    void eventsShowTheSshKindAndNoSourceForAnAttackerChosenOne() throws IOException {
        Path f = Files.writeString(dir.resolve("auth.log"),
                "May  1 10:00:00 web-1 sshd[42]: Failed password for invalid user x from 10.0.0.1 port 1 ssh2 from 192.0.2.9 port 22 ssh2\n"
                + "May  1 10:00:01 web-1 CRON[7]: pam_unix(cron:session): session opened for user root\n");
        Run r = run("events", "--year", "2024", f.toString());
        List<JsonNode> lines = r.lines();
        assertThat(lines.get(0).get("ssh").get("kind").asText()).isEqualTo("failed-password");
        assertThat(lines.get(0).get("ssh").get("source").asText()).isEqualTo("192.0.2.9");
        assertThat(lines.get(0).get("ssh").get("user").asText()).isEqualTo("x from 10.0.0.1 port 1 ssh2");
        assertThat(lines.get(1).has("ssh")).isFalse();
    }

    @Test
    void eventsReadBusyboxAndFacilityLevelLinesAsSsh() throws IOException {
        Path f = Files.writeString(dir.resolve("messages"), "2015-05-27T04:31:27.46667 auth.info: Invalid user admin from 192.168.2.1\n"
                + "Jun 20 02:18:39 vps auth.info sshd[13482]: Invalid user admin from 2001:db8::a11:beef:7ac0%eth0\n");
        List<JsonNode> lines = run("events", "--year", "2024", f.toString()).lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("time").asText()).isEqualTo("2015-05-27T04:31:27.466670Z");
        assertThat(lines.get(0).get("ssh").get("kind").asText()).isEqualTo("invalid-user");
        assertThat(lines.get(0).get("ssh").get("source").asText()).isEqualTo("192.168.2.1");
        assertThat(lines.get(1).get("program").asText()).isEqualTo("sshd");
        assertThat(lines.get(1).get("ssh").get("source").asText()).isEqualTo("2001:db8::a11:beef:7ac0");
    }

    @Test
    void cloudTrailEventsNameTheResourcesTheyConcern() throws IOException {
        Path f = Files.writeString(dir.resolve("ct.json"), "{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-05-01T10:00:00Z\",\"eventSource\":\"ec2.amazonaws.com\","
                + "\"eventName\":\"AuthorizeSecurityGroupIngress\",\"requestParameters\":{\"groupId\":\"sg-0123456789abcdef0\"},"
                + "\"responseElements\":{\"securityGroupRuleSet\":{\"items\":[{\"securityGroupRuleId\":\"sgr-0abcdef1234567890\"}]}}}");
        Run r = run("events", f.toString());
        JsonNode e = JSON.readTree(r.out().strip());
        assertThat(e.get("resources")).extracting(JsonNode::asText).containsExactly("sg-0123456789abcdef0", "sgr-0abcdef1234567890");
        assertThat(e.get("origin").get("record").asInt()).isEqualTo(1);
    }

    @Test
    void policyCommands() throws IOException {
        Run d = run("policy", "default");
        assertThat(d.code()).isZero();
        Path p = Files.writeString(dir.resolve("default.yaml"), d.out());
        assertThat(run("policy", "validate", p.toString()).out()).contains("ok");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "policies:\n  - name: x\n    detector: ssh-intrusion\n    params: {bogus: 1}\n");
        Run r = run("policy", "validate", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yaml:4").contains("bogus");
    }

    static Iterator<String> unused() {
        return null;
    }
}
