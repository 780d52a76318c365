package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.finding.Finding;
import dev.vigil.notify.LocalHttp;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.testing.LocalSqs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable bastion timers in the daemon: a timer set before a stop fires once after the restart, and a bastion found
 * running at start (reconciliation with the inventory) gets its timer even though its start event was missed.
 */
class BastionTimerRestartTest {
    static final String POLICY = """
            version: 1
            targets:
              hook: {type: webhook, url-env: HOOK_URL}
            policies:
              - name: bastions
                detector: bastion-watch
                params: {threshold: 48h, repeat: 240h, daily-report: {enabled: false}}
                responses: {"*": [notify]}
                notify: [hook]
            """;

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final List<Finding> out = new CopyOnWriteArrayList<>();

    LiveRuntime runtime(LocalSqs sqs, String q, Ec2Stub aws, LocalHttp hook, Clock clock, List<Path> inventory) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        return new LiveRuntime(Policies.load(policy), new LiveRuntime.Options(q, List.of(), false, dir.resolve("vigil.db"), inventory,
                aws.endpoint(), "eu-west-1", null, null, false, true, 0, LocalSqs.CREDS, sqs.endpoint), clock,
                k -> k.equals("HOOK_URL") ? hook.url("/hook") : null, w, (a, b) -> {});
    }

    long uptime(String instance) {
        return out.stream().filter(f -> f.rule().equals("bastion-uptime-exceeded") && instance.equals(f.resource())).count();
    }

    @Test
    void aTimerPendingAcrossARestartFiresOnce() throws Exception {
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start(); LocalHttp hook = new LocalHttp()) {
            String q = sqs.queue("bastion", 30);
            String bastion = "i-0b5a7e0000000002b";
            List<String> lines = Files.readAllLines(Path.of("examples/bastion/01-eventbridge-2026-05-04.jsonl")).stream()
                    .filter(l -> l.contains(bastion) && (l.contains("\"pending\"") || l.contains("\"running\""))).toList();
            assertThat(lines).hasSize(2);
            sqs.send(q, lines);
            MovableClock clock = new MovableClock(Instant.parse("2026-05-04T09:00:00Z"));
            List<Path> inv = List.of(Path.of("examples/bastion/describe-instances.json"));
            try (LiveRuntime rt = runtime(sqs, q, aws, hook, clock, inv)) {
                rt.daemon().run();
                assertThat(rt.store().timers().get("bastions", "uptime:" + bastion)).hasValueSatisfying(
                        t -> assertThat(t.due()).isEqualTo(Instant.parse("2026-05-06T08:30:41Z")));
            }
            assertThat(uptime(bastion)).isZero();

            // 48 h after the launch at 08:30:41 have passed while vigil was down; at the restart the look-up shows it
            // running since that launch (what DescribeInstances would answer then)
            clock.now = Instant.parse("2026-05-06T09:30:00Z");
            Path later = dir.resolve("describe-instances.json");
            Files.writeString(later, Files.readString(inv.get(0)).replace("\"stopped\"", "\"running\"")
                    .replace("2026-04-27T08:02:11+00:00", "2026-05-04T08:30:41+00:00"));
            assertThat(Files.readString(later)).contains("2026-05-04T08:30:41+00:00");
            inv = List.of(later);
            try (LiveRuntime rt = runtime(sqs, q, aws, hook, clock, inv)) {
                rt.daemon().run();
            }
            assertThat(uptime(bastion)).isEqualTo(1);
            int posts = hook.received.size();
            try (LiveRuntime rt = runtime(sqs, q, aws, hook, clock, inv)) {
                rt.daemon().run();
            }
            assertThat(uptime(bastion)).isEqualTo(1); // fired once, not again after a second restart
            assertThat(hook.received).hasSize(posts);
            assertThat(hook.bodies()).filteredOn(b -> b.contains("bastion-uptime-exceeded") && b.contains(bastion)).hasSize(1);
        }
    }

    @Test
    void aBastionRunningAtStartGetsItsTimerFromTheInventory() throws Exception {
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start(); LocalHttp hook = new LocalHttp()) {
            String q = sqs.queue("reconcile", 30);
            // no event at all: i-0b5a7e0000000001a has been running since 2026-05-02T10:15, per the inventory
            MovableClock clock = new MovableClock(Instant.parse("2026-05-05T12:00:00Z"));
            try (LiveRuntime rt = runtime(sqs, q, aws, hook, clock, List.of(Path.of("examples/bastion/describe-instances.json")))) {
                rt.daemon().run();
            }
            assertThat(uptime("i-0b5a7e0000000001a")).isEqualTo(1);
            assertThat(uptime("i-0b5a7e0000000002b")).isZero(); // stopped
        }
    }
}
