package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.GenericEvent;
import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.event.InstanceStateChange;
import dev.vigil.core.event.ScheduledTick;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecoderTest {
    @TempDir
    Path dir;

    static CorpusDecodeTest.Collect run(String name, String text, DecodeOptions o) {
        return run(name, text.getBytes(StandardCharsets.UTF_8), o);
    }

    static CorpusDecodeTest.Collect run(String name, byte[] bytes, DecodeOptions o) {
        CorpusDecodeTest.Collect c = new CorpusDecodeTest.Collect();
        new InputDecoder(o).decode(name, new ByteArrayInputStream(bytes), c);
        return c;
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    static String eb(String id, String type, String detail) {
        return "{\"version\":\"0\",\"id\":\"" + id + "\",\"detail-type\":\"" + type + "\",\"source\":\"aws.x\",\"account\":\"111122223333\","
                + "\"time\":\"2024-05-01T10:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + detail + "}";
    }

    static final String STATE = eb("a", "EC2 Instance State-change Notification", "{\"instance-id\":\"i-0123456789abcdef0\",\"state\":\"running\"}");
    static final String TICK = eb("b", "Scheduled Event", "{}");
    static final String HEALTH = eb("c", "AWS Health Event", "{\"eventTypeCode\":\"AWS_EC2_INSTANCE_RETIREMENT\"}");
    static final String RECORD = "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/Admin/bob\","
            + "\"accountId\":\"111122223333\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::111122223333:role/Admin\",\"userName\":\"Admin\"}}},"
            + "\"eventTime\":\"2024-05-01T10:00:00Z\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"CreateTags\",\"awsRegion\":\"us-east-1\","
            + "\"sourceIPAddress\":\"198.51.100.1\",\"requestParameters\":{\"resourcesSet\":{}},\"responseElements\":null,\"eventID\":\"e-1\",\"recipientAccountId\":\"111122223333\"}";

    @Test
    void eventBridgeObjectArrayAndJsonLines() {
        var one = run("one.json", STATE, DecodeOptions.defaults());
        assertThat(one.events).singleElement().isInstanceOf(InstanceStateChange.class);
        assertThat(((InstanceStateChange) one.events.get(0)).state()).isEqualTo("running");
        var arr = run("arr.json", "[" + STATE + "," + TICK + "," + HEALTH + "]", DecodeOptions.defaults());
        assertThat(arr.events).extracting(e -> (Object) e.getClass()).containsExactly(InstanceStateChange.class, ScheduledTick.class, GenericEvent.class);
        assertThat(arr.events.get(1).origin().record()).isEqualTo(2);
        var lines = run("l.jsonl", STATE + "\n" + TICK + "\n\n" + HEALTH + "\n", DecodeOptions.defaults());
        assertThat(lines.errors).isEmpty();
        assertThat(lines.events).hasSize(3);
        assertThat(lines.events.get(2).origin().line()).isEqualTo(4);
    }

    @Test
    void cloudTrailFilesPlainAndGzipWithLazyDetails() throws IOException {
        String file = "{\"Records\":[" + RECORD + "," + RECORD.replace("e-1", "e-2") + "]}";
        var plain = run("ct.json", file, DecodeOptions.defaults());
        var gz = run("ct.json.gz", gzip(file), DecodeOptions.defaults());
        assertThat(plain.errors).isEmpty();
        assertThat(gz.errors).isEmpty();
        assertThat(gz.events).hasSize(2);
        CloudTrailCall c = (CloudTrailCall) gz.events.get(1);
        assertThat(c.id()).isEqualTo("e-2");
        assertThat(c.origin().record()).isEqualTo(2);
        assertThat(c.principal().sessionIssuerArn()).isEqualTo("arn:aws:iam::111122223333:role/Admin");
        assertThat(c.principal().userName()).isEqualTo("Admin");
        assertThat(c.requestParameters().isObject()).isTrue();
        var lazy = run("ct.json", file, new DecodeOptions(n -> false, null, ZoneOffset.UTC));
        assertThat(((CloudTrailCall) lazy.events.get(0)).requestParameters().isMissingNode()).isTrue();
        // requestParameters before eventName: read, then dropped once the name is known not to be wanted
        String early = "{\"Records\":[{\"requestParameters\":{\"x\":1},\"eventTime\":\"2024-05-01T10:00:00Z\",\"eventName\":\"GetObject\",\"eventSource\":\"s3.amazonaws.com\"}]}";
        assertThat(((CloudTrailCall) run("e.json", early, new DecodeOptions(n -> false, null, ZoneOffset.UTC)).events.get(0))
                .requestParameters().isMissingNode()).isTrue();
        assertThat(((CloudTrailCall) run("e.json", early, DecodeOptions.defaults()).events.get(0)).requestParameters().path("x").asInt()).isEqualTo(1);
        // bare record and EventBridge-wrapped record
        assertThat(run("bare.json", RECORD, DecodeOptions.defaults()).events).singleElement().isInstanceOf(CloudTrailCall.class);
        var wrapped = run("w.json", eb("d", "AWS API Call via CloudTrail", RECORD), DecodeOptions.defaults());
        assertThat(((CloudTrailCall) wrapped.events.get(0)).viaEventBridge()).isTrue();
    }

    @Test
    void guardDutyBareAndEnveloped() {
        String finding = "{\"schemaVersion\":\"2.0\",\"accountId\":\"111122223333\",\"region\":\"us-east-1\",\"id\":\"f1\",\"type\":\"Recon:EC2/PortProbeUnprotectedPort\","
                + "\"severity\":2,\"title\":\"t\",\"updatedAt\":\"2024-05-01T10:00:00.000Z\",\"resource\":{\"instanceDetails\":{\"instanceId\":\"i-0123456789abcdef0\"}},"
                + "\"service\":{\"archived\":false,\"count\":3,\"additionalInfo\":{\"sample\":\"true\"}}}";
        GuardDutyFinding bare = (GuardDutyFinding) run("g.json", finding, DecodeOptions.defaults()).events.get(0);
        assertThat(bare.sample()).isTrue();
        assertThat(bare.count()).isEqualTo(3);
        assertThat(bare.instance().value()).isEqualTo("i-0123456789abcdef0");
        GuardDutyFinding wrapped = (GuardDutyFinding) run("g.json", eb("x", "GuardDuty Finding", finding), DecodeOptions.defaults()).events.get(0);
        assertThat(wrapped.findingId()).isEqualTo("f1");
        assertThat(wrapped.id()).isEqualTo("x");
    }

    @Test
    void cloudWatchLogsPayloads() throws IOException {
        String data = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\",\"logGroup\":\"/var/log/secure\",\"logStream\":\"i-0123456789abcdef0\","
                + "\"logEvents\":[{\"id\":\"1\",\"timestamp\":1714557600000,\"message\":\"May  1 10:00:00 ip-10-0-0-1 sshd[7]: Invalid user x from 203.0.113.9 port 1\"},"
                + "{\"id\":\"2\",\"timestamp\":1714557601000,\"message\":\"Failed password for root from 203.0.113.9 port 2 ssh2\"}]}";
        var decoded = run("d.json", data, DecodeOptions.defaults());
        assertThat(decoded.events).hasSize(2).allMatch(e -> e instanceof SshLogLine);
        SshLogLine l = (SshLogLine) decoded.events.get(0);
        assertThat(l.instance().value()).isEqualTo("i-0123456789abcdef0");
        assertThat(l.program()).isEqualTo("sshd");
        assertThat(l.time()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(((SshLogLine) decoded.events.get(1)).time()).isEqualTo(Instant.ofEpochMilli(1714557601000L));
        String awslogs = "{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(gzip(data)) + "\"}}";
        assertThat(run("a.json", awslogs, DecodeOptions.defaults()).events).hasSize(2);
        var control = run("c.json", "{\"messageType\":\"CONTROL_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":1,\"message\":\"CWL CONTROL MESSAGE\"}]}", DecodeOptions.defaults());
        assertThat(control.events).isEmpty();
        assertThat(control.errors).isEmpty();
    }

    @Test
    void syslogFormatsAndTimeRules() throws IOException {
        Path f = Files.writeString(dir.resolve("i-0aaaaaaaaaaaaaaaa-secure"), String.join("\n",
                "Dec 31 23:59:59 web sshd[1]: a",
                "Jan  1 00:00:01 web sshd[2]: b",
                "<38>1 2024-01-01T00:00:02.5+01:00 web sshd 3 - - c",
                "2024-01-01T00:00:03.123456+00:00 web sshd-session[4]: d",
                "type=USER_LOGIN msg=audit(1704067204.000:1): user pid=5 exe=\"/usr/sbin/sshd\" res=failed",
                "web sshd[6]: journal line") + "\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-01-02T00:00:00Z")));
        CorpusDecodeTest.Collect c = new CorpusDecodeTest.Collect();
        new InputDecoder(DecodeOptions.defaults()).decode(f, c);
        assertThat(c.errors).isEmpty();
        assertThat(c.events).extracting(SecurityEvent::time).containsExactly(
                Instant.parse("2023-12-31T23:59:59Z"), Instant.parse("2024-01-01T00:00:01Z"), Instant.parse("2023-12-31T23:00:02.5Z"),
                Instant.parse("2024-01-01T00:00:03.123456Z"), Instant.parse("2024-01-01T00:00:04Z"), Instant.parse("2024-01-01T00:00:04Z"));
        assertThat(c.events).extracting(e -> ((SshLogLine) e).program()).containsExactly("sshd", "sshd", "sshd", "sshd-session", "audit", "sshd");
        assertThat(c.events).extracting(e -> ((SshLogLine) e).timeInferred()).containsExactly(false, false, false, false, false, true); // BSD lines: only the year is inferred
        assertThat(((SshLogLine) c.events.get(0)).instance().value()).isEqualTo("i-0aaaaaaaaaaaaaaaa");
        assertThat(c.events.get(5).origin().line()).isEqualTo(6);
    }

    @Test
    void withInstanceGivesATextLogsLinesTheInstanceItsNameDoesNotSay() {
        dev.vigil.core.event.InstanceId given = dev.vigil.core.event.InstanceId.of("i-0bbbbbbbbbbbbbbbb");
        InputDecoder d = new InputDecoder(DecodeOptions.defaults()).withInstance(given);
        String log = "May  1 10:00:00 web sshd[7]: Invalid user x from 203.0.113.9 port 1\nweb sshd[8]: journal line\n";
        CorpusDecodeTest.Collect plain = new CorpusDecodeTest.Collect();
        d.decode("secure", new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), plain);
        assertThat(plain.events).hasSize(2).allMatch(e -> given.equals(((SshLogLine) e).instance()));
        CorpusDecodeTest.Collect named = new CorpusDecodeTest.Collect();
        d.decode("i-0aaaaaaaaaaaaaaaa-secure", new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), named);
        assertThat(named.events).hasSize(2).allMatch(e -> ((SshLogLine) e).instance().value().equals("i-0aaaaaaaaaaaaaaaa"));
        // a decoder without it leaves them as read, and so do its other copies
        assertThat(run("secure", log, DecodeOptions.defaults()).events).allMatch(e -> ((SshLogLine) e).instance() == null);
        CorpusDecodeTest.Collect ahead = new CorpusDecodeTest.Collect();
        d.preparing(e -> e).readingAheadAfter(0).decode("secure", new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), ahead);
        assertThat(ahead.events).hasSize(2).allMatch(e -> given.equals(((SshLogLine) e).instance()));
    }

    @Test
    void badInputIsReportedWithItsPositionAndTheRestGoesOn() throws IOException {
        var noId = run("s.json", "[" + STATE + "," + eb("z", "EC2 Instance State-change Notification", "{\"state\":\"running\"}") + "," + TICK + "]",
                DecodeOptions.defaults());
        assertThat(noId.events).hasSize(2);
        assertThat(noId.errors).singleElement().asString().startsWith("s.json record 2: ").contains("instance-id");
        var badId = run("b.json", eb("y", "EC2 Instance State-change Notification", "{\"instance-id\":\"web-1\",\"state\":\"running\"}"),
                DecodeOptions.defaults());
        assertThat(badId.errors).singleElement().asString().contains("b.json record 1").contains("web-1");
        var shape = run("n.json", "[1, \"x\"]", DecodeOptions.defaults());
        assertThat(shape.errors).hasSize(2).first().asString().contains("n.json record 1").contains("expected a JSON object");
        var truncated = gzip("{\"Records\":[" + RECORD + "," + RECORD + "," + RECORD + "]}");
        var cut = run("t.json.gz", java.util.Arrays.copyOf(truncated, truncated.length / 2 + 40), DecodeOptions.defaults());
        assertThat(cut.errors).singleElement().asString().startsWith("t.json.gz");
        assertThat(cut.errors.get(0)).containsAnyOf("truncated gzip", "malformed");
        var broken = run("m.json", "{\"Records\":[" + RECORD + ",{\"eventName\": ]}", DecodeOptions.defaults());
        assertThat(broken.events).hasSize(1);
        assertThat(broken.errors).singleElement().asString().contains("m.json record 2").contains("malformed JSON");
        assertThat(run("bin", new byte[] {1, 0, 2, 0}, DecodeOptions.defaults()).errors).containsExactly("bin: binary file, skipped");
        var empty = run("e", new byte[0], DecodeOptions.defaults());
        assertThat(empty.errors).isEmpty();
        assertThat(empty.events).isEmpty();
        var text = run("notes.txt", "hello\nworld\n", DecodeOptions.defaults());
        assertThat(text.errors).singleElement().asString().startsWith("notes.txt: not a supported input");
    }

    @Test
    void directoriesAreReadInPathOrderWithoutHiddenFiles() throws IOException {
        Files.createDirectories(dir.resolve("b/.hidden"));
        Files.writeString(dir.resolve("b/2.json"), TICK);
        Files.writeString(dir.resolve("a.json"), STATE);
        Files.writeString(dir.resolve("b/.hidden/x.json"), HEALTH);
        Files.writeString(dir.resolve(".dot.json"), HEALTH);
        CorpusDecodeTest.Collect c = new CorpusDecodeTest.Collect();
        new InputDecoder(DecodeOptions.defaults()).decode(dir, c);
        assertThat(c.events).extracting(e -> (Object) e.getClass()).containsExactly(InstanceStateChange.class, ScheduledTick.class);
    }
}
