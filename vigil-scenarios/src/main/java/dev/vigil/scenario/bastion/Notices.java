package dev.vigil.scenario.bastion;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.Inventory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** The watch's findings, with the facts every notification carries: id, Name tag, account, region, launch, running time. */
final class Notices {
    private Notices() {}

    /** One bastion as a notification shows it; {@code launch} is the current run's, null when not running or unknown. */
    record View(InstanceId id, String name, AccountId account, Region region, String state, Launch launch) {
        static View of(InstanceId id, Fleet fleet, Inventory inv) {
            return new View(id, fleet.name(id, inv), fleet.account(id, inv), fleet.region(id, inv), fleet.state(id, inv),
                    fleet.currentLaunch(id, inv));
        }

        String label() {
            return name == null || name.isBlank() ? id.value() : name + " (" + id + ")";
        }

        Duration running(Instant now) {
            return launch == null ? null : Duration.between(launch.time(), now);
        }
    }

    static FindingDraft running(SecurityEvent e, View v, Instant alertAt, Duration threshold) {
        FindingDraft d = FindingDraft.of(BastionWatch.RUNNING, Severity.INFO).from(e).resource(v.id().value())
                .summary("bastion " + v.label() + " is running " + (Launch.EVENT_TIME.equals(v.launch().source())
                        ? "(launch time unknown: counted from this notification)" : "(launched " + v.launch().time() + ")")
                        + "; uptime alert at " + alertAt + " (" + HumanTime.of(threshold) + ")");
        instance(d, v, e.time(), e);
        return d.fact("uptime-alert-at", alertAt);
    }

    static FindingDraft stopped(SecurityEvent e, View v, String state, Launch ran) {
        Duration time = ran == null ? null : Duration.between(ran.time(), e.time());
        FindingDraft d = FindingDraft.of(BastionWatch.STOPPED, Severity.INFO).from(e).resource(v.id().value())
                .summary("bastion " + v.label() + " is " + state + (time == null ? "" : " after running " + HumanTime.of(time)));
        instance(d, new View(v.id(), v.name(), v.account(), v.region(), state, ran), e.time(), e);
        return d;
    }

    static FindingDraft uptime(View v, Instant now, Duration threshold, int alert, Instant next) {
        String runningFor = HumanTime.of(v.running(now));
        FindingDraft d = FindingDraft.of(BastionWatch.UPTIME, Severity.HIGH).time(now).resource(v.id().value())
                .account(v.account()).region(v.region())
                .summary("bastion " + v.label() + " has been running for " + runningFor + " since " + v.launch().time()
                        + " (threshold " + HumanTime.of(threshold) + (alert > 1 ? ", alert " + alert : "") + ")");
        instance(d, v, now, null);
        d.fact("threshold", HumanTime.of(threshold)).fact("alert", alert).fact("next-alert-at", next);
        return d.propose(stop(v, runningFor, threshold));
    }

    /** StopInstances for this run: a second alert of the same run is already-applied; undo starts it again. */
    static ActionPlan stop(View v, String runningFor, Duration threshold) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("Action", "StopInstances");
        params.put("InstanceId", List.of(v.id().value()));
        Map<String, Object> undo = new LinkedHashMap<>();
        undo.put("Action", "StartInstances");
        undo.put("InstanceId", List.of(v.id().value()));
        return new ActionPlan(BastionWatch.STOP_INSTANCE, v.id().value(), params,
                "stop bastion " + v.label() + ": running " + runningFor + ", over " + HumanTime.of(threshold),
                BastionWatch.STOP_INSTANCE + ":" + v.id() + ":" + v.launch().time(), true, undo);
    }

    static FindingDraft report(List<View> bastions, Instant now, DailySchedule schedule, Duration threshold) {
        long running = bastions.stream().filter(v -> "running".equals(v.state())).count();
        List<String> lines = new ArrayList<>();
        List<String> over = new ArrayList<>();
        for (View v : bastions) {
            lines.add(v.label() + " " + line(v, now));
            Duration r = v.running(now);
            if (r != null && r.compareTo(threshold) >= 0) over.add(v.label());
        }
        FindingDraft d = FindingDraft.of(BastionWatch.REPORT, Severity.INFO).time(now)
                .account(common(bastions, View::account)).region(common(bastions, View::region))
                .summary("daily bastion report (" + schedule.describe() + "): " + bastions.size() + " bastion"
                        + (bastions.size() == 1 ? "" : "s") + ", " + running + " running: " + String.join("; ", lines));
        d.fact("bastions", bastions.size()).fact("running", running);
        if (!over.isEmpty()) d.fact("over-threshold", String.join(", ", over));
        for (View v : bastions) {
            d.fact(v.id().value(), (v.name() == null ? "" : v.name() + ", ") + line(v, now)
                    + (v.account() == null ? "" : ", account " + v.account()) + (v.region() == null ? "" : ", " + v.region()));
        }
        return d;
    }

    private static String line(View v, Instant now) {
        String state = v.state() == null ? "state unknown" : v.state();
        if (v.launch() == null) return "running".equals(v.state()) ? "running (launch time unknown)" : state;
        return state + " for " + HumanTime.of(v.running(now)) + " since " + v.launch().time();
    }

    static FindingDraft count(CountWatch.Verdict c, Map<InstanceId, View> views, Instant now, SecurityEvent cause, String why) {
        FindingDraft d = FindingDraft.of(BastionWatch.COUNT, c.severity()).time(now);
        if (cause != null) d.from(cause);
        List<View> all = c.bastions().stream().map(views::get).filter(Objects::nonNull).toList();
        d.account(common(all, View::account)).region(common(all, View::region));
        String change = (c.added().isEmpty() ? "" : "; added " + labels(c.added(), views))
                + (c.removed().isEmpty() ? "" : "; removed " + labels(c.removed(), views));
        String head = c.off() ? "bastion count is " + c.count() + ", expected " + c.expected()
                : c.wasOff() ? "bastion count is back to the expected " + c.expected()
                : "bastion count is as expected (" + c.expected() + ") but the bastions changed";
        d.summary(head + change + " (" + why + ")");
        d.fact("count", c.count()).fact("expected", c.expected()).fact("expected-from", c.expectedSource())
                .fact("bastions", labels(c.bastions(), views)).fact("checked", why);
        if (!c.added().isEmpty()) d.fact("added", labels(c.added(), views));
        if (!c.removed().isEmpty()) d.fact("removed", labels(c.removed(), views));
        return d;
    }

    private static String labels(java.util.Collection<InstanceId> ids, Map<InstanceId, View> views) {
        if (ids.isEmpty()) return "none";
        return ids.stream().map(id -> views.containsKey(id) ? views.get(id).label() : id.value()).collect(Collectors.joining(", "));
    }

    private static void instance(FindingDraft d, View v, Instant now, SecurityEvent e) {
        if (e == null || e.account() == null) d.account(v.account());
        if (e == null || e.region() == null) d.region(v.region());
        d.fact("instance", v.id()).fact("name", v.name()).fact("account", v.account()).fact("region", v.region())
                .fact("state", v.state());
        if (v.launch() != null) {
            d.fact("launch-time", v.launch().time()).fact("launch-time-source", v.launch().source())
                    .fact("running-time", HumanTime.of(v.running(now)));
        }
    }

    private static <T> T common(List<View> views, java.util.function.Function<View, T> f) {
        Set<T> values = views.stream().map(f).filter(Objects::nonNull).collect(Collectors.toSet());
        return values.size() == 1 ? values.iterator().next() : null;
    }
}
