package dev.vigil.scenario.bastion;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Interest;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.InstanceStateChange;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.scenario.bastion.Notices.View;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bastion watch over state-change notifications and EC2 CloudTrail calls. Timers: {@code uptime:<instance>} per
 * running bastion (its data: instance, launch time and source, alerts so far) and one {@code daily-report} (its data:
 * the count expectation and reference). Everything a timer needs when it fires is in its data or re-derived from the
 * inventory, so timers survive a restart of the detector.
 */
final class BastionDetector implements Detector {
    static final String DAILY = BastionWatch.DAILY_TIMER;
    static final String UPTIME = "uptime:";
    private static final String EC2 = "ec2.amazonaws.com";
    private static final Set<String> STATES = Set.of("pending", "running", "stopping", "stopped", "shutting-down", "terminated");
    private static final Interest INTEREST = Interest.of(Set.of(InstanceStateChange.class, CloudTrailCall.class),
            Set.of("RunInstances", "CreateTags", "DeleteTags", "TerminateInstances"));

    private final BastionSettings s;
    private final Fleet fleet;
    private final CountWatch count;
    private final TagChanges tags;
    private boolean started;

    BastionDetector(BastionSettings settings) {
        this.s = settings;
        this.fleet = new Fleet(settings);
        this.count = new CountWatch(settings.expectedCount());
        this.tags = new TagChanges(settings, fleet);
    }

    @Override
    public Interest interest() {
        return INTEREST;
    }

    @Override
    public void onEvent(SecurityEvent event, DetectorContext ctx) {
        start(ctx, null);
        switch (event) {
            case InstanceStateChange sc -> stateChange(sc, ctx);
            case CloudTrailCall c when !c.failed() && EC2.equals(c.eventSource()) -> call(c, ctx);
            default -> { }
        }
    }

    /** A live start: the running bastions the inventory shows get their uptime timers (kept if they survive). */
    @Override
    public void onStart(DetectorContext ctx) {
        start(ctx, null);
    }

    @Override
    public void onTimer(Timer timer, DetectorContext ctx) {
        start(ctx, DAILY.equals(timer.key()) ? timer : null);
        if (DAILY.equals(timer.key())) daily(timer, ctx);
        else if (timer.key().startsWith(UPTIME)) uptime(timer, ctx);
    }

    /**
     * The first event (or, after a restart, the first timer): the daily-report timer is set unless it survives from
     * before, the count is taken, and bastions the inventory shows running get their uptime timer from their launch.
     */
    private void start(DetectorContext ctx, Timer firingDaily) {
        if (started) return;
        started = true;
        Inventory inv = ctx.inventory();
        TreeSet<InstanceId> set = fleet.bastions(inv);
        Optional<Timer> saved = firingDaily != null ? Optional.of(firingDaily) : ctx.timer(DAILY);
        if (saved.isPresent()) {
            count.restore(saved.get().data(), set, ctx.now());
        } else {
            count.start(set, ctx.now());
            ctx.schedule(DAILY, s.schedule().next(ctx.now()), count.data());
            count.initial().ifPresent(v -> reportCount(ctx, v, null, "first check"));
        }
        armRunning(set, ctx);
    }

    private void armRunning(TreeSet<InstanceId> set, DetectorContext ctx) {
        for (InstanceId id : set) {
            Launch launch = fleet.currentLaunch(id, ctx.inventory());
            if (launch != null && ctx.timer(UPTIME + id).isEmpty()) arm(ctx, id, launch, 0);
        }
    }

    private void stateChange(InstanceStateChange e, DetectorContext ctx) {
        String state = e.state() == null ? "" : e.state().toLowerCase(Locale.ROOT);
        if (!STATES.contains(state)) return;
        Inventory inv = ctx.inventory();
        InstanceId id = e.instance();
        boolean countedBefore = fleet.counted(id, inv);
        Launch before = fleet.currentLaunch(id, inv);
        Fleet.Learnt l = fleet.learn(id);
        String previous = l.notified;
        if (e.account() != null) l.account = e.account();
        if (e.region() != null) l.region = e.region();
        if (state.equals("running") && !("running".equals(previous) && l.launch != null)) { // a repeat keeps its run's launch
            Launch launch = launchOf(id, l, e.time(), inv);
            l.launch = launch.time();
            l.launchSource = launch.source();
        }
        l.state = state;
        l.notified = state;
        if (fleet.bastion(id, inv)) {
            switch (state) {
                case "pending" -> { }
                case "running" -> {
                    if (!"running".equals(previous)) started(e, id, ctx);
                }
                default -> {
                    ctx.cancel(UPTIME + id);
                    if (!sameStop(previous, state)) ctx.report(Notices.stopped(e, View.of(id, fleet, inv), state, before));
                }
            }
        }
        if (countedBefore != fleet.counted(id, inv)) countChanged(ctx, Map.of(id, !countedBefore), e, state + " of " + id);
    }

    /** {@code stopped} after {@code stopping} (or terminated after shutting-down) is the same stop: reported once. */
    private static boolean sameStop(String previous, String state) {
        return state.equals(previous) || ("stopping".equals(previous) && "stopped".equals(state))
                || ("shutting-down".equals(previous) && "terminated".equals(state));
    }

    /** This run's launch time: RunInstances' or the inventory's when it fits this notification, else the notification's time. */
    private static Launch launchOf(InstanceId id, Fleet.Learnt l, Instant running, Inventory inv) {
        if (Launch.fits(l.launch, running) && Launch.RUN_INSTANCES.equals(l.launchSource)) return new Launch(l.launch, l.launchSource);
        Instant looked = Fleet.looked(id, inv).map(InstanceInfo::launchTime).orElse(null);
        if (Launch.fits(looked, running)) return new Launch(looked, Launch.INVENTORY);
        return new Launch(running, Launch.EVENT_TIME);
    }

    private void started(InstanceStateChange e, InstanceId id, DetectorContext ctx) {
        View v = View.of(id, fleet, ctx.inventory());
        Instant due = arm(ctx, id, v.launch(), 0);
        ctx.report(Notices.running(e, v, due, s.threshold()));
    }

    /** Sets the uptime timer of a run: due at launch + threshold (now, when that has passed already). */
    private Instant arm(DetectorContext ctx, InstanceId id, Launch launch, int alerts) {
        Instant due = launch.time().plus(s.threshold());
        if (due.isBefore(ctx.now())) due = ctx.now();
        ctx.schedule(UPTIME + id, due, uptimeData(id, launch, alerts));
        return due;
    }

    private static Map<String, String> uptimeData(InstanceId id, Launch launch, int alerts) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("instance", id.value());
        data.put("launch", launch.time().toString());
        data.put("launch-source", launch.source());
        data.put("alerts", Integer.toString(alerts));
        return data;
    }

    private void uptime(Timer timer, DetectorContext ctx) {
        Map<String, String> data = timer.data();
        InstanceId id = TrailCalls.instanceId(data.get("instance"));
        Instant launch = instant(data.get("launch"));
        if (id == null || launch == null) return; // not a timer this detector wrote
        Inventory inv = ctx.inventory();
        if (!fleet.bastion(id, inv)) return;
        Optional<Fleet.Learnt> l = fleet.learnt(id).filter(x -> x.state != null);
        if (l.isPresent()) {
            if (!"running".equals(l.get().state) || (l.get().launch != null && !l.get().launch.equals(launch))) return;
        } else {
            // nothing learnt (after a restart): the look-up says whether it still runs, and from which launch
            Optional<InstanceInfo> info = Fleet.looked(id, inv);
            if (info.isPresent() && info.get().state() != null && !info.get().running()) return;
            Instant now = info.map(InstanceInfo::launchTime).orElse(null);
            if (now != null && now.isAfter(launch.plus(Launch.PENDING_WINDOW))) {
                arm(ctx, id, new Launch(now, Launch.INVENTORY), 0); // stopped and started meanwhile: from the new launch
                return;
            }
        }
        int alert = parseInt(data.get("alerts")) + 1;
        Launch run = new Launch(launch, data.getOrDefault("launch-source", Launch.INVENTORY));
        View v = View.of(id, fleet, inv);
        v = new View(id, v.name(), v.account(), v.region(), "running", run);
        Instant next = timer.due().plus(s.repeat());
        ctx.report(Notices.uptime(v, ctx.now(), s.threshold(), alert, next));
        ctx.schedule(timer.key(), next, uptimeData(id, run, alert));
    }

    private void daily(Timer timer, DetectorContext ctx) {
        Inventory inv = ctx.inventory();
        TreeSet<InstanceId> set = fleet.bastions(inv);
        if (s.reportEnabled() && !set.isEmpty()) {
            List<View> views = set.stream().map(id -> View.of(id, fleet, inv)).toList();
            ctx.report(Notices.report(views, ctx.now(), s.schedule(), s.threshold()));
        }
        count.daily(set).ifPresent(v -> reportCount(ctx, v, null, "daily check"));
        armRunning(set, ctx);
        ctx.schedule(DAILY, s.schedule().next(timer.due()), count.data());
    }

    private void call(CloudTrailCall c, DetectorContext ctx) {
        TagChanges.Outcome o = switch (c.eventName()) {
            case "RunInstances" -> tags.launched(c, ctx.inventory());
            case "CreateTags" -> tags.tagged(c, ctx.inventory(), false);
            case "DeleteTags" -> tags.tagged(c, ctx.inventory(), true);
            case "TerminateInstances" -> tags.terminated(c, ctx.inventory());
            default -> TagChanges.Outcome.NONE;
        };
        for (InstanceId id : o.noLongerBastions()) ctx.cancel(UPTIME + id);
        for (InstanceId id : o.newBastions()) {
            Launch launch = fleet.currentLaunch(id, ctx.inventory());
            if (launch != null) arm(ctx, id, launch, 0);
        }
        if (!o.countFlips().isEmpty()) countChanged(ctx, o.countFlips(), c, o.cause());
    }

    /** @param flips instance -> true when it now counts, false when it no longer does */
    private void countChanged(DetectorContext ctx, Map<InstanceId, Boolean> flips, SecurityEvent cause, String why) {
        TreeSet<InstanceId> now = count.current();
        flips.forEach((id, in) -> {
            if (in) now.add(id);
            else now.remove(id);
        });
        count.changed(now).ifPresent(v -> reportCount(ctx, v, cause, why));
    }

    private void reportCount(DetectorContext ctx, CountWatch.Verdict v, SecurityEvent cause, String why) {
        Map<InstanceId, View> views = new LinkedHashMap<>();
        TreeSet<InstanceId> named = new TreeSet<>(v.bastions());
        named.addAll(v.removed());
        for (InstanceId id : named) views.put(id, View.of(id, fleet, ctx.inventory()));
        ctx.report(Notices.count(v, views, ctx.now(), cause, why));
        ctx.timer(DAILY).ifPresent(t -> ctx.schedule(DAILY, t.due(), count.data())); // the reference may have moved
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Math.max(0, Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
