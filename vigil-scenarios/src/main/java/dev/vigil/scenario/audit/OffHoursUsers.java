package dev.vigil.scenario.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.finding.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code iam-user-created-off-hours}: CreateUser outside office hours is reported at once. For a window after it
 * (a timer keyed by account and user, so it survives restarts), CreateAccessKey and AttachUserPolicy with an
 * administrator policy for that user are reported as follow-up findings of the same rule naming the creation.
 * Calls for the user logged just before its CreateUser (CloudTrail files are not in time order, and records of
 * the same second come in any order) are kept briefly and become facts of the creation's finding instead.
 */
final class OffHoursUsers {
    static final String RULE = "iam-user-created-off-hours";
    static final String TIMER = "user:";
    /** How far before CreateUser a call for that user is still taken as belonging to it. */
    static final Duration ORDER_SLACK = Duration.ofMinutes(5);
    private static final int MAX_EARLY_USERS = 10_000;

    private final OfficeHours hours;
    private final Duration window;
    private final Severity severity;
    private final Set<String> adminPolicies;
    private final AuditStats stats;
    private final Map<String, List<Context>> early;

    /** A privileged call for a user: an access key created, or an administrator policy attached. */
    record Context(Instant at, String fact, String detail, String eventId, String by) {}

    OffHoursUsers(OfficeHours hours, Duration window, Severity severity, List<String> adminPolicies, AuditStats stats) {
        this.hours = hours;
        this.window = window;
        this.severity = severity;
        this.adminPolicies = adminPolicies.stream().map(OffHoursUsers::partitionless).collect(Collectors.toUnmodifiableSet());
        this.stats = stats;
        this.early = new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Context>> eldest) {
                boolean evict = size() > MAX_EARLY_USERS;
                if (evict) stats.userEvicted();
                return evict;
            }
        };
    }

    void createUser(CloudTrailCall c, DetectorContext ctx) {
        JsonNode user = c.responseElements() == null ? null : c.responseElements().path("user");
        String name = firstNonNull(TrailJson.text(c.requestParameters(), "userName"), TrailJson.text(user, "userName"));
        if (name == null) return;
        String key = key(c, name);
        List<Context> before = early.remove(key);
        if (hours.contains(c.time())) return;
        String arn = TrailJson.text(user, "arn");
        String by = c.principal() == null ? "unknown principal" : c.principal().display();
        FindingDraft d = FindingDraft.of(RULE, severity).from(c).resource(arn != null ? arn : name).source(Sources.ip(c.sourceIp()))
                .summary("IAM user " + name + " created off hours (" + hours.local(c.time()) + ", " + hours.why(c.time()) + ") by " + by)
                .fact("user", name).fact("created-by", by).fact("local-time", hours.local(c.time()))
                .fact("office-hours", hours.describe());
        if (before != null) {
            Instant from = c.time().minus(ORDER_SLACK);
            Map<String, List<String>> facts = new LinkedHashMap<>();
            for (Context x : before) {
                if (x.at().isBefore(from)) continue;
                d.eventId(x.eventId());
                facts.computeIfAbsent(x.fact(), k -> new ArrayList<>()).add(x.detail());
            }
            facts.forEach((k, v) -> d.fact(k, String.join(", ", v)));
        }
        ctx.report(d);
        Map<String, String> data = new LinkedHashMap<>();
        data.put("event", c.id());
        data.put("user", name);
        data.put("created-by", by);
        data.put("created-at", c.time().toString());
        data.put("local-time", hours.local(c.time()));
        if (arn != null) data.put("arn", arn);
        ctx.schedule(TIMER + key, c.time().plus(window), data);
    }

    void createAccessKey(CloudTrailCall c, DetectorContext ctx) {
        JsonNode key = c.responseElements() == null ? null : c.responseElements().path("accessKey");
        // Without userName the caller creates a key for itself.
        String name = firstNonNull(TrailJson.text(c.requestParameters(), "userName"), TrailJson.text(key, "userName"),
                c.principal() == null ? null : c.principal().userName());
        if (name == null) return;
        String id = TrailJson.text(key, "accessKeyId");
        privileged(c, ctx, name, new Context(c.time(), "access-key-created", id == null ? "yes" : id, c.id(), display(c)),
                "was given access key " + (id == null ? "(id not logged)" : id));
    }

    void attachUserPolicy(CloudTrailCall c, DetectorContext ctx) {
        String name = TrailJson.text(c.requestParameters(), "userName");
        String policy = TrailJson.text(c.requestParameters(), "policyArn");
        if (name == null || policy == null || !adminPolicies.contains(partitionless(policy))) return;
        privileged(c, ctx, name, new Context(c.time(), "admin-policy-attached", policy, c.id(), display(c)),
                "was given administrator policy " + policy);
    }

    void onTimer(Timer t, DetectorContext ctx) {
        // The window has closed: nothing to report, the timer only marked it open.
    }

    private void privileged(CloudTrailCall c, DetectorContext ctx, String name, Context x, String what) {
        String key = key(c, name);
        Timer open = ctx.timer(TIMER + key).orElse(null);
        if (open == null) {
            remember(key, x);
            return;
        }
        Map<String, String> d = open.data();
        String created = d.getOrDefault("local-time", d.get("created-at"));
        String after = "";
        try {
            after = " " + Sources.human(Duration.between(Sources.instant(d.get("created-at")), c.time()).abs()) + " later";
        } catch (RuntimeException e) {
            // damaged timer data: say less
        }
        ctx.report(FindingDraft.of(RULE, severity).from(c).eventId(d.get("event")).resource(d.getOrDefault("arn", name))
                .source(Sources.ip(c.sourceIp()))
                .summary("IAM user " + name + ", created off hours (" + created + ") by " + d.get("created-by") + ", " + what
                        + after + " by " + x.by())
                .fact("user", name).fact("follow-up-of", d.get("event")).fact("created-by", d.get("created-by"))
                .fact("created-at", d.get("created-at")).fact(x.fact(), x.detail()).fact("by", x.by()));
    }

    private void remember(String key, Context x) {
        // Drop what is too old to precede any CreateUser still to come (records arrive roughly in time order).
        Instant horizon = x.at().minus(ORDER_SLACK);
        for (Iterator<List<Context>> it = early.values().iterator(); it.hasNext(); ) {
            List<Context> l = it.next();
            if (!l.get(l.size() - 1).at().isBefore(horizon)) break;
            it.remove();
        }
        List<Context> l = early.remove(key); // re-insert to keep the map in order of last call
        if (l == null) l = new ArrayList<>(2);
        if (l.size() < 16) l.add(x);
        early.put(key, l);
    }

    private static String key(CloudTrailCall c, String user) {
        return (c.account() == null ? "-" : c.account().value()) + "/" + user;
    }

    private static String display(CloudTrailCall c) {
        return c.principal() == null ? "unknown principal" : c.principal().display();
    }

    /** ARNs compare across partitions: arn:aws-us-gov:iam::aws:policy/X is the same managed policy as arn:aws:... */
    static String partitionless(String arn) {
        return arn.trim().replaceFirst("^arn:aws(-[a-z-]+)?:", "arn:aws:");
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) if (v != null) return v;
        return null;
    }
}
