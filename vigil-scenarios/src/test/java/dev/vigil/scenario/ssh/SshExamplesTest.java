package dev.vigil.scenario.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.SshLogLine;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.inventory.AwsCliInventory;
import dev.vigil.scenario.ssh.auth.LogLineSplit;
import dev.vigil.testing.EngineHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The examples under examples/ssh, decoded here by a test-side splitter (the project's decoder reads the same
 * files in {@code vigil replay}), through the default policy, examples/policies/enforce-ssh.yaml and the example escalation
 * policy.
 */
class SshExamplesTest {
    private static final Path DIR = Path.of("examples/ssh");
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("yyyy MMM d HH:mm:ss", Locale.ROOT);

    static StaticInventory inventory() {
        StaticInventory inv = StaticInventory.empty();
        AwsCliInventory.load(DIR.resolve("describe-instances.json"), inv, (w, m) -> { throw new AssertionError(w + ": " + m); });
        AwsCliInventory.load(DIR.resolve("describe-network-acls.json"), inv, (w, m) -> { throw new AssertionError(w + ": " + m); });
        return inv;
    }

    static List<SshLogLine> events() throws IOException {
        List<SshLogLine> out = new ArrayList<>();
        JsonNode cw = new ObjectMapper().readTree(DIR.resolve("cloudwatch-secure-web-1.json").toFile());
        InstanceId inst = InstanceId.of(cw.get("logStream").asText());
        long n = 0;
        for (JsonNode e : cw.get("logEvents")) {
            LogLineSplit s = LogLineSplit.of(e.get("message").asText());
            out.add(new SshLogLine(e.get("id").asText(), Instant.ofEpochMilli(e.get("timestamp").asLong()), null, null,
                    Origin.record("cloudwatch-secure-web-1.json", ++n), inst, s.host(), s.program(), s.pid(), s.message(), false));
        }
        n = 0;
        for (String line : Files.readAllLines(DIR.resolve("auth-bastion-a.log"))) {
            LogLineSplit s = LogLineSplit.of(line);
            Instant t = java.time.OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant(); // rsyslog ISO-8601
            out.add(new SshLogLine("auth-bastion-a.log:" + (++n), t, null, null, Origin.line("auth-bastion-a.log", n), null, s.host(),
                    s.program(), s.pid(), s.message(), false));
        }
        out.sort(java.util.Comparator.comparing(SshLogLine::time));
        return out;
    }

    @Test
    void defaultPolicyReportsAndNotifiesOnly() throws IOException {
        EngineHarness h = EngineHarness.defaults(inventory()).feed(events()).finish(null);
        assertThat(h.problems).isEmpty();
        assertThat(h.findings).hasSize(7); // with ssh-scanner on the bastion (issue 22)
        assertThat(h.findings).flatExtracting(Finding::actions).extracting(a -> a.type()).containsOnly("notify");
    }

    /** The original alarms' behaviour: examples/policies/enforce-ssh.yaml. */
    @Test
    void enforcingPolicyQuarantinesWebOneAndReportsTheBastion() throws IOException {
        EngineHarness h = EngineHarness.file(Path.of("examples/policies/enforce-ssh.yaml"), inventory()).feed(events()).finish(null);
        assertThat(h.problems).isEmpty();
        List<String> got = h.findings.stream().map(f -> f.rule() + " " + f.resource() + " " + f.source()).toList();
        assertThat(got).containsExactlyInAnyOrder(
                "ssh-invalid-user i-0a1b2c3d4e5f60718 203.0.113.9",
                "ssh-brute-force i-0a1b2c3d4e5f60718 198.51.100.77",
                "ssh-invalid-key i-0a1b2c3d4e5f60718 192.0.2.44",
                "ssh-invalid-user bastion-a 45.155.205.10",
                "ssh-scanner bastion-a 45.155.205.10", // detect and notify: no response proposed
                "ssh-disconnect-burst bastion-a 45.155.205.10",
                "ssh-login-after-failures bastion-a 185.220.101.33");
        List<ActionStatus> web = h.findings.stream().filter(f -> "i-0a1b2c3d4e5f60718".equals(f.resource()))
                .flatMap(f -> f.actions().stream()).filter(a -> a.type().equals("quarantine-instance")).map(a -> a.status()).toList();
        assertThat(web).containsExactly(ActionStatus.PLANNED, ActionStatus.ALREADY_APPLIED, ActionStatus.ALREADY_APPLIED);
        assertThat(h.findings(SshIntrusion.SCANNER).get(0).actions()).extracting(a -> a.type()).containsExactly("notify");
        Finding critical = h.findings(SshIntrusion.LOGIN_AFTER_FAILURES).get(0);
        // six failures; windows keep only what the threshold needs, so the finding says "at least 5"
        assertThat(critical.facts()).containsEntry("count", "5").containsEntry("users", "admin");
        assertThat(critical.actions()).filteredOn(a -> a.type().equals("quarantine-instance")).allMatch(a -> a.status() == ActionStatus.SKIPPED);
    }

    @Test
    void escalationPolicyBlocksThenQuarantinesTheBastion() throws IOException {
        EngineHarness h = EngineHarness.of(Files.readString(DIR.resolve("policy-escalate.yaml")), inventory()).feed(events())
                .finish(Instant.parse("2024-05-01T13:00:00Z"));
        assertThat(h.problems).isEmpty();
        Finding burst = h.findings(SshIntrusion.DISCONNECT_BURST).get(0);
        assertThat(burst.actions()).filteredOn(a -> a.type().equals("block-source")).singleElement()
                .satisfies(a -> assertThat(a.params()).containsEntry("CidrBlock", "45.155.205.10/32").containsEntry("RuleNumber", 1));
        Finding login = h.findings(SshIntrusion.LOGIN_AFTER_FAILURES).get(0);
        assertThat(login.resource()).isEqualTo("i-0f9e8d7c6b5a43210");
        assertThat(login.actions()).filteredOn(a -> a.type().equals("quarantine-instance")).singleElement()
                .satisfies(a -> assertThat(a.status()).isEqualTo(ActionStatus.PLANNED));
        // every ban is lifted after its hour
        long bans = h.findings.stream().flatMap(f -> f.actions().stream())
                .filter(a -> a.type().equals("block-source") && a.status() == ActionStatus.PLANNED).count();
        assertThat(h.findings(SshIntrusion.BAN_EXPIRED)).hasSize((int) bans);
        assertThat(bans).isGreaterThanOrEqualTo(4);
    }
}
