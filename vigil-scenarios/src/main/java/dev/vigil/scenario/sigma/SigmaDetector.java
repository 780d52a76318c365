package dev.vigil.scenario.sigma;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Interest;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.sigma.SigmaEvaluator;
import dev.vigil.core.sigma.SigmaMeta;
import dev.vigil.core.sigma.SigmaRule;
import dev.vigil.core.sigma.SigmaRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One policy's Sigma rules at work: every CloudTrail record through the index, matches reported as findings. */
final class SigmaDetector implements Detector {
    private static final int MAX_TEXT = 256;
    private final SigmaRules rules;
    private final SigmaEvaluator evaluator;
    private final Interest interest;
    private final List<String> skipped;
    private long matches;
    private long failures;

    SigmaDetector(SigmaRules rules, List<String> skipped) {
        this.rules = rules;
        this.evaluator = new SigmaEvaluator(rules);
        this.skipped = List.copyOf(skipped);
        Set<String> details = new java.util.HashSet<>(rules.detailNames());
        details.addAll(SigmaResponses.DETAIL_CALLS); // the responses read these calls' requests (restart-trail: the trail's name)
        this.interest = new Interest(Set.of(CloudTrailCall.class), rules.readsEveryName() ? Set.of("*") : rules.eventNames(), fields(rules),
                details.contains("*") ? Set.of("*") : details);
    }

    /**
     * The top-level fields to keep, with {@code userIdentity} narrowed to the paths the rules and the responses read
     * (the decoder reads those of it, not the whole caller: it comes with every record).
     */
    private static Set<String> fields(SigmaRules rules) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String f : rules.fields()) if (!f.equals(IDENTITY)) out.add(f);
        Set<String> identity = new java.util.LinkedHashSet<>();
        for (String p : rules.paths()) {
            if (p.equals(IDENTITY)) return rules.fields(); // a rule reads the caller whole
            if (p.startsWith(IDENTITY + ".")) identity.add(p);
        }
        for (String p : SigmaResponses.IDENTITY_PATHS) identity.add(IDENTITY + "." + p);
        out.addAll(identity);
        return out;
    }

    private static final String IDENTITY = "userIdentity";

    SigmaRules rules() {
        return rules;
    }

    List<String> skipped() {
        return skipped;
    }

    @Override
    public Interest interest() {
        return interest;
    }

    /** A call's matching detections, worked out ahead ({@link #prepare}), for {@link #onEvent} to take in order. */
    private record Ahead(CloudTrailCall call, CallRecord record, SigmaEvaluator.Matched matched) {}

    private static final int MAX_AHEAD = 4096;
    private final java.util.concurrent.ConcurrentLinkedQueue<Ahead> ahead = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger aheadSize = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public SecurityEvent prepare(SecurityEvent event) {
        if (!(event instanceof CloudTrailCall c)) return event;
        if (aheadSize.get() >= MAX_AHEAD) return event; // calls that never reach onEvent: stop preparing, onEvent works them out
        CallRecord record = new CallRecord(c);
        ahead.add(new Ahead(c, record, evaluator.match(record, c.eventName())));
        aheadSize.incrementAndGet();
        return event;
    }

    /** The prepared matches of {@code c}, dropping those of calls that did not come (the engine skipped them); null when not prepared. */
    private Ahead prepared(CloudTrailCall c) {
        Ahead a;
        while ((a = ahead.poll()) != null) {
            aheadSize.decrementAndGet();
            if (a.call() == c) return a;
        }
        return null;
    }

    @Override
    public void onEvent(SecurityEvent event, DetectorContext ctx) {
        if (!(event instanceof CloudTrailCall c)) return;
        Ahead a = prepared(c);
        CallRecord record = a != null ? a.record() : new CallRecord(c);
        SigmaEvaluator.Matched matched = a != null ? a.matched() : evaluator.match(record, c.eventName());
        SigmaEvaluator.Result r = evaluator.evaluate(matched, record, c.id(), ctx.now());
        for (SigmaEvaluator.Hit h : r.hits()) {
            matches++;
            FindingDraft d = draft(h, c);
            if (plansUsed(h.rule().meta().ruleId(), ctx)) {
                for (var plan : SigmaResponses.plans(c, record.field("userIdentity"), c.time())) d.propose(plan);
            }
            d.fact("note", SigmaResponses.trailNote(c));
            ctx.report(d);
        }
        if (!r.failures().isEmpty()) {
            failures += r.failures().size();
            SigmaEvaluator.Failure f = r.failures().get(0);
            // a rule that throws is reported (after the other rules' findings), never read as "no match"
            throw new IllegalStateException("Sigma rule " + f.rule().meta().ruleId() + " failed: " + f.error().getMessage()
                    + (r.failures().size() > 1 ? " (and " + (r.failures().size() - 1) + " more rules)" : ""), f.error());
        }
    }

    /** Per rule: whether the policy gives it a response a plan could serve (else the engine would drop every plan). */
    private final Map<String, Boolean> plansUsed = new java.util.HashMap<>();

    private boolean plansUsed(String ruleId, DetectorContext ctx) {
        Boolean used = plansUsed.get(ruleId);
        if (used == null) {
            List<String> responses = ctx.responsesFor(ruleId);
            used = responses == null || responses.stream().anyMatch(SigmaResponses.ALL::contains);
            if (responses != null) plansUsed.put(ruleId, used); // the policy is this detector's for its whole life
        }
        return used;
    }

    /** Each rule's tags and references joined once, not per finding. */
    private final Map<SigmaMeta, String[]> joined = new java.util.IdentityHashMap<>();

    private FindingDraft draft(SigmaEvaluator.Hit h, CloudTrailCall c) {
        SigmaMeta m = h.rule().meta();
        FindingDraft d = FindingDraft.of(m.ruleId(), Sigma.severity(m.level())).from(c);
        d.eventIds(h.eventIds());
        String who = c.principal().arn() != null ? c.principal().arn() : c.principal().display();
        d.resource(cut(who)).source(cut(c.sourceIp()));
        String what = c.eventSource() + " " + c.eventName();
        String summary = c.sourceIp() == null ? m.title() + ": " + cut(what) + " by " + cut(who)
                : m.title() + ": " + cut(what) + " by " + cut(who) + " from " + cut(c.sourceIp()); // one concatenation, not two
        if (h.rule() instanceof SigmaRule.Correlation k) {
            summary = m.title() + ": " + k.type() + " " + h.count() + " within " + k.timespan().toString().substring(2).toLowerCase()
                    + (h.group().isEmpty() ? "" : " for " + cut(h.group().toString())) + " (last: " + cut(what) + ")";
            d.fact("sigma.correlation", k.type()).fact("sigma.count", h.count());
            Map<String, String> g = new LinkedHashMap<>(h.group());
            g.forEach((k2, v) -> d.fact("sigma.group." + k2, cut(v)));
        }
        d.summary(summary);
        d.fact("sigma.id", m.id()).fact("sigma.title", m.title()).fact("sigma.level", m.level())
                .fact("sigma.tags", lists(m)[0]).fact("sigma.references", lists(m)[1])
                .fact("sigma.author", m.author()).fact("sigma.license", m.license())
                .fact("call", cut(what)).fact("who", cut(who));
        return d;
    }

    private String[] lists(SigmaMeta m) {
        return joined.computeIfAbsent(m, x -> new String[] {x.tags().isEmpty() ? null : String.join("\n", x.tags()),
                x.references().isEmpty() ? null : String.join("\n", x.references())});
    }

    private static String cut(String s) {
        if (s == null) return null;
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "...";
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (!skipped.isEmpty()) out.put("sigma_rules_skipped", (long) skipped.size());
        if (failures > 0) out.put("sigma_rule_failures", failures);
        if (evaluator.evictions() > 0) out.put("sigma_groups_evicted", evaluator.evictions());
        return out;
    }
}
