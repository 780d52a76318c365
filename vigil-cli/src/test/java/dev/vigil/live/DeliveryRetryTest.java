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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A notification that failed is retried later, to that target only; a target that got it is not sent it again. */
class DeliveryRetryTest {
    @TempDir
    Path dir;

    @Test
    void aFailedTargetIsRetriedAfterItsBackoffAndTheOtherIsNotSentTwice() throws Exception {
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, """
                version: 1
                targets:
                  down: {type: webhook, url-env: DOWN_URL}
                  up: {type: webhook, url-env: UP_URL}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [notify]
                    notify: [down, up]
                """);
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start(); LocalHttp down = new LocalHttp(); LocalHttp up = new LocalHttp()) {
            down.then(LocalHttp.Reply.of(500), LocalHttp.Reply.of(500), LocalHttp.Reply.of(500), LocalHttp.Reply.of(500));
            String q = sqs.queue("retry", 30);
            sqs.send(q, List.of(CrashRecoveryTest.event(0)));
            BastionTimerRestartTest.MovableClock clock = new BastionTimerRestartTest.MovableClock(Instant.parse("2026-11-23T10:00:00Z"));
            Map<String, String> env = Map.of("DOWN_URL", down.url("/down"), "UP_URL", up.url("/up"));
            ReportWriter none = new ReportWriter() {
                @Override
                public void finding(Finding f) {}

                @Override
                public void summary(RunSummary s) {}
            };
            LiveRuntime.Options o = new LiveRuntime.Options(q, List.of(), false, dir.resolve("vigil.db"), List.of(), aws.endpoint(), "eu-west-1",
                    null, null, false, true, 0, LocalSqs.CREDS, sqs.endpoint);
            try (LiveRuntime rt = new LiveRuntime(Policies.load(policy), o, clock, env::get, none, (a, b) -> {})) {
                rt.daemon().run();
                assertThat(rt.store().pendingDeliveries()).isEqualTo(1);
            }
            assertThat(down.received).hasSize(4); // HttpRetry's four attempts, all 500
            assertThat(up.received).hasSize(1);

            clock.now = clock.now.plusSeconds(10); // before the backoff: nothing
            try (LiveRuntime rt = new LiveRuntime(Policies.load(policy), o, clock, env::get, none, (a, b) -> {})) {
                rt.daemon().run();
            }
            assertThat(down.received).hasSize(4);

            clock.now = clock.now.plusSeconds(60);
            try (LiveRuntime rt = new LiveRuntime(Policies.load(policy), o, clock, env::get, none, (a, b) -> {})) {
                rt.daemon().run();
                assertThat(rt.store().pendingDeliveries()).isZero();
            }
            assertThat(down.received).hasSize(5);
            assertThat(down.received.get(4).body()).contains("sg-open-to-world");
            assertThat(up.received).hasSize(1);
        }
    }
}
