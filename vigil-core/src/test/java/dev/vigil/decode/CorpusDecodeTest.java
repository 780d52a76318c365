package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The real public data in ../shared/corpus decodes without errors and with the counts SOURCES.md gives. */
class CorpusDecodeTest {
    static final Path CORPUS = Path.of("../shared/corpus");

    static final class Collect implements DecodeListener {
        final List<SecurityEvent> events = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        int inputs;

        @Override
        public void onEvent(SecurityEvent event) {
            events.add(event);
        }

        @Override
        public void onError(String where, String message) {
            errors.add(where + ": " + message);
        }

        @Override
        public void onInput(String name) {
            inputs++;
        }
    }

    static Collect decode(Path path, DecodeOptions options) {
        assumeTrue(Files.isDirectory(CORPUS), "../shared/corpus is absent: corpus tests skipped");
        assumeTrue(Files.exists(path), path + " is absent: skipped");
        Collect c = new Collect();
        new InputDecoder(options).decode(path, c);
        return c;
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void everyCloudCustodianEventDecodes() throws IOException {
        Path dir = CORPUS.resolve("cloud-custodian/tests/data/cwe");
        assumeTrue(Files.isDirectory(dir), "cloud-custodian corpus absent: skipped");
        List<Path> files = files(dir, ".json");
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            Collect c = decode(f, DecodeOptions.defaults());
            assertThat(c.errors).as(f.toString()).isEmpty();
            assertThat(c.events).as(f.toString()).hasSize(1);
        }
        Collect duty = decode(dir.resolve("ec2-duty-event.json"), DecodeOptions.defaults());
        assertThat(duty.events.get(0).kind()).isEqualTo("guardduty-finding");
        assertThat(duty.events.get(0).resourceIds()).isNotEmpty();
        assertThat(decode(dir.resolve("event-instance-state.json"), DecodeOptions.defaults()).events.get(0).kind()).isEqualTo("instance-state-change");
    }

    @Test
    void stratusRedTeamHas310RecordsIn35Files() throws IOException {
        Path dir = CORPUS.resolve("stratus-red-team");
        assumeTrue(Files.isDirectory(dir), "stratus-red-team corpus absent: skipped");
        List<Path> files = files(dir, ".json");
        assertThat(files).hasSize(35);
        Collect all = decode(dir, DecodeOptions.defaults());
        assertThat(all.errors).isEmpty();
        assertThat(all.events).hasSize(310).allMatch(e -> e instanceof CloudTrailCall);
        assertThat(all.inputs).isEqualTo(35);
        CloudTrailCall failed = all.events.stream().map(CloudTrailCall.class::cast)
                .filter(c -> c.eventName().equals("RunInstances")).findFirst().orElseThrow();
        assertThat(failed.errorCode()).isEqualTo("Client.UnauthorizedOperation");
        assertThat(failed.requestParameters().path("instanceType").asText()).isEqualTo("p2.xlarge");
    }

    @Test
    void cloudSnitchS3LogObjectsHave20And1Records() throws IOException {
        Path dir = CORPUS.resolve("cloud-snitch");
        assumeTrue(Files.isDirectory(dir), "cloud-snitch corpus absent: skipped");
        List<Path> gz = files(dir, ".json.gz");
        assertThat(gz).hasSize(2);
        List<Integer> counts = new ArrayList<>();
        for (Path f : gz) {
            Collect c = decode(f, DecodeOptions.defaults());
            assertThat(c.errors).isEmpty();
            counts.add(c.events.size());
        }
        assertThat(counts).containsExactlyInAnyOrder(20, 1);
    }

    @Test
    void cloudWatchLogsSamplePayloadHasItsTwoLogEvents() {
        Collect c = decode(CORPUS.resolve("aws-lambda-java-libs/aws-lambda-java-tests/src/test/resources/cloudwatchlogs_event.json"),
                DecodeOptions.defaults());
        assertThat(c.errors).isEmpty();
        assertThat(c.events).hasSize(2).allMatch(e -> e instanceof SshLogLine);
        assertThat(c.events).extracting(e -> ((SshLogLine) e).message()).containsExactly("[ERROR] First test message", "[ERROR] Second test message");
        assertThat(c.events).extracting(SecurityEvent::id).containsExactly("eventId1", "eventId2");
        assertThat(c.events.get(0).account().value()).isEqualTo("123456789123");
    }

    @Test
    void sshLogsDecodeEveryLine() throws IOException {
        for (String name : List.of("fail2ban/sshd", "fail2ban/sshd-journal", "fail2ban/dropbear", "fail2ban/selinux-ssh",
                "fail2ban/testcase02.log", "loghub/OpenSSH/OpenSSH_2k.log")) {
            Path f = CORPUS.resolve(name);
            Collect c = decode(f, new DecodeOptions(n -> true, 2024, java.time.ZoneOffset.UTC));
            long lines;
            try (Stream<String> s = Files.lines(f)) {
                lines = s.filter(l -> !l.isBlank() && !l.startsWith("#")).count();
            }
            assertThat(c.errors).as(name).isEmpty();
            assertThat(c.events).as(name).hasSize((int) lines);
        }
        Collect journal = decode(CORPUS.resolve("fail2ban/sshd-journal"), DecodeOptions.defaults());
        assertThat(journal.events).allMatch(e -> ((SshLogLine) e).timeInferred());
        Collect loghub = decode(CORPUS.resolve("loghub/OpenSSH/OpenSSH_2k.log"), new DecodeOptions(n -> true, 2017, java.time.ZoneOffset.UTC));
        SshLogLine first = (SshLogLine) loghub.events.get(0);
        assertThat(first.time().toString()).isEqualTo("2017-12-10T06:55:46Z");
        assertThat(first.host()).isEqualTo("LabSZ");
        assertThat(first.program()).isEqualTo("sshd");
        assertThat(first.pid()).isEqualTo(24200);
    }
}
