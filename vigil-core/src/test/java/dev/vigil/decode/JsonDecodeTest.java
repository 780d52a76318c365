package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.GenericEvent;
import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.event.InstanceStateChange;
import dev.vigil.core.event.ScheduledTick;
import dev.vigil.core.event.SshLogLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Each JSON input shape the decoders accept, with synthetic inputs written for these tests. */
class JsonDecodeTest {
    static final String STATE = """
            {"version":"0","id":"ev-1","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2",\
            "account":"111122223333","time":"2025-03-06T10:00:00Z","region":"eu-west-1",\
            "resources":["arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc1234def567890"],\
            "detail":{"instance-id":"i-0abc1234def567890","state":"running"}}""";
    static final String SCHEDULED = """
            {"version":"0","id":"ev-2","detail-type":"Scheduled Event","source":"aws.events","account":"111122223333",\
            "time":"2025-03-06T11:00:00Z","region":"eu-west-1","resources":["arn:aws:events:eu-west-1:111122223333:rule/hourly"],"detail":{}}""";

    static String record(String name, String time, String extra) {
        return "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/alice\","
                + "\"accountId\":\"111122223333\",\"userName\":\"alice\"},\"eventTime\":\"" + time + "\",\"eventSource\":\"ec2.amazonaws.com\","
                + "\"eventName\":\"" + name + "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"198.51.100.7\",\"userAgent\":\"aws-cli/2\","
                + "\"requestParameters\":{\"groupId\":\"sg-0123456789abcdef0\",\"n\":" + name.length() + "},\"responseElements\":{\"return\":true},"
                + "\"eventID\":\"id-" + name + "\",\"recipientAccountId\":\"111122223333\"" + extra + "}";
    }

    static String records(String... recs) {
        return "{\"Records\":[" + String.join(",", recs) + "]}";
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- EventBridge ----

    @Test
    void eventBridgeSingleObject() {
        Collect c = Collect.text("state.json", STATE);
        assertThat(c.errors).isEmpty();
        InstanceStateChange e = (InstanceStateChange) c.events.get(0);
        assertThat(c.events).hasSize(1);
        assertThat(e.instance().value()).isEqualTo("i-0abc1234def567890");
        assertThat(e.state()).isEqualTo("running");
        assertThat(e.time()).isEqualTo(Instant.parse("2025-03-06T10:00:00Z"));
        assertThat(e.account().value()).isEqualTo("111122223333");
        assertThat(e.region().value()).isEqualTo("eu-west-1");
        assertThat(e.id()).isEqualTo("ev-1");
        assertThat(e.origin().describe()).isEqualTo("state.json record 1");
    }

    @Test
    void eventBridgeArrayNumbersRecords() {
        Collect c = Collect.text("many.json", "[\n" + STATE + ",\n" + SCHEDULED + "\n]\n");
        assertThat(c.errors).isEmpty();
        assertThat(c.events).hasSize(2);
        assertThat(c.events.get(1)).isInstanceOf(ScheduledTick.class);
        assertThat(((ScheduledTick) c.events.get(1)).resources()).containsExactly("arn:aws:events:eu-west-1:111122223333:rule/hourly");
        assertThat(c.events).extracting(e -> e.origin().record()).containsExactly(1L, 2L);
    }

    @Test
    void eventBridgeJsonLinesNumbersLines() {
        Collect c = Collect.text("events.jsonl", STATE + "\n\n" + SCHEDULED + "\n");
        assertThat(c.errors).isEmpty();
        assertThat(c.events).hasSize(2);
        assertThat(c.events).extracting(e -> e.origin().describe()).containsExactly("events.jsonl:1", "events.jsonl:3");
    }

    @Test
    void pretttyPrintedSingleObjectIsNotJsonLines() {
        String pretty = "{\n  \"version\": \"0\", \"id\": \"ev-9\",\n  \"detail-type\": \"Scheduled Event\",\n  \"source\": \"aws.events\",\n"
                + "  \"time\": \"2025-03-06T11:00:00Z\",\n  \"resources\": [],\n  \"detail\": {}\n}\n";
        Collect c = Collect.text("pretty.json", pretty);
        assertThat(c.errors).isEmpty();
        assertThat(c.events).singleElement().isInstanceOf(ScheduledTick.class);
    }

    @Test
    void otherDetailTypesAreGenericEventsNotErrors() {
        String health = "{\"id\":\"h1\",\"detail-type\":\"AWS Health Event\",\"source\":\"aws.health\",\"account\":\"111122223333\","
                + "\"time\":\"2025-03-06T10:00:00Z\",\"region\":\"us-east-1\",\"resources\":[\"i-0abc1234def567890\"],\"detail\":{}}";
        Collect c = Collect.text("health.json", health);
        assertThat(c.errors).isEmpty();
        GenericEvent g = (GenericEvent) c.events.get(0);
        assertThat(g.source()).isEqualTo("aws.health");
        assertThat(g.detailType()).isEqualTo("AWS Health Event");
    }

    @Test
    void cloudTrailViaEventBridge() {
        String ev = "{\"id\":\"e3\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ec2\",\"time\":\"2025-03-06T10:00:05Z\","
                + "\"account\":\"111122223333\",\"region\":\"eu-west-1\",\"detail\":" + record("AuthorizeSecurityGroupIngress", "2025-03-06T10:00:04Z", "") + "}";
        Collect c = Collect.text("ct-eb.json", ev);
        assertThat(c.errors).isEmpty();
        CloudTrailCall call = (CloudTrailCall) c.events.get(0);
        assertThat(call.viaEventBridge()).isTrue();
        assertThat(call.time()).isEqualTo(Instant.parse("2025-03-06T10:00:04Z"));
        assertThat(call.requestParameters().path("groupId").asText()).isEqualTo("sg-0123456789abcdef0");
    }

    // ---- CloudTrail ----

    @Test
    void cloudTrailRecordsFilePlain() {
        Collect c = Collect.text("trail.json", records(record("RunInstances", "2025-03-06T10:00:00Z", ""),
                record("DescribeInstances", "2025-03-06T10:00:01Z", ",\"errorCode\":\"Client.UnauthorizedOperation\"")));
        assertThat(c.errors).isEmpty();
        List<CloudTrailCall> calls = c.of(CloudTrailCall.class);
        assertThat(calls).extracting(CloudTrailCall::eventName).containsExactly("RunInstances", "DescribeInstances");
        CloudTrailCall first = calls.get(0);
        assertThat(first.principal().userName()).isEqualTo("alice");
        assertThat(first.principal().type()).isEqualTo("IAMUser");
        assertThat(first.sourceIp()).isEqualTo("198.51.100.7");
        assertThat(first.eventSource()).isEqualTo("ec2.amazonaws.com");
        assertThat(first.id()).isEqualTo("id-RunInstances");
        assertThat(first.viaEventBridge()).isFalse();
        assertThat(first.failed()).isFalse();
        assertThat(calls.get(1).failed()).isTrue();
        assertThat(calls).extracting(x -> x.origin().record()).containsExactly(1L, 2L);
    }

    @Test
    void cloudTrailRecordsFileGzip() throws IOException {
        List<String> recs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) recs.add(record("DescribeInstances", "2025-03-06T10:00:00Z", ",\"i\":" + i));
        Collect c = Collect.bytes("trail.json.gz", gzip(utf8(records(recs.toArray(String[]::new)))), DecodeOptions.defaults());
        assertThat(c.errors).isEmpty();
        assertThat(c.events).hasSize(3000);
        assertThat(c.events.get(2999).origin().describe()).isEqualTo("trail.json.gz record 3000");
    }

    @Test
    void cloudTrailBareRecordAndArray() {
        Collect bare = Collect.text("bare.json", record("CreateUser", "2025-03-06T10:00:00Z", ""));
        assertThat(bare.errors).isEmpty();
        assertThat(bare.of(CloudTrailCall.class)).singleElement().extracting(CloudTrailCall::eventName).isEqualTo("CreateUser");
        Collect arr = Collect.text("arr.json", "[" + record("CreateUser", "2025-03-06T10:00:00Z", "") + ","
                + record("CreateAccessKey", "2025-03-06T10:00:01Z", "") + "]");
        assertThat(arr.errors).isEmpty();
        assertThat(arr.of(CloudTrailCall.class)).extracting(CloudTrailCall::eventName).containsExactly("CreateUser", "CreateAccessKey");
    }

    @Test
    void detailsAreMaterializedOnlyForWantedCalls() {
        // requestParameters after eventName (CloudTrail's own order) and before it
        String before = "{\"eventVersion\":\"1.08\",\"requestParameters\":{\"groupId\":\"sg-1\"},\"responseElements\":{\"x\":1},"
                + "\"eventTime\":\"2025-03-06T10:00:00Z\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"%s\"}";
        String input = records(record("AuthorizeSecurityGroupIngress", "2025-03-06T10:00:00Z", ""), record("DescribeInstances", "2025-03-06T10:00:00Z", ""),
                String.format(before, "AuthorizeSecurityGroupIngress"), String.format(before, "DescribeInstances"));
        List<String> asked = new ArrayList<>();
        DecodeOptions only = new DecodeOptions(n -> {
            asked.add(n);
            return n.equals("AuthorizeSecurityGroupIngress");
        }, null, ZoneOffset.UTC);
        for (byte[] data : List.of(utf8(input), utf8("[" + input.substring(12, input.length() - 2) + "]"))) {
            Collect c = Collect.bytes("t.json", data, only);
            assertThat(c.errors).isEmpty();
            List<CloudTrailCall> calls = c.of(CloudTrailCall.class);
            assertThat(calls).hasSize(4);
            assertThat(calls.get(0).requestParameters().path("groupId").asText()).isEqualTo("sg-0123456789abcdef0");
            assertThat(calls.get(0).responseElements().path("return").asBoolean()).isTrue();
            assertThat(calls.get(1).requestParameters().isMissingNode()).isTrue();
            assertThat(calls.get(1).responseElements().isMissingNode()).isTrue();
            assertThat(calls.get(2).requestParameters().path("groupId").asText()).isEqualTo("sg-1");
            assertThat(calls.get(2).responseElements().path("x").asInt()).isEqualTo(1);
            assertThat(calls.get(3).requestParameters().isMissingNode()).isTrue();
            assertThat(calls.get(3).responseElements().isMissingNode()).isTrue();
        }
        assertThat(asked).contains("AuthorizeSecurityGroupIngress", "DescribeInstances").doesNotContainNull();
    }

    // ---- GuardDuty ----

    static String finding(String sample) {
        return "{\"schemaVersion\":\"2.0\",\"accountId\":\"111122223333\",\"region\":\"eu-west-1\",\"id\":\"f-1\",\"type\":\"UnauthorizedAccess:EC2/SSHBruteForce\","
                + "\"severity\":5.0,\"title\":\"SSH brute force\",\"createdAt\":\"2025-03-06T09:00:00.000Z\",\"updatedAt\":\"2025-03-06T09:30:00.123Z\","
                + "\"resource\":{\"resourceType\":\"Instance\",\"instanceDetails\":{\"instanceId\":\"i-0abc1234def567890\"}},"
                + "\"service\":{\"archived\":false,\"count\":7" + (sample == null ? "" : ",\"additionalInfo\":{\"sample\":" + sample + "}") + "}}";
    }

    @Test
    void guardDutyBareFinding() {
        Collect c = Collect.text("gd.json", finding(null));
        assertThat(c.errors).isEmpty();
        GuardDutyFinding f = (GuardDutyFinding) c.events.get(0);
        assertThat(f.findingId()).isEqualTo("f-1");
        assertThat(f.id()).isEqualTo("f-1");
        assertThat(f.type()).isEqualTo("UnauthorizedAccess:EC2/SSHBruteForce");
        assertThat(f.severity()).isEqualTo(5.0);
        assertThat(f.count()).isEqualTo(7);
        assertThat(f.sample()).isFalse();
        assertThat(f.time()).isEqualTo(Instant.parse("2025-03-06T09:30:00.123Z"));
        assertThat(f.instance().value()).isEqualTo("i-0abc1234def567890");
    }

    @Test
    void guardDutyEnvelopedWithSampleAsBoolAndString() {
        for (String sample : List.of("true", "\"true\"")) {
            String ev = "{\"version\":\"0\",\"id\":\"env-1\",\"detail-type\":\"GuardDuty Finding\",\"source\":\"aws.guardduty\","
                    + "\"account\":\"111122223333\",\"time\":\"2025-03-06T09:31:00Z\",\"region\":\"eu-west-1\",\"resources\":[],\"detail\":" + finding(sample) + "}";
            Collect c = Collect.text("gd-eb.json", ev);
            assertThat(c.errors).isEmpty();
            GuardDutyFinding f = (GuardDutyFinding) c.events.get(0);
            assertThat(f.sample()).as(sample).isTrue();
            assertThat(f.id()).isEqualTo("env-1");
            assertThat(f.findingId()).isEqualTo("f-1");
        }
        Collect no = Collect.text("gd.json", finding("\"false\""));
        assertThat(((GuardDutyFinding) no.events.get(0)).sample()).isFalse();
    }

    // ---- CloudWatch Logs ----

    static final String DATA = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\",\"logGroup\":\"/var/log/secure\","
            + "\"logStream\":\"i-0abc1234def567890\",\"subscriptionFilters\":[\"ssh\"],\"logEvents\":["
            + "{\"id\":\"1\",\"timestamp\":1741255200000,\"message\":\"Mar  6 10:00:00 ip-10-0-0-5 sshd[4242]: Invalid user admin from 203.0.113.9 port 4711\"},"
            + "{\"id\":\"2\",\"timestamp\":1741255201000,\"message\":\"sshd[4242]: Connection closed by 203.0.113.9 port 4711 [preauth]\"}]}";

    @Test
    void cloudWatchLogsDecodedDataMessage() {
        Collect c = Collect.text("cwl.json", DATA);
        assertThat(c.errors).isEmpty();
        List<SshLogLine> lines = c.of(SshLogLine.class);
        assertThat(lines).hasSize(2);
        assertThat(lines).allMatch(l -> l.instance().value().equals("i-0abc1234def567890") && l.account().value().equals("111122223333"));
        assertThat(lines.get(0).time()).isEqualTo(Instant.parse("2025-03-06T10:00:00Z"));
        assertThat(lines.get(0).program()).isEqualTo("sshd");
        assertThat(lines.get(0).pid()).isEqualTo(4242);
        assertThat(lines.get(0).host()).isEqualTo("ip-10-0-0-5");
        assertThat(lines.get(0).message()).isEqualTo("Invalid user admin from 203.0.113.9 port 4711");
        assertThat(lines.get(1).time()).isEqualTo(Instant.ofEpochMilli(1741255201000L)); // no timestamp in the line: the event's
        assertThat(lines.get(1).timeInferred()).isFalse();
        assertThat(lines).extracting(SshLogLine::id).containsExactly("1", "2");
    }

    @Test
    void cloudWatchLogsAwslogsBase64Gzip() throws IOException {
        String wrapped = "{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(gzip(utf8(DATA))) + "\"}}";
        Collect c = Collect.text("awslogs.json", wrapped);
        assertThat(c.errors).isEmpty();
        assertThat(c.of(SshLogLine.class)).extracting(SshLogLine::message)
                .containsExactly("Invalid user admin from 203.0.113.9 port 4711", "Connection closed by 203.0.113.9 port 4711 [preauth]");
    }

    @Test
    void cloudWatchLogsBsdYearComesFromTheEventTimestamp() {
        // a December line delivered in January belongs to the year before, whatever --year says
        String dec = DATA.replace("Mar  6 10:00:00", "Dec 31 23:59:59").replace("1741255200000", "1735689600000");
        Collect c = Collect.bytes("cwl.json", utf8(dec), new DecodeOptions(n -> true, 2019, ZoneOffset.UTC));
        assertThat(c.errors).isEmpty();
        assertThat(c.events.get(0).time()).isEqualTo(Instant.parse("2024-12-31T23:59:59Z"));
    }

    @Test
    void cloudWatchLogsControlMessageIsSkipped() {
        Collect c = Collect.text("ctl.json", "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\",\"logStream\":\"\","
                + "\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\",\"timestamp\":1741255200000,\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Firehose.\"}]}");
        assertThat(c.errors).isEmpty();
        assertThat(c.events).isEmpty();
    }
}
