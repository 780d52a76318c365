package dev.vigil.notify;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.TargetDef;
import dev.vigil.core.response.Executor;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Carries out {@code notify} plans (target = the target's name): routes by the target's type to its {@link Notifier}
 * and answers per target {@code applied}, {@code failed} (one line, never a secret), {@code planned} on dry-run, or
 * {@code skipped} when grouped.
 *
 * <p>Grouping, per target (not for the {@link #UNGROUPED} types): a finding of the same rule on the same resource within {@code window} (event time, the
 * finding's time, measured from the group's first finding) of one already sent is not sent; it is counted and
 * {@code skipped} "grouped with ...". The count is delivered with the next notification sent for that target, rule
 * and resource (after the window): {@link Notice#groupedBefore()}, shown as a line in Slack, email and SNS and as
 * {@code grouped.count} in webhook JSON; or, when no such finding comes, by {@link #flushDue}, which a daemon calls
 * on a timer. A failed delivery starts no group, so the next finding is sent again.
 *
 * <p>Calls are serialized per target (one delivery at a time to a target), so two findings of one group never both go
 * out, while a target that hangs holds up no other target's deliveries (each target has its delivery worker).
 */
public final class NotifyExecutor implements Executor {
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    /** Expired groups with nothing left to report are dropped beyond this many, bounding memory. */
    private static final int MAX_GROUPS = 10_000;

    private final Map<String, TargetDef> targets;
    private final Map<String, Notifier> byType;
    private final Duration window;
    /** Read and changed under the lock of the key's target. */
    private final Map<GroupKey, Group> groups = new java.util.concurrent.ConcurrentHashMap<>();
    /** One lock per target name: deliveries to one target are serialized, to different targets concurrent. */
    private final Map<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();
    /** Target types that keep every finding (a findings store, not a person's inbox): never grouped. */
    static final java.util.Set<String> UNGROUPED = java.util.Set.of("securityhub");

    private record GroupKey(String target, String rule, String resource) {}

    /**
     * {@code start}: the first finding's time; {@code grouped}: findings counted since, not yet reported;
     * {@code last}: the latest of them (null when none), what {@link #flushDue} reports.
     */
    private record Group(Instant start, int grouped, Finding last) {}

    public NotifyExecutor(Map<String, TargetDef> targets, Map<String, Notifier> byType, Duration window) {
        if (window.isNegative()) throw new IllegalArgumentException("window < 0");
        this.targets = Map.copyOf(targets);
        this.byType = Map.copyOf(byType);
        this.window = window;
    }

    private Object lock(String target) {
        return locks.computeIfAbsent(target, t -> new Object());
    }

    @Override
    public ActionResult execute(ActionPlan plan, Finding finding, boolean dryRun) {
        if (!"notify".equals(plan.type())) return ActionResult.of(plan, ActionStatus.FAILED, "not a notify plan: " + plan.type());
        TargetDef t = targets.get(plan.target());
        if (t == null) return ActionResult.of(plan, ActionStatus.FAILED, "unknown notification target " + plan.target());
        Notifier n = byType.get(t.type());
        if (n == null) return ActionResult.of(plan, ActionStatus.FAILED, "no notifier for target type " + t.type());
        if (dryRun) return ActionResult.of(plan, ActionStatus.PLANNED, "dry-run: would notify " + t.name() + " (" + t.type() + ")");

        synchronized (lock(t.name())) {
            return UNGROUPED.contains(t.type()) ? deliver(plan, t, n, Notice.of(finding)) : grouped(plan, finding, t, n);
        }
    }

    private ActionResult grouped(ActionPlan plan, Finding finding, TargetDef t, Notifier n) {
        GroupKey key = new GroupKey(t.name(), finding.rule(), finding.resource() == null ? "-" : finding.resource());
        Group g = groups.get(key);
        if (g != null && Duration.between(g.start(), finding.time()).abs().compareTo(window) < 0) {
            Group counted = new Group(g.start(), g.grouped() + 1, finding);
            groups.put(key, counted);
            return ActionResult.of(plan, ActionStatus.SKIPPED, "grouped with " + finding.rule() + " on " + key.resource()
                    + " notified at " + g.start() + " (" + counted.grouped() + " grouped so far)");
        }
        Notice notice = g == null ? Notice.of(finding) : new Notice(finding, g.grouped(), g.start());
        Delivery d;
        try {
            d = n.send(t, notice);
        } catch (RuntimeException e) { // the Responder does not catch for notify: never let one target break the finding
            d = Delivery.failed(t.type() + ": " + e.getClass().getSimpleName(), 0);
        }
        if (!d.ok()) return ActionResult.of(plan, ActionStatus.FAILED, "notify " + t.name() + " failed: " + d.detail());
        groups.put(key, new Group(finding.time(), 0, null));
        evict(finding.time());
        String extra = notice.groupedBefore() == 0 ? "" : ", reporting " + notice.groupedBefore() + " grouped finding(s)";
        return ActionResult.of(plan, ActionStatus.APPLIED, "notified " + t.name() + " (" + d.detail() + extra + ")");
    }

    private static ActionResult deliver(ActionPlan plan, TargetDef t, Notifier n, Notice notice) {
        Delivery d;
        try {
            d = n.send(t, notice);
        } catch (RuntimeException e) {
            d = Delivery.failed(t.type() + ": " + e.getClass().getSimpleName(), 0);
        }
        if (!d.ok()) return ActionResult.of(plan, ActionStatus.FAILED, "notify " + t.name() + " failed: " + d.detail());
        return ActionResult.of(plan, ActionStatus.APPLIED, "notified " + t.name() + " (" + d.detail() + ")");
    }

    /**
     * Reports the groups whose window has ended at {@code now} (event time) with findings still counted: each is sent
     * as one notice of its latest finding with the count, and the group is closed. Returns one result per target
     * notified; a failed one keeps its group for the next flush.
     */
    public java.util.List<ActionResult> flushDue(Instant now) {
        java.util.List<ActionResult> out = new java.util.ArrayList<>();
        for (GroupKey k : java.util.List.copyOf(groups.keySet())) {
            synchronized (lock(k.target())) {
                flush(k, now, out);
            }
        }
        return out;
    }

    private void flush(GroupKey k, Instant now, java.util.List<ActionResult> out) {
        Group g = groups.get(k);
        if (g == null || g.grouped() == 0 || Duration.between(g.start(), now).compareTo(window) < 0) return;
        TargetDef t = targets.get(k.target());
        ActionPlan plan = new ActionPlan("notify", t.name(), Map.of("target_type", t.type()), "notify " + t.name(), null, false);
        Delivery d;
        try {
            d = byType.get(t.type()).send(t, new Notice(g.last(), g.grouped() - 1, g.start()));
        } catch (RuntimeException ex) {
            d = Delivery.failed(t.type() + ": " + ex.getClass().getSimpleName(), 0);
        }
        if (d.ok()) groups.remove(k, g);
        out.add(ActionResult.of(plan, d.ok() ? ActionStatus.APPLIED : ActionStatus.FAILED, (d.ok() ? "notified " : "notify failed ")
                + t.name() + " of " + g.grouped() + " grouped finding(s) (" + d.detail() + ")"));
    }

    private void evict(Instant now) {
        if (groups.size() <= MAX_GROUPS) return;
        for (Map.Entry<GroupKey, Group> e : groups.entrySet()) { // another target's may change meanwhile: removed only as seen
            Group g = e.getValue();
            if (g.grouped() == 0 && Duration.between(g.start(), now).abs().compareTo(window) >= 0) groups.remove(e.getKey(), g);
        }
    }
}
