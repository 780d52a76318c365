package dev.vigil.scenario.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.finding.Severity;
import dev.vigil.scenario.audit.TagState.TagRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ec2-missing-required-tags}. An instance launched without its required tags gets a grace period (a timer
 * keyed by instance, due in event time, whose data holds the tags known so far, so it survives restarts); CreateTags
 * and DeleteTags inside it update the timer, and it is cancelled once the instance complies. At its end the
 * instance is reported if it still does not comply. After that (or for an instance known from the inventory or
 * from earlier calls), a change that adds a problem, such as DeleteTags removing a required tag or CreateTags
 * writing a value not allowed, is reported at once. Problems already reported are not reported again.
 */
final class TagCompliance {
    static final String RULE = "ec2-missing-required-tags";
    static final String TIMER = "tags:";

    private final List<RequiredTag> required;
    private final Set<String> relevant = new HashSet<>();
    private final Duration grace;
    private final Severity severity;
    private final AuditStats stats;
    private final Map<InstanceId, Known> known;

    /** A settled instance: its tags, its launch when seen, and the problems it had at the last look. */
    private record Known(TagState state, Launch launch, Set<String> problems) {}

    TagCompliance(List<RequiredTag> required, Duration grace, Severity severity, int maxInstances, AuditStats stats) {
        this.required = List.copyOf(required);
        this.grace = grace;
        this.severity = severity;
        this.stats = stats;
        required.forEach(r -> relevant.add(r.key()));
        relevant.add("Name"); // for readable findings
        this.known = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<InstanceId, Known> eldest) {
                boolean evict = size() > maxInstances;
                if (evict) stats.instanceEvicted();
                return evict;
            }
        };
    }

    boolean active() {
        return !required.isEmpty();
    }

    void runInstances(CloudTrailCall c, DetectorContext ctx) {
        Map<String, String> requested = relevant(TrailJson.launchTags(c.requestParameters()));
        Launch launch = Launch.of(c);
        for (JsonNode item : TrailJson.items(c.responseElements(), "instancesSet")) {
            for (InstanceId id : TrailJson.instanceIds(List.of(item), "instanceId")) {
                Map<String, String> tags = new HashMap<>(requested);
                tags.putAll(relevant(TrailJson.tags(TrailJson.tagRefs(item, "tagSet"))));
                TagState state = TagState.known(tags);
                List<TagProblem> problems = TagProblem.of(state, required);
                if (problems.isEmpty()) {
                    ctx.cancel(TIMER + id);
                    known.put(id, new Known(state, launch, Set.of()));
                } else {
                    known.remove(id);
                    ctx.schedule(TIMER + id, c.time().plus(grace), state.toData(launch.toData()));
                }
            }
        }
    }

    void changeTags(CloudTrailCall c, DetectorContext ctx, boolean delete) {
        JsonNode req = c.requestParameters();
        List<InstanceId> ids = TrailJson.instanceIds(TrailJson.items(req, "resourcesSet"), "resourceId");
        if (ids.isEmpty()) return;
        List<TagRef> refs = TrailJson.tagRefs(req, "tagSet");
        boolean deleteAll = delete && refs.isEmpty(); // DeleteTags without tags removes every user tag
        List<TagRef> mine = refs.stream().filter(r -> relevant.contains(r.key())).toList();
        if (mine.isEmpty() && !deleteAll) return;
        Map<String, String> added = TrailJson.tags(mine);
        for (InstanceId id : ids) {
            Optional<Timer> pending = ctx.timer(TIMER + id);
            if (pending.isPresent()) {
                Timer t = pending.get();
                TagState next = apply(TagState.fromData(t.data()), delete, deleteAll, mine, added);
                Launch launch = Launch.fromData(t.data());
                if (TagProblem.of(next, required).isEmpty()) {
                    ctx.cancel(t.key());
                    known.put(id, new Known(next, launch, Set.of()));
                } else {
                    ctx.schedule(t.key(), t.due(), next.toData(launch.toData()));
                }
                continue;
            }
            Known before = known.get(id);
            if (before == null) before = fromInventory(id, ctx);
            TagState next = apply(before.state(), delete, deleteAll, mine, added);
            List<TagProblem> problems = TagProblem.of(next, required);
            Set<String> sigs = signatures(problems);
            if (!before.problems().containsAll(sigs)) ctx.report(changed(c, id, before.launch(), next, problems));
            known.put(id, new Known(next, before.launch(), sigs));
        }
    }

    void terminate(CloudTrailCall c, DetectorContext ctx) {
        for (InstanceId id : TrailJson.instanceIds(TrailJson.items(c.requestParameters(), "instancesSet"), "instanceId")) {
            ctx.cancel(TIMER + id);
            known.remove(id);
        }
    }

    void onTimer(Timer t, DetectorContext ctx) {
        InstanceId id = Sources.orNull(() -> InstanceId.of(t.key().substring(TIMER.length())));
        if (id == null) return;
        TagState state = TagState.fromData(t.data());
        Launch launch = Launch.fromData(t.data());
        List<TagProblem> problems = TagProblem.of(state, required);
        if (!problems.isEmpty()) ctx.report(afterGrace(t, id, launch, state, problems));
        known.put(id, new Known(state, launch, signatures(problems)));
    }

    private Known fromInventory(InstanceId id, DetectorContext ctx) {
        // Problems the inventory already shows were not seen happening: known, not reported.
        return ctx.inventory().instance(id).map(i -> TagState.known(relevant(i.tags())))
                .map(s -> new Known(s, null, signatures(TagProblem.of(s, required))))
                .orElseGet(() -> new Known(TagState.unknown(), null, Set.of()));
    }

    private static TagState apply(TagState s, boolean delete, boolean deleteAll, List<TagRef> refs, Map<String, String> added) {
        if (!delete) return s.create(added);
        return deleteAll ? TagState.cleared() : s.delete(refs);
    }

    private FindingDraft afterGrace(Timer t, InstanceId id, Launch launch, TagState state, List<TagProblem> problems) {
        String name = state.tags().get("Name");
        FindingDraft d = FindingDraft.of(RULE, severity).time(t.due()).account(launch.accountId()).region(launch.regionId())
                .resource(id.value()).source(launch.source()).eventId(launch.eventId())
                .summary(id + (name == null ? "" : " (" + name + ")") + " launched by " + orUnknown(launch.by())
                        + " still breaks the tag policy " + Sources.human(grace) + " later: " + TagProblem.describe(problems));
        return facts(d, launch, state, problems).fact("grace-period", Sources.human(grace));
    }

    private FindingDraft changed(CloudTrailCall c, InstanceId id, Launch launch, TagState state, List<TagProblem> problems) {
        String name = state.tags().get("Name");
        FindingDraft d = FindingDraft.of(RULE, severity).from(c).resource(id.value()).source(Sources.ip(c.sourceIp()))
                .summary(id + (name == null ? "" : " (" + name + ")") + " breaks the tag policy after " + c.eventName() + " by "
                        + (c.principal() == null ? "unknown principal" : c.principal().display()) + ": " + TagProblem.describe(problems))
                .fact("changed-by", c.principal() == null ? null : c.principal().display()).fact("change", c.eventName());
        if (launch != null) d.eventId(launch.eventId());
        return facts(d, launch, state, problems);
    }

    private static FindingDraft facts(FindingDraft d, Launch launch, TagState state, List<TagProblem> problems) {
        d.fact("missing", join(problems.stream().filter(TagProblem::missing).map(TagProblem::key).toList()))
                .fact("wrong", join(problems.stream().filter(p -> !p.missing()).map(p -> p.key() + "=" + p.value()).toList()))
                .fact("name", state.tags().get("Name"));
        if (launch != null) {
            d.fact("launched-by", launch.by()).fact("invoked-by", launch.invokedBy()).fact("launched-at", launch.at());
        }
        return d;
    }

    private static String join(List<String> parts) {
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static String orUnknown(String s) {
        return s == null ? "an unknown principal" : s;
    }

    private static Set<String> signatures(List<TagProblem> problems) {
        return problems.stream().map(TagProblem::signature).collect(Collectors.toUnmodifiableSet());
    }

    private Map<String, String> relevant(Map<String, String> tags) {
        Map<String, String> out = new HashMap<>();
        tags.forEach((k, v) -> {
            if (relevant.contains(k)) out.put(k, v == null ? "" : v);
        });
        return out;
    }
}
