package dev.vigil.scenario.bastion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Interest;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.InstanceStateChange;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.InstanceInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Bastion watch's state: what is known of each bastion (state, launch time, name), the tags learnt from CloudTrail,
 * and the last observed set of bastions. Timers carry what they need (instance, launch time), so that a timer
 * fired after a restart can be checked against a fresh look-up.
 */
final class BastionDetector implements Detector {
    private static final Interest INTEREST = Interest.of(Set.of(InstanceStateChange.class, CloudTrailCall.class, dev.vigil.core.event.ScheduledTick.class),
            Set.of("RunInstances", "CreateTags", "DeleteTags"));
    private static final Set<String> DOWN = Set.of("stopping", "stopped", "shutting-down", "terminated");
    private static final int MAX_TRACKED = 100_000;

    private final BastionWatch.Settings s;
    /** Known state of instances seen in events (bastion or not: a tag can arrive later). */
    private final Map<InstanceId, Known> known = new HashMap<>();
    private TreeSet<String> observed;
    private TreeSet<String> baseline;
    private boolean reportScheduled;

    private static final class Known {
        String state;
        Instant launch;
        boolean launchFromEvent;
        Map<String, String> tags;
        AccountId account;
        Region region;
    }

    BastionDetector(BastionWatch.Settings settings) {
        this.s = settings;
    }

    @Override
    public Interest interest() {
        return INTEREST;
    }

    @Override
    public void onEvent(SecurityEvent event, DetectorContext ctx) {
        if (s.report() && !reportScheduled) {
            ctx.schedule("daily-report", nextReport(ctx.now()), Map.of());
            reportScheduled = true;
        }
        if (observed == null) {
            observed = baseline = bastions(ctx);
            reconcile(ctx);
        }
        switch (event) {
            case InstanceStateChange e -> stateChange(e, ctx);
            case CloudTrailCall c when !c.failed() && "ec2.amazonaws.com".equals(c.eventSource()) -> call(c, ctx);
            default -> { }
        }
    }

    // ---- state changes ------------------------------------------------------------------------------------------

    private void stateChange(InstanceStateChange e, DetectorContext ctx) {
        Known k = known(e.instance());
        String before = k.state;
        k.state = e.state();
        if (e.account() != null) k.account = e.account();
        if (e.region() != null) k.region = e.region();
        if (!isBastion(e.instance(), ctx)) return;
        if ("running".equals(e.state())) {
            Instant launch = launchTime(e.instance(), k, e.time(), ctx);
            FindingDraft d = base(BastionWatch.RUNNING, Severity.INFO, e.instance(), k, ctx).from(e)
                    .summary("bastion " + label(e.instance(), ctx) + " is running (launched " + launch + ")");
            if (k.launchFromEvent) d.fact("launch-time-source", "the running event (no launch time in the inventory or CloudTrail)");
            ctx.report(d);
            scheduleUptime(e.instance(), launch, ctx);
        } else if (DOWN.contains(e.state())) {
            ctx.cancel(timerKey(e.instance()));
            if (before == null || !DOWN.contains(before) || "terminated".equals(e.state())) {
                Duration ran = k.launch == null ? null : Duration.between(k.launch, e.time());
                ctx.report(base(BastionWatch.STOPPED, Severity.INFO, e.instance(), k, ctx).from(e)
                        .fact("running-time", HumanTime.of(ran))
                        .summary("bastion " + label(e.instance(), ctx) + " is " + e.state()
                                + (ran == null ? "" : " after running " + HumanTime.of(ran))));
            }
            k.launch = null; // a later start counts from its new launch time
            if (wentDown.size() < MAX_TRACKED) wentDown.add(e.instance());
        }
        if ("terminated".equals(e.state()) || "running".equals(e.state()) || "pending".equals(e.state())) countCheck(ctx, e.time(), e);
    }

    /** Bastions the inventory shows running when the input starts get their timers (as live mode does on start). */
    private void reconcile(DetectorContext ctx) {
        for (InstanceInfo i : ctx.inventory().instances()) {
            if (i.running() && i.launchTime() != null && isBastion(i.id(), ctx) && ctx.timer(timerKey(i.id())).isEmpty()) {
                Known k = known(i.id());
                k.state = "running";
                k.launch = i.launchTime();
                scheduleUptime(i.id(), i.launchTime(), ctx);
            }
        }
    }

    /** Due at launch + threshold, or now when that is already past (a bastion first seen long after its launch). */
    private void scheduleUptime(InstanceId id, Instant launch, DetectorContext ctx) {
        Instant due = launch.plus(s.threshold());
        if (due.isBefore(ctx.now())) due = ctx.now();
        ctx.schedule(timerKey(id), due, Map.of("instance", id.value(), "launch", launch.toString()));
    }

    /**
     * The launch time of this run: CloudTrail's RunInstances when seen, else the inventory's (DescribeInstances) unless
     * the instance was seen going down since (then this is a new start), else the running event's own time.
     */
    private Instant launchTime(InstanceId id, Known k, Instant runningAt, DetectorContext ctx) {
        if (k.launch != null && !k.launch.isAfter(runningAt)) return k.launch;
        InstanceInfo info = ctx.inventory().instance(id).orElse(null);
        Instant inv = info == null || !info.running() ? null : info.launchTime(); // a stopped one's LaunchTime is its last run
        if (inv != null && !inv.isAfter(runningAt) && !wentDown.contains(id)) {
            k.launch = inv;
            k.launchFromEvent = false;
        } else {
            k.launch = runningAt;
            k.launchFromEvent = true;
        }
        return k.launch;
    }

    private final Set<InstanceId> wentDown = new java.util.HashSet<>();

    // ---- CloudTrail: tags and launches ---------------------------------------------------------------------------

    private void call(CloudTrailCall c, DetectorContext ctx) {
        JsonNode req = c.requestParameters();
        switch (c.eventName()) {
            case "RunInstances" -> {
                Map<String, String> tags = new LinkedHashMap<>();
                for (JsonNode spec : items(req.path("tagSpecificationSet"))) {
                    if (!"instance".equals(spec.path("resourceType").asText("instance"))) continue;
                    for (JsonNode t : items(spec.path("tags"))) tags.put(t.path("key").asText(), t.path("value").asText(""));
                }
                boolean bastion = false;
                for (JsonNode i : items(c.responseElements().path("instancesSet"))) {
                    InstanceId id;
                    try {
                        id = InstanceId.orNull(i.path("instanceId").asText(null));
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    if (id == null) continue;
                    Known k = known(id);
                    k.tags = new LinkedHashMap<>(tags);
                    k.launch = launch(i.path("launchTime"), c.time());
                    k.launchFromEvent = false;
                    k.account = c.account();
                    k.region = c.region();
                    if (k.state == null) k.state = "pending";
                    bastion |= isBastion(id, ctx);
                }
                if (bastion) countCheck(ctx, c.time(), c); // only a bastion launch can change the count
            }
            case "CreateTags", "DeleteTags" -> {
                Map<String, String> tags = new LinkedHashMap<>();
                for (JsonNode t : items(req.path("tagSet"))) tags.put(t.path("key").asText(), t.path("value").isMissingNode() ? null : t.path("value").asText(""));
                boolean changed = false;
                for (JsonNode r : items(req.path("resourcesSet"))) {
                    InstanceId id;
                    try {
                        id = InstanceId.orNull(r.path("resourceId").asText(null));
                    } catch (IllegalArgumentException e) {
                        continue; // not an instance
                    }
                    if (id == null) continue;
                    boolean was = isBastion(id, ctx);
                    Known k = known(id);
                    if (k.tags == null) k.tags = new LinkedHashMap<>(ctx.inventory().instance(id).map(InstanceInfo::tags).orElse(Map.of()));
                    if ("CreateTags".equals(c.eventName())) {
                        tags.forEach((key, v) -> k.tags.put(key, v == null ? "" : v));
                    } else {
                        tags.forEach((key, v) -> {
                            if (v == null || v.equals(k.tags.get(key))) k.tags.remove(key);
                        });
                    }
                    if (k.account == null) k.account = c.account();
                    if (k.region == null) k.region = c.region();
                    changed |= was != isBastion(id, ctx);
                }
                if (changed) countCheck(ctx, c.time(), c);
            }
            default -> { }
        }
    }

    private static Instant launch(JsonNode n, Instant fallback) {
        if (n.isNumber()) return Instant.ofEpochMilli(n.asLong());
        if (n.isTextual()) {
            try {
                return Instant.parse(n.asText());
            } catch (java.time.format.DateTimeParseException e) {
                return fallback;
            }
        }
        return fallback;
    }

    // ---- timers -------------------------------------------------------------------------------------------------

    @Override
    public void onTimer(Timer timer, DetectorContext ctx) {
        if (timer.key().equals("daily-report")) {
            dailyReport(ctx);
            ctx.schedule("daily-report", nextReport(ctx.now().plusSeconds(60)), Map.of());
            return;
        }
        InstanceId id = InstanceId.of(timer.data().get("instance"));
        Instant launch = Instant.parse(timer.data().get("launch"));
        Known k = known.get(id);
        boolean running = k != null ? "running".equals(k.state)
                : ctx.inventory().instance(id).map(InstanceInfo::running).orElse(false); // after a restart: look it up
        if (!running || !isBastion(id, ctx) || (k != null && k.launch != null && !k.launch.equals(launch))) return;
        Duration ran = Duration.between(launch, ctx.now());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("Action", "StopInstances");
        params.put("InstanceId", List.of(id.value()));
        Map<String, Object> undo = new LinkedHashMap<>();
        undo.put("Action", "StartInstances");
        undo.put("InstanceId", List.of(id.value()));
        ctx.report(base(BastionWatch.UPTIME, Severity.HIGH, id, k, ctx).time(ctx.now())
                .fact("running-time", HumanTime.of(ran)).fact("threshold", HumanTime.of(s.threshold()))
                .summary("bastion " + label(id, ctx) + " has been running for " + HumanTime.of(ran) + " since its launch at " + launch
                        + " (threshold " + HumanTime.of(s.threshold()) + ")")
                .propose(new ActionPlan(BastionWatch.STOP_INSTANCE, id.value(), params, "stop bastion " + id + " after " + HumanTime.of(ran),
                        BastionWatch.STOP_INSTANCE + ":" + id + ":" + launch, true, undo)));
        ctx.schedule(timerKey(id), ctx.now().plus(s.repeat()), timer.data());
    }

    private void dailyReport(DetectorContext ctx) {
        TreeMap<String, String> lines = new TreeMap<>();
        for (InstanceId id : bastionIds(ctx)) {
            Known k = known.get(id);
            InstanceInfo inv = ctx.inventory().instance(id).orElse(null);
            String state = k != null && k.state != null ? k.state : inv != null ? inv.state() : "unknown";
            if ("terminated".equals(state)) continue;
            Instant launch = k != null && k.launch != null ? k.launch : inv != null ? inv.launchTime() : null;
            String ran = "running".equals(state) && launch != null ? ", running for " + HumanTime.of(Duration.between(launch, ctx.now())) : "";
            lines.put(id.value(), label(id, ctx) + ": " + state + ran);
        }
        FindingDraft d = FindingDraft.of(BastionWatch.REPORT, Severity.INFO).time(ctx.now()).resource("bastions")
                .summary(lines.size() + " bastion(s): " + (lines.isEmpty() ? "none" : String.join("; ", lines.values())));
        lines.forEach(d::fact);
        ctx.report(d);
        TreeSet<String> now = bastions(ctx);
        if (s.expectedCount() != null && now.size() != s.expectedCount()) {
            reportCount(ctx, ctx.now(), null, baseline, now, "at the daily report");
        }
    }

    private java.time.Instant nextReport(Instant after) {
        ZonedDateTime local = after.atZone(s.zone());
        ZonedDateTime at = ZonedDateTime.of(local.toLocalDate(), s.reportTime(), s.zone());
        if (!at.toInstant().isAfter(after)) at = ZonedDateTime.of(local.toLocalDate().plusDays(1), s.reportTime(), s.zone());
        return at.toInstant();
    }

    // ---- count integrity ----------------------------------------------------------------------------------------

    private void countCheck(DetectorContext ctx, Instant at, SecurityEvent cause) {
        TreeSet<String> now = bastions(ctx);
        if (now.equals(observed)) return;
        TreeSet<String> before = observed;
        observed = now;
        if (s.expectedCount() == null || now.size() != s.expectedCount()) reportCount(ctx, at, cause, before, now, "after " + describe(cause));
    }

    private void reportCount(DetectorContext ctx, Instant at, SecurityEvent cause, Set<String> before, Set<String> now, String when) {
        TreeSet<String> added = new TreeSet<>(now);
        added.removeAll(before);
        TreeSet<String> removed = new TreeSet<>(before);
        removed.removeAll(now);
        FindingDraft d = FindingDraft.of(BastionWatch.COUNT, Severity.HIGH);
        if (cause != null) d.from(cause);
        d.time(at).resource("bastions").fact("count", now.size()).fact("expected", s.expectedCount())
                .fact("added", String.join(", ", added)).fact("removed", String.join(", ", removed))
                .summary("bastion count is " + now.size() + (s.expectedCount() == null ? " (was " + before.size() + ")" : " (expected " + s.expectedCount() + ")")
                        + (added.isEmpty() ? "" : "; added " + String.join(", ", added)) + (removed.isEmpty() ? "" : "; removed " + String.join(", ", removed))
                        + " " + when);
        ctx.report(d);
    }

    private static String describe(SecurityEvent e) {
        if (e instanceof CloudTrailCall c) return c.eventName();
        if (e instanceof InstanceStateChange s) return "state " + s.state() + " of " + s.instance();
        return e == null ? "a change" : e.kind();
    }

    /** Ids of the bastions that exist (not terminated): from the inventory and what events taught. */
    private TreeSet<String> bastions(DetectorContext ctx) {
        TreeSet<String> out = new TreeSet<>();
        for (InstanceId id : bastionIds(ctx)) {
            Known k = known.get(id);
            String state = k != null && k.state != null ? k.state : ctx.inventory().instance(id).map(InstanceInfo::state).orElse(null);
            if (!"terminated".equals(state) && !"shutting-down".equals(state)) out.add(id.value());
        }
        return out;
    }

    private List<InstanceId> bastionIds(DetectorContext ctx) {
        TreeSet<InstanceId> ids = new TreeSet<>(s.listed()); // only bastions are sorted: there are few of them
        for (InstanceInfo i : ctx.inventory().instances()) if (isBastion(i.id(), ctx)) ids.add(i.id());
        for (InstanceId id : known.keySet()) if (isBastion(id, ctx)) ids.add(id);
        return new ArrayList<>(ids);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private boolean isBastion(InstanceId id, DetectorContext ctx) {
        if (s.listed().contains(id)) return true;
        Known k = known.get(id);
        Map<String, String> tags = k != null && k.tags != null ? k.tags : ctx.inventory().instance(id).map(InstanceInfo::tags).orElse(Map.of());
        String v = tags.get(s.tagKey());
        return v != null && v.equalsIgnoreCase(s.tagValue());
    }

    private Known known(InstanceId id) {
        Known k = known.get(id);
        if (k == null) {
            if (known.size() >= MAX_TRACKED) known.clear(); // bounded: the inventory and later events rebuild it
            k = new Known();
            known.put(id, k);
        }
        return k;
    }

    private String name(InstanceId id, DetectorContext ctx) {
        Known k = known.get(id);
        if (k != null && k.tags != null && k.tags.get("Name") != null) return k.tags.get("Name");
        return ctx.inventory().instance(id).map(InstanceInfo::name).orElse(null);
    }

    private String label(InstanceId id, DetectorContext ctx) {
        String n = name(id, ctx);
        return n == null ? id.value() : id + " (" + n + ")";
    }

    private FindingDraft base(String rule, Severity sev, InstanceId id, Known k, DetectorContext ctx) {
        InstanceInfo inv = ctx.inventory().instance(id).orElse(null);
        AccountId account = k != null && k.account != null ? k.account : inv == null ? null : inv.account();
        Region region = k != null && k.region != null ? k.region : inv == null ? null : inv.region();
        Instant launch = k != null && k.launch != null ? k.launch : inv == null ? null : inv.launchTime();
        return FindingDraft.of(rule, sev).resource(id.value()).account(account).region(region)
                .fact("instance", id.value()).fact("name", name(id, ctx)).fact("account", account).fact("region", region)
                .fact("launch-time", launch);
    }

    private static String timerKey(InstanceId id) {
        return "uptime:" + id;
    }

    private static Iterable<JsonNode> items(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return List.of();
        if (n.isArray()) return n;
        JsonNode i = n.path("items");
        return i.isArray() ? i : List.of();
    }
}
