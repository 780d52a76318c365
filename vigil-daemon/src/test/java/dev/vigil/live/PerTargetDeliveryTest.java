package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.store.RuntimeStore.PendingDelivery;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.testing.LocalSqs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One delivery thread per target: with two webhook targets on local HTTP servers, one of which accepts and never
 * answers, every delivery to the other arrives within a bound set well below the hanging target's timeout (a worker
 * shared by the two targets makes the k-th of them wait k stuck deliveries); the hanging target's deliveries are
 * abandoned at its timeout and kept for a retry with backoff; after a restart (the target answering again) each of
 * them is delivered, the other target's are not sent again, and every finding's record says {@code delivered} for both.
 */
class PerTargetDeliveryTest {
    static final int MESSAGES = 6;
    static final long HANG_TIMEOUT_SECONDS = 8;
    /** How late a delivery to the working target may arrive after its finding is recorded: half the hang timeout. */
    static final long BOUND_MILLIS = HANG_TIMEOUT_SECONDS * 1000 / 2;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f]{16})\"");

    @TempDir
    Path dir;

    /** A webhook on 127.0.0.1 (random port) that notes each finding id it is sent and when; hangs while told to. */
    static final class Hook implements AutoCloseable {
        final HttpServer server;
        final ExecutorService pool = Executors.newCachedThreadPool();
        final List<String> ids = new CopyOnWriteArrayList<>();
        final Map<String, Long> firstAt = new ConcurrentHashMap<>();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean hang;

        Hook(boolean hang) throws IOException {
            this.hang = hang;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(pool);
            server.createContext("/", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Matcher m = ID.matcher(body);
                String id = m.find() ? m.group(1) : "?";
                ids.add(id);
                firstAt.putIfAbsent(id, System.nanoTime());
                if (this.hang) {
                    try {
                        release.await(120, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ex.close();
                    return;
                }
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, ok.length);
                ex.getResponseBody().write(ok);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
            pool.shutdownNow();
        }
    }

    /** The wall clock moved on by {@code offset}: a restart "an hour later", past every backoff. */
    static final class LaterClock extends Clock {
        volatile Duration offset = Duration.ZERO;

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
            return Instant.now().plus(offset);
        }
    }

    @Test
    void aHangingTargetDelaysNoOtherTargetAndLosesNothingAcrossARestart() throws Exception {
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, """
                version: 1
                targets:
                  stuck: {type: webhook, url-env: STUCK_URL, connect-timeout: 2s, timeout: %ds}
                  fine: {type: webhook, url-env: FINE_URL}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [notify]
                    notify: [stuck, fine]
                """.formatted(HANG_TIMEOUT_SECONDS));
        try (LocalSqs sqs = new LocalSqs(); Ec2Stub aws = Ec2Stub.start(); Hook stuck = new Hook(true); Hook fine = new Hook(false)) {
            String q = sqs.queue("per-target", 30);
            List<String> bodies = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) bodies.add(CrashEvents.event(i, true));
            sqs.send(q, bodies);
            Map<String, Long> recordedAt = new ConcurrentHashMap<>();
            ReportWriter out = new ReportWriter() {
                @Override
                public void finding(Finding f) {
                    recordedAt.put(f.id(), System.nanoTime());
                }

                @Override
                public void summary(RunSummary s) {}
            };
            Map<String, String> env = Map.of("STUCK_URL", stuck.url(), "FINE_URL", fine.url());
            LaterClock clock = new LaterClock();
            LiveRuntime.Options running = new LiveRuntime.Options(q, List.of(), false, dir.resolve("vigil.db"), List.of(), aws.endpoint(),
                    "eu-west-1", null, null, false, false, 1, LocalSqs.CREDS, sqs.endpoint);
            long[] lateness = new long[MESSAGES];
            long t0 = System.nanoTime();
            long stopMs;
            long restartMs;
            try (LiveRuntime rt = new LiveRuntime(Policies.load(policy), running, clock, env::get, out, (a, b) -> {})) {
                Thread loop = new Thread(() -> rt.daemon().run(), "daemon-under-test");
                loop.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while ((recordedAt.size() < MESSAGES || fine.firstAt.size() < MESSAGES) && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(recordedAt).hasSize(MESSAGES);
                assertThat(fine.firstAt.keySet()).as("every finding reached the working target").isEqualTo(recordedAt.keySet());
                int i = 0;
                for (String id : recordedAt.keySet()) lateness[i++] = TimeUnit.NANOSECONDS.toMillis(fine.firstAt.get(id) - recordedAt.get(id));
                for (long ms : lateness) {
                    assertThat(ms).as("ms from a finding's record to its delivery to the working target (bound %d ms, hang timeout %d s)",
                            BOUND_MILLIS, HANG_TIMEOUT_SECONDS).isLessThan(BOUND_MILLIS);
                }
                // the hanging target's worker goes on: its first delivery abandoned at the timeout, the next one taken
                while (stuck.ids.size() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(stuck.ids).hasSizeGreaterThanOrEqualTo(2);
                long stopAt = System.nanoTime();
                assertThat(rt.daemon().stop(60_000)).isTrue();
                loop.join(10_000);
                stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);
                // the stop waits for the delivery in hand, not for the rest of its round (several more stuck ones)
                assertThat(stopMs).as("ms to stop").isLessThan(TimeUnit.SECONDS.toMillis(HANG_TIMEOUT_SECONDS * 2));
                assertThat(loop.isAlive()).isFalse();

                // nothing of the hanging target's is lost: all kept, the tried ones with their error and a backoff
                List<PendingDelivery> pending = rt.store().dueDeliveries(clock.instant().plus(Duration.ofHours(2)), "stuck", 100);
                assertThat(pending).extracting(PendingDelivery::findingId).containsExactlyInAnyOrderElementsOf(recordedAt.keySet());
                assertThat(pending).filteredOn(d -> d.attempts() > 0 && d.lastError().contains("timeout")).as("tried, failed at the timeout")
                        .isNotEmpty();
                assertThat(rt.store().dueDeliveries(clock.instant(), "stuck", 100)).as("not due again before their backoff")
                        .hasSizeLessThan(MESSAGES);
                assertThat(rt.store().dueDeliveries(clock.instant().plus(Duration.ofHours(2)), "fine", 100)).isEmpty();
                for (Finding f : rt.store().recent(100)) {
                    assertThat(notifyStatus(f, "fine")).isEqualTo(ActionStatus.DELIVERED);
                    assertThat(notifyStatus(f, "stuck")).isEqualTo(ActionStatus.QUEUED);
                }
            }

            // restarted an hour later, the target answering again: each of its deliveries is sent, none of the other's again
            stuck.hang = false;
            stuck.release.countDown();
            int stuckBefore = stuck.ids.size();
            clock.offset = Duration.ofHours(1);
            LiveRuntime.Options catchUp = new LiveRuntime.Options(q, List.of(), false, dir.resolve("vigil.db"), List.of(), aws.endpoint(),
                    "eu-west-1", null, null, false, true, 0, LocalSqs.CREDS, sqs.endpoint);
            long restartAt = System.nanoTime();
            try (LiveRuntime rt = new LiveRuntime(Policies.load(policy), catchUp, clock, env::get, out, (a, b) -> {})) {
                rt.daemon().run();
                restartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartAt);
                assertThat(stuck.ids.subList(stuckBefore, stuck.ids.size())).as("sent after the restart")
                        .containsAll(recordedAt.keySet());
                assertThat(rt.store().pendingDeliveries()).isZero();
                List<Finding> findings = rt.store().recent(100);
                assertThat(findings).hasSize(MESSAGES);
                for (Finding f : findings) {
                    assertThat(notifyStatus(f, "fine")).isEqualTo(ActionStatus.DELIVERED);
                    assertThat(notifyStatus(f, "stuck")).as("written back into the finding").isEqualTo(ActionStatus.DELIVERED);
                }
            }
            assertThat(fine.ids).as("the working target got each finding once").hasSize(MESSAGES).doesNotHaveDuplicates();
            assertThat(sqs.remaining(q)).isZero();
            System.out.printf("per-target delivery: %d findings; working target reached %s ms after each record (bound %d ms, hang"
                    + " timeout %d s); %d tries at the hanging target before the stop; stop took %d ms; the restart delivered all %d in"
                    + " %d ms; %d ms in all%n", MESSAGES, java.util.Arrays.toString(lateness), BOUND_MILLIS, HANG_TIMEOUT_SECONDS,
                    stuckBefore, stopMs, MESSAGES, restartMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    private static ActionStatus notifyStatus(Finding f, String target) {
        return f.actions().stream().filter(a -> a.type().equals("notify") && a.target().equals(target)).map(ActionResult::status)
                .findFirst().orElseThrow();
    }
}
