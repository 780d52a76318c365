package dev.vigil.lambda;

import dev.vigil.core.engine.Timer;
import dev.vigil.core.policy.PolicyDef;
import dev.vigil.scenario.bastion.BastionWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The daily schedule (ScheduleHandler) as a safety net for bastion-watch's daily-report timer, which the detector
 * re-arms each day as a one-time schedule. At the scheduled time, each bastion-watch policy's pending daily timer
 * is fired if it is due (the same key as the timer function's, so whichever of the two comes first makes the report
 * and the other is a duplicate); a missing one (never set, or the chain was broken) is fired at the tick, which
 * makes the report and sets the next. A pending timer due later means today's has fired already.
 */
final class DailyReports {
    /** The cron fires on the minute; the one-time schedule is due on the same instant. */
    static final Duration SLACK = Duration.ofMinutes(1);

    private DailyReports() {}

    /** Returns how many daily timers fired. */
    static int fire(Wiring w, Instant tick) {
        int fired = 0;
        for (PolicyDef d : w.policies.enabled()) {
            if (!BastionWatch.NAME.equals(d.detector())) continue;
            Optional<Timer> pending = w.store.store().timers().get(d.name(), BastionWatch.DAILY_TIMER);
            if (pending.isPresent() && pending.get().due().isAfter(tick.plus(SLACK))) continue;
            Timer t = pending.orElseGet(() -> new Timer(d.name(), BastionWatch.DAILY_TIMER, tick, Map.of()));
            if (w.pipeline.fireTimer(t, w.store.timerInbox())) fired++;
        }
        return fired;
    }
}
