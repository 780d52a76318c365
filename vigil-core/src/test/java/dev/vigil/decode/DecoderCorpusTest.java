package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.GenericEvent;
import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.event.InstanceStateChange;
import dev.vigil.core.event.ScheduledTick;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoders over the public corpus in {@code ../shared/corpus} (see its SOURCES.md), read in place: every file
 * decodes with no error and to the record counts the corpus documents; log times agree with fail2ban's own
 * annotations and loghub's structured labels.
 */
class DecoderCorpusTest {
    private static final Path CORPUS = Path.of("../shared/corpus");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** fail2ban's test suite runs in this zone; its failJSON times are local times there. */
    private static final ZoneId FAIL2BAN_ZONE = ZoneId.of("Europe/Zurich");

    private static Path corpus(String rel) {
        Path p = CORPUS.resolve(rel);
        Assumptions.assumeTrue(Files.exists(p), "corpus absent: skipped (" + p + ")");
        return p;
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void everyCloudCustodianEventDecodesToOneEventOfTheRightKind() throws IOException {
        Path dir = corpus("cloud-custodian/tests/data/cwe");
        List<Path> files = files(dir, ".json");
        assertThat(files).hasSize(17);
        Map<String, Class<? extends SecurityEvent>> kinds = Map.of(
                "ec2-duty-event.json", GuardDutyFinding.class,
                "iam-duty-event.json", GuardDutyFinding.class,
                "event-instance-state.json", InstanceStateChange.class,
                "event-scheduled.json", ScheduledTick.class,
                "event-cloud-trail-run-instances.json", CloudTrailCall.class,
                "event-cloud-trail-s3.json", CloudTrailCall.class,
                "event-config-rule-security-group.json", GenericEvent.class,
                "event-phd-ec2-retire.json", GenericEvent.class,
                "event-securityhub-iamkey-finding-action.json", GenericEvent.class);
        for (Path f : files) {
            Collect c = Collect.path(f);
            assertThat(c.errors).as(f.toString()).isEmpty();
            assertThat(c.events).as(f.toString()).hasSize(1);
            SecurityEvent e = c.events.get(0);
            assertThat(e.time()).as(f + " time").isNotNull();
            // the scheduled-event sample is stamped 1970-01-01T00:00:00Z in the source itself
            if (!(e instanceof ScheduledTick)) assertThat(e.time()).as(f + " time").isAfter(Instant.parse("2014-01-01T00:00:00Z"));
            assertThat(e.origin().file()).isEqualTo(f.toString());
            assertThat(e.origin().record()).isEqualTo(1);
            Class<? extends SecurityEvent> kind = kinds.get(f.getFileName().toString());
            if (kind != null) assertThat(e).as(f.toString()).isInstanceOf(kind);
            if (f.getFileName().toString().startsWith("event-cloud-trail")) assertThat(e).as(f.toString()).isInstanceOf(CloudTrailCall.class);
        }
        InstanceStateChange state = (InstanceStateChange) Collect.path(dir.resolve("event-instance-state.json")).events.get(0);
        assertThat(state.state()).isEqualTo("pending");
        GuardDutyFinding gd = (GuardDutyFinding) Collect.path(dir.resolve("ec2-duty-event.json")).events.get(0);
        assertThat(gd.type()).isEqualTo("Backdoor:EC2/C&CActivity.B!DNS");
        assertThat(gd.instance()).isNotNull();
    }

    @Test
    void everyStratusRedTeamFileDecodesTo310RecordsIn35Files() throws IOException {
        Path dir = corpus("stratus-red-team/docs/detonation-logs");
        List<Path> files = files(dir, ".json");
        assertThat(files).hasSize(35);
        long total = 0;
        for (Path f : files) {
            Collect c = Collect.path(f);
            assertThat(c.errors).as(f.toString()).isEmpty();
            assertThat(c.events).as(f.toString()).isNotEmpty().allMatch(e -> e instanceof CloudTrailCall);
            assertThat(c.events.get(c.events.size() - 1).origin().record()).isEqualTo(c.events.size());
            total += c.events.size();
        }
        assertThat(total).isEqualTo(310);
        // the whole directory at once gives the same, in path order
        Collect all = Collect.path(dir);
        assertThat(all.errors).isEmpty();
        assertThat(all.events).hasSize(310);
        assertThat(all.inputs).containsExactlyElementsOf(files.stream().map(Path::toString).toList());

        Collect open22 = Collect.path(dir.resolve("aws.exfiltration.ec2-security-group-open-port-22-ingress.json"));
        CloudTrailCall call = (CloudTrailCall) open22.events.get(0);
        assertThat(call.eventName()).isEqualTo("AuthorizeSecurityGroupIngress");
        assertThat(call.requestParameters().path("fromPort").asInt()).isEqualTo(22);
    }

    @Test
    void cloudSnitchDeliveredLogObjectsDecodeTo20And1Records() {
        Path root = corpus("cloud-snitch/backend/report/testdata/aws-cloudtrail-logs/AWSLogs");
        Collect org = Collect.path(root.resolve("o-1234abcde/222222222222/CloudTrail/us-east-1/2025/03/06/"
                + "222222222222_CloudTrail_us-east-1_20250306T0230Z_QF6qcgyiaVnSueXa.json.gz"));
        assertThat(org.errors).isEmpty();
        assertThat(org.events).hasSize(20).allMatch(e -> e instanceof CloudTrailCall);
        assertThat(org.of(CloudTrailCall.class).stream().filter(c -> c.eventName().equals("GetBucketAcl")).count()).isEqualTo(14);
        Collect one = Collect.path(root.resolve("333333333333/CloudTrail/us-east-1/2025/03/06/"
                + "333333333333_CloudTrail_us-east-1_20250306T0320Z_ZgdYr0lP8M9fWEH8.json.gz"));
        assertThat(one.errors).isEmpty();
        assertThat(one.of(CloudTrailCall.class)).singleElement().extracting(CloudTrailCall::eventName).isEqualTo("Decrypt");
        Collect tree = Collect.path(root);
        assertThat(tree.errors).isEmpty();
        assertThat(tree.events).hasSize(21);
        assertThat(tree.inputs).hasSize(2);
        assertThat(tree.inputs.get(0)).contains("333333333333_CloudTrail"); // "333..." sorts before "o-1234..."
    }

    @Test
    void cloudWatchLogsSamplePayloadDecodesToItsTwoLogEvents() {
        Path p = corpus("aws-lambda-java-libs/aws-lambda-java-tests/src/test/resources/cloudwatchlogs_event.json");
        Collect c = Collect.path(p);
        assertThat(c.errors).isEmpty();
        List<SshLogLine> lines = c.of(SshLogLine.class);
        assertThat(lines).hasSize(2);
        assertThat(lines).extracting(SshLogLine::message).containsExactly("[ERROR] First test message", "[ERROR] Second test message");
        assertThat(lines).extracting(SshLogLine::id).containsExactly("eventId1", "eventId2");
        assertThat(lines).extracting(SshLogLine::time)
                .containsExactly(Instant.ofEpochMilli(1440442987000L), Instant.ofEpochMilli(1440442987001L));
        assertThat(lines).allMatch(l -> !l.timeInferred() && l.account() != null && l.account().value().equals("123456789123"));
    }

    @Test
    void cloudWatchScheduledEventIsATick() {
        Path p = corpus("aws-lambda-java-libs/aws-lambda-java-tests/src/test/resources/cloudwatch_event.json");
        Collect c = Collect.path(p);
        assertThat(c.errors).isEmpty();
        assertThat(c.events).singleElement().isInstanceOf(ScheduledTick.class);
    }

    /** Annotated expectations: line number of the log line → its failJSON. */
    private static Map<Integer, JsonNode> annotations(Path p) throws IOException {
        Map<Integer, JsonNode> out = new TreeMap<>();
        JsonNode pending = null;
        int n = 0;
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            n++;
            if (line.startsWith("# failJSON:")) {
                pending = JSON.readTree(line.substring(11).trim());
            } else if (!line.startsWith("#") && !line.isBlank() && pending != null) {
                out.put(n, pending);
                pending = null;
            }
        }
        return out;
    }

    private static long logLines(Path p) throws IOException {
        return Files.readAllLines(p, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sshd", "dropbear", "selinux-ssh", "testcase02.log"})
    void fail2banLogsDecodeEveryLineAtTheAnnotatedTime(String file) throws IOException {
        Path p = corpus("fail2ban/" + file);
        Map<Integer, JsonNode> expected = annotations(p);
        // fail2ban's harness supplies the year; here each year the annotations imply is one decoding pass
        TreeSet<Integer> years = new TreeSet<>();
        expected.values().forEach(j -> {
            if (j.has("time")) years.add(LocalDateTime.parse(j.get("time").asText()).getYear());
        });
        if (years.isEmpty()) years.add(2005);
        int checked = 0;
        for (int year : years) {
            Collect c = Collect.path(p, new DecodeOptions(n -> true, year, FAIL2BAN_ZONE));
            assertThat(c.errors).as(file).isEmpty();
            assertThat(c.events).as(file + " events (one per log line)").hasSize((int) logLines(p));
            for (SecurityEvent e : c.events) {
                JsonNode j = expected.get((int) e.origin().line());
                // fail2ban checks times of matches only (some no-match annotations in selinux-ssh are off by an hour)
                if (j == null || !j.has("time") || !j.path("match").asBoolean(false)) continue;
                LocalDateTime want = LocalDateTime.parse(j.get("time").asText());
                if (want.getYear() != year) continue;
                // annotations are to the second (fail2ban drops fractions)
                assertThat(e.time().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).as("%s line %d", file, e.origin().line())
                        .isEqualTo(want.atZone(FAIL2BAN_ZONE).toInstant());
                checked++;
            }
        }
        long annotatedMatches = expected.values().stream().filter(j -> j.has("time") && j.path("match").asBoolean(false)).count();
        assertThat(checked).as("annotated times checked in " + file).isEqualTo((int) annotatedMatches);
        if (file.equals("testcase02.log")) assertThat(checked).isZero(); // its expectation lives in fail2ban's test code
    }

    @Test
    void fail2banTestcase02LastFailureTime() {
        Path p = corpus("fail2ban/testcase02.log");
        Collect c = Collect.path(p, new DecodeOptions(n -> true, 2005, FAIL2BAN_ZONE));
        assertThat(c.errors).isEmpty();
        // filtertestcase.py testGetFailures02: last failure of 141.3.81.106 at 1124013539 (Aug 14 11:58:59 2005, local)
        assertThat(c.of(SshLogLine.class).stream().filter(l -> l.message().startsWith("Failed publickey for roehl"))
                .map(SshLogLine::time).max(Instant::compareTo)).contains(Instant.ofEpochSecond(1124013539L));
    }

    @Test
    void fail2banJournalLinesHaveNoTimestampSoTakeTheFileTime() throws IOException {
        Path p = corpus("fail2ban/sshd-journal");
        Collect c = Collect.path(p);
        assertThat(c.errors).isEmpty();
        List<SshLogLine> lines = c.of(SshLogLine.class);
        assertThat(lines).hasSize((int) logLines(p));
        Instant mtime = Files.getLastModifiedTime(p).toInstant();
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.timeInferred()).isTrue();
            assertThat(l.time()).isEqualTo(mtime);
            assertThat(l.program()).isIn("sshd", "sshd-session");
            assertThat(l.host()).isNotNull();
        });
    }

    @Test
    void loghubOpenSsh2kDecodesEveryLineAtItsLabelledTime() throws IOException {
        Path p = corpus("loghub/OpenSSH/OpenSSH_2k.log");
        Collect c = Collect.path(p, new DecodeOptions(n -> true, 2015, ZoneOffset.UTC));
        assertThat(c.errors).isEmpty();
        List<SshLogLine> lines = c.of(SshLogLine.class);
        assertThat(lines).hasSize(2000);
        List<String> labels = Files.readAllLines(corpus("loghub/OpenSSH/OpenSSH_2k.log_structured.csv"), StandardCharsets.UTF_8);
        for (int i = 0; i < 2000; i++) {
            String[] col = labels.get(i + 1).split(",", 7); // LineId,Date,Day,Time,Component,Pid,Content
            SshLogLine l = lines.get(i);
            assertThat(l.origin().line()).isEqualTo(Long.parseLong(col[0]));
            LocalDateTime t = LocalDateTime.ofInstant(l.time(), ZoneOffset.UTC);
            assertThat(t.getYear()).isEqualTo(2015);
            assertThat(t.getMonthValue()).isEqualTo(12);
            assertThat(t.getDayOfMonth()).as("line %s", col[0]).isEqualTo(Integer.parseInt(col[2]));
            assertThat(t.toLocalTime().toString()).as("line %s", col[0]).startsWith(col[3].substring(0, 5));
            assertThat(String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond())).isEqualTo(col[3]);
            assertThat(l.host()).isEqualTo(col[4]);
            assertThat(l.pid()).isEqualTo(Long.parseLong(col[5]));
            assertThat(l.program()).isEqualTo("sshd");
            assertThat(l.timeInferred()).isFalse();
        }
    }
}
