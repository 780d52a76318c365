package dev.vigil.scenario.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import dev.vigil.inventory.AwsCliInventory;
import dev.vigil.testing.EngineHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** examples/bastion through the real decoder and inventory loader, with the default policy. */
class BastionExamplesTest {
    static final Path EXAMPLES = Path.of("examples/bastion");
    static final String EU1 = "i-0b5a7e0000000001a";
    static final String EU2 = "i-0b5a7e0000000002b";
    static final String APP = "i-0a77e00000000003c";

    static StaticInventory inventory() {
        StaticInventory inv = StaticInventory.empty();
        List<String> errors = new ArrayList<>();
        int n = AwsCliInventory.load(EXAMPLES.resolve("describe-instances.json"), inv, (w, m) -> errors.add(w + ": " + m));
        assertThat(errors).isEmpty();
        assertThat(n).isEqualTo(3);
        return inv;
    }

    static List<SecurityEvent> events() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            files = s.filter(p -> !p.getFileName().toString().startsWith("describe-")).sorted().toList();
        }
        assertThat(files).hasSize(3);
        List<SecurityEvent> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        InputDecoder d = new InputDecoder(DecodeOptions.defaults());
        for (Path p : files) {
            d.decode(p, new DecodeListener() {
                @Override
                public void onEvent(SecurityEvent event) {
                    out.add(event);
                }

                @Override
                public void onError(String where, String message) {
                    errors.add(where + ": " + message);
                }
            });
        }
        assertThat(errors).isEmpty();
        return out;
    }

    @Test
    void replayGivesRunningStoppedUptimeDailyReportsAndCountChanges() throws IOException {
        EngineHarness h = EngineHarness.defaults(inventory()).feed(events());
        assertThat(h.problems).isEmpty();
        List<Finding> mine = h.findings.stream().filter(f -> f.policy().equals("bastion-watch")).toList();
        assertThat(mine).extracting(f -> f.time() + " " + f.rule() + " " + (f.resource() == null ? "-" : f.resource())).containsExactly(
                "2026-05-04T08:30:41Z bastion-running " + EU2,
                "2026-05-04T09:00:00Z bastion-daily-report -",
                "2026-05-04T10:15:00Z bastion-uptime-exceeded " + EU1,
                "2026-05-04T18:10:09Z bastion-stopped " + EU2,
                "2026-05-05T09:00:00Z bastion-daily-report -",
                "2026-05-05T10:15:00Z bastion-uptime-exceeded " + EU1,
                "2026-05-05T10:20:33Z bastion-count-changed -",
                "2026-05-05T18:00:12Z bastion-stopped " + EU1,
                "2026-05-06T09:00:00Z bastion-daily-report -",
                "2026-05-06T09:00:00Z bastion-count-changed -",
                "2026-05-06T09:30:04Z bastion-count-changed -");

        // bastion-eu-2's inventory launch time is its previous run's: counted from the notification, and said so
        assertThat(mine.get(0).facts()).containsEntry("launch-time", "2026-05-04T08:30:41Z")
                .containsEntry("launch-time-source", Launch.EVENT_TIME).containsEntry("name", "bastion-eu-2")
                .containsEntry("account", "123456789012").containsEntry("region", "eu-west-1");
        // bastion-eu-1 was already running at the first event: 48 hours after its inventory launch time
        Finding uptime = mine.get(2);
        assertThat(uptime.severity()).isEqualTo(Severity.HIGH);
        assertThat(uptime.facts()).containsEntry("launch-time", "2026-05-02T10:15:00Z").containsEntry("running-time", "2 days")
                .containsEntry("name", "bastion-eu-1").containsEntry("launch-time-source", Launch.INVENTORY);
        assertThat(uptime.actions()).extracting(ActionResult::type).containsExactly("notify"); // stop-instance is off by default
        assertThat(mine.get(3).summary()).endsWith("is stopping after running 9 hours 39 minutes");
        assertThat(mine.get(4).facts()).containsEntry("over-threshold", "bastion-eu-1 (" + EU1 + ")").containsEntry("running", "1");
        assertThat(mine.get(6).summary()).isEqualTo("bastion count is 3, expected 2; added app-1 (" + APP
                + ") (CreateTags by arn:aws:sts::123456789012:assumed-role/OpsAdmin/carol@example.com)");
        assertThat(mine.get(7).facts()).containsEntry("running-time", "3 days 7 hours");
        assertThat(mine.get(8).summary()).startsWith("daily bastion report (09:00 UTC): 3 bastions, 0 running");
        assertThat(mine.get(10).severity()).isEqualTo(Severity.INFO);
        assertThat(mine.get(10).summary()).startsWith("bastion count is back to the expected 2 (DeleteTags by");
    }
}
