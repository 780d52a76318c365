package dev.vigil.notify;

import static dev.vigil.notify.NotifyFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.TargetDef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifyExecutorTest {
    /** Records notices; fails while {@code failing} is set. */
    static final class Recording implements Notifier {
        final List<Notice> sent = new ArrayList<>();
        boolean failing;

        @Override
        public Delivery send(TargetDef target, Notice notice) {
            if (failing) return Delivery.failed("slack: HTTP 500 after 4 attempts", 4);
            sent.add(notice);
            return Delivery.sent("slack: 1 message(s) posted", 1);
        }
    }

    private final Recording slack = new Recording();
    private final Recording hook = new Recording();
    private final Map<String, TargetDef> targets = Map.of(
            "sec", new TargetDef("sec", "slack", Severity.LOW, Map.of("webhook-url-env", "S")),
            "siem", new TargetDef("siem", "webhook", Severity.LOW, Map.of("url-env", "W")),
            "mail", new TargetDef("mail", "email", Severity.LOW, Map.of("to", "a@b", "from", "c@d", "smtp-host", "h")));
    private final NotifyExecutor exec = new NotifyExecutor(targets, Map.of("slack", slack, "webhook", hook), NotifyExecutor.DEFAULT_WINDOW);

    private static ActionPlan plan(String target) {
        return new ActionPlan("notify", target, Map.of("target_type", "x"), "notify " + target, null, false);
    }

    private static Finding at(String rule, String resource, Duration after) {
        return NotifyFixtures.finding(rule, resource, T0.plus(after), Map.of(), List.of());
    }

    @Test
    void routesByTargetTypeWithOneResultPerTarget() {
        Finding f = at("r1", "i-1", Duration.ZERO);
        ActionResult a = exec.execute(plan("sec"), f, false);
        ActionResult b = exec.execute(plan("siem"), f, false);
        assertThat(a.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(a.detail()).isEqualTo("notified sec (slack: 1 message(s) posted)");
        assertThat(b.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(slack.sent).hasSize(1);
        assertThat(hook.sent).hasSize(1);
        assertThat(a.target()).isEqualTo("sec");
        assertThat(a.params()).containsEntry("target_type", "x");
    }

    /**
     * Calls are serialized per target, not across targets: while a delivery to one target hangs in its notifier, a
     * delivery to another goes through, and a second one to the hanging target waits its turn.
     */
    @Test
    void aHangingTargetHoldsUpOnlyItsOwnDeliveries() throws Exception {
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger hangingCalls = new java.util.concurrent.atomic.AtomicInteger();
        Notifier hanging = (t, n) -> {
            hangingCalls.incrementAndGet();
            inside.countDown();
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Delivery.sent("webhook: HTTP 200", 1);
        };
        NotifyExecutor two = new NotifyExecutor(targets, Map.of("slack", slack, "webhook", hanging), NotifyExecutor.DEFAULT_WINDOW);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> two.execute(plan("siem"), at("r1", "i-1", Duration.ZERO), false));
            assertThat(inside.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            var second = pool.submit(() -> two.execute(plan("siem"), at("r2", "i-2", Duration.ZERO), false));
            ActionResult other = two.execute(plan("sec"), at("r1", "i-1", Duration.ZERO), false); // on this thread: must not wait
            assertThat(other.status()).isEqualTo(ActionStatus.APPLIED);
            assertThat(slack.sent).hasSize(1);
            Thread.sleep(200);
            assertThat(hangingCalls).as("the hanging target's second delivery waits for its first").hasValue(1);
            assertThat(second.isDone()).isFalse();
            release.countDown();
            assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(ActionStatus.APPLIED);
            assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(ActionStatus.APPLIED);
            assertThat(hangingCalls).hasValue(2);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void unknownTargetMissingNotifierAndDryRun() {
        Finding f = at("r1", "i-1", Duration.ZERO);
        assertThat(exec.execute(plan("nope"), f, false).detail()).isEqualTo("unknown notification target nope");
        ActionResult mail = exec.execute(plan("mail"), f, false);
        assertThat(mail.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(mail.detail()).isEqualTo("no notifier for target type email");
        ActionResult dry = exec.execute(plan("sec"), f, true);
        assertThat(dry.status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(slack.sent).isEmpty();
        ActionResult wrong = exec.execute(new ActionPlan("stop-instance", "i-1", Map.of(), "", null, true), f, false);
        assertThat(wrong.status()).isEqualTo(ActionStatus.FAILED);
    }

    @Test
    void sameRuleSameResourceWithinWindowIsGroupedAndCountedIntoTheNextNotice() {
        assertThat(exec.execute(plan("sec"), at("r1", "i-1", Duration.ZERO), false).status()).isEqualTo(ActionStatus.APPLIED);
        for (int i = 1; i <= 3; i++) {
            ActionResult r = exec.execute(plan("sec"), at("r1", "i-1", Duration.ofMinutes(4L * i)), false);
            assertThat(r.status()).isEqualTo(ActionStatus.SKIPPED);
            assertThat(r.detail()).isEqualTo("grouped with r1 on i-1 notified at 2026-03-01T10:00:00Z (" + i + " grouped so far)");
        }
        // other rule, other resource, other target: not grouped
        assertThat(exec.execute(plan("sec"), at("r2", "i-1", Duration.ofMinutes(1)), false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(exec.execute(plan("sec"), at("r1", "i-2", Duration.ofMinutes(1)), false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(exec.execute(plan("siem"), at("r1", "i-1", Duration.ofMinutes(1)), false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(slack.sent).hasSize(3);

        // the window is 15 min from the first: at exactly 15 min a new notice goes out, carrying the count
        ActionResult next = exec.execute(plan("sec"), at("r1", "i-1", Duration.ofMinutes(15)), false);
        assertThat(next.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(next.detail()).endsWith(", reporting 3 grouped finding(s))");
        Notice n = slack.sent.get(slack.sent.size() - 1);
        assertThat(n.groupedBefore()).isEqualTo(3);
        assertThat(n.groupedSince()).isEqualTo(T0);
        // and the group restarts from it
        assertThat(exec.execute(plan("sec"), at("r1", "i-1", Duration.ofMinutes(29)), false).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(exec.execute(plan("sec"), at("r1", "i-1", Duration.ofMinutes(30)), false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(slack.sent.get(slack.sent.size() - 1).groupedBefore()).isEqualTo(1);
    }

    @Test
    void flushDueReportsGroupsWhoseWindowEndedWithoutAFollowUp() {
        exec.execute(plan("sec"), at("r1", "i-1", Duration.ZERO), false);
        exec.execute(plan("sec"), at("r1", "i-1", Duration.ofMinutes(5)), false);
        exec.execute(plan("sec"), at("r1", "i-1", Duration.ofMinutes(9)), false);
        exec.execute(plan("sec"), at("r2", "i-9", Duration.ofMinutes(9)), false); // sent, nothing grouped: never flushed
        assertThat(exec.flushDue(T0.plus(Duration.ofMinutes(14)))).isEmpty(); // window not over yet
        assertThat(slack.sent).hasSize(2);

        List<ActionResult> due = exec.flushDue(T0.plus(Duration.ofMinutes(15)));
        assertThat(due).hasSize(1);
        assertThat(due.get(0).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(due.get(0).detail()).isEqualTo("notified sec of 2 grouped finding(s) (slack: 1 message(s) posted)");
        Notice n = slack.sent.get(2);
        assertThat(n.finding().time()).isEqualTo(T0.plus(Duration.ofMinutes(9))); // the latest grouped finding
        assertThat(n.groupedBefore()).isEqualTo(1);
        assertThat(exec.flushDue(T0.plus(Duration.ofHours(1)))).isEmpty(); // reported once
        // the group is closed: the next finding is sent
        assertThat(exec.execute(plan("sec"), at("r1", "i-1", Duration.ofMinutes(16)), false).status()).isEqualTo(ActionStatus.APPLIED);
    }

    @Test
    void aFailedFlushIsKeptForTheNextOne() {
        exec.execute(plan("sec"), at("r1", "i-1", Duration.ZERO), false);
        exec.execute(plan("sec"), at("r1", "i-1", Duration.ofMinutes(1)), false);
        slack.failing = true;
        List<ActionResult> failed = exec.flushDue(T0.plus(Duration.ofMinutes(20)));
        assertThat(failed).extracting(ActionResult::status).containsExactly(ActionStatus.FAILED);
        slack.failing = false;
        assertThat(exec.flushDue(T0.plus(Duration.ofMinutes(21)))).extracting(ActionResult::status).containsExactly(ActionStatus.APPLIED);
        assertThat(slack.sent).hasSize(2);
    }

    @Test
    void failedDeliveryStartsNoGroupSoTheNextFindingIsSent() {
        slack.failing = true;
        ActionResult r = exec.execute(plan("sec"), at("r1", "i-1", Duration.ZERO), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("notify sec failed: slack: HTTP 500 after 4 attempts");
        slack.failing = false;
        assertThat(exec.execute(plan("sec"), at("r1", "i-1", Duration.ofMinutes(1)), false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(slack.sent).hasSize(1);
    }

    @Test
    void aThrowingNotifierIsAFailedResultNotAnException() {
        Notifier boom = (t, n) -> { throw new IllegalStateException("http://secret.example/hook"); };
        var e = new NotifyExecutor(targets, Map.of("slack", boom), Duration.ofMinutes(15));
        ActionResult r = e.execute(plan("sec"), at("r1", "i-1", Duration.ZERO), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("notify sec failed: slack: IllegalStateException").doesNotContain("secret");
    }

    @Test
    void zeroWindowGroupsNothing() {
        var e = new NotifyExecutor(targets, Map.of("slack", slack), Duration.ZERO);
        e.execute(plan("sec"), at("r1", "i-1", Duration.ZERO), false);
        assertThat(e.execute(plan("sec"), at("r1", "i-1", Duration.ZERO), false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(slack.sent).hasSize(2);
    }

    @Test
    void stdoutTargetPrintsOneLineValues() {
        var buf = new ByteArrayOutputStream();
        var t = Map.of("out", new TargetDef("out", "stdout", Severity.INFO, Map.of()));
        var e = new NotifyExecutor(t, Map.of("stdout", new StdoutNotifier(new PrintStream(buf, true, StandardCharsets.UTF_8))), Duration.ofMinutes(15));
        ActionResult r = e.execute(plan("out"), NotifyFixtures.hostile(), false);
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("== vigil [HIGH] sg-open-ssh on sg-0123456789abcdef0\n").contains("who: <@channel> &  *fake*\n");
        assertThat(text.lines()).noneMatch(l -> l.startsWith("*fake*"));
    }
}
