package dev.vigil.core.engine;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.inventory.Inventory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the active policies over events in event time. The clock is the events themselves: before an event is
 * handed to detectors, every timer due at or before the latest event time seen (the watermark) fires, in due
 * order, with {@code now} equal to its due time; {@link #finish} fires the rest up to a given end. The engine returns
 * data ({@link Evaluation}): the drafts its rules reported and the rules that failed (a detector that throws is a
 * failure naming policy and event, never taken as "no match"); responding to the drafts and recording them is the
 * use case's, outside any rule's {@code catch}, so a store or ledger failure there is never taken for a rule bug.
 */
public final class Engine {
    private final List<ActivePolicy> policies;
    private final Map<String, ActivePolicy> byName = new LinkedHashMap<>();
    private final TimerStore timers;
    private final Inventory inventory;
    private final RecentEvents recent = new RecentEvents();
    private Instant watermark = Instant.MIN;
    private long events;
    private long findings;
    private long duplicates;
    private long ruleErrors;

    public Engine(List<ActivePolicy> policies, TimerStore timers, Inventory inventory) {
        this.policies = List.copyOf(policies);
        this.policies.forEach(p -> byName.put(p.name(), p));
        this.timers = timers;
        this.inventory = inventory;
    }

    /** The policy of that name this engine runs, if any (the start-up pass decides interrupted claims by the policies now in force). */
    public java.util.Optional<dev.vigil.core.policy.PolicyDef> policy(String name) {
        ActivePolicy p = name == null ? null : byName.get(name);
        return p == null ? java.util.Optional.empty() : java.util.Optional.of(p.def());
    }

    /** What one call reports: drafts, failures and fired timers, in order. */
    private static final class Collector {
        // made on the first entry: most events report nothing
        private List<Evaluation.Drafted> drafts;
        private List<Evaluation.RuleFailure> failures;
        private List<Timer> fired;

        void draft(Evaluation.Drafted d) {
            if (drafts == null) drafts = new ArrayList<>(2); // one draft most often (ArrayList's first growth is to ten)
            drafts.add(d);
        }

        void failure(Evaluation.RuleFailure f) {
            if (failures == null) failures = new ArrayList<>();
            failures.add(f);
        }

        void fired(Timer t) {
            if (fired == null) fired = new ArrayList<>();
            fired.add(t);
        }

        Evaluation done() {
            if (drafts == null && failures == null && fired == null) return Evaluation.EMPTY;
            return new Evaluation(drafts == null ? List.of() : drafts, failures == null ? List.of() : failures, fired == null ? List.of() : fired);
        }
    }

    /**
     * Moves event time on to {@code t} (when later than the watermark): fires the timers due by then. The use case
     * calls it before an event, so that what those timers report is answered before the event's tags are learnt.
     */
    public Evaluation advanceTo(Instant t) {
        if (!t.isAfter(watermark)) return Evaluation.EMPTY; // called before every event: most do not move time on
        Collector c = new Collector();
        if (t.isAfter(watermark)) {
            fire(t, c);
            watermark = t;
        }
        return c.done();
    }

    /**
     * Offers one event to every interested policy (after firing the timers due by its time, if {@link #advanceTo}
     * has not). A record seen twice (EventBridge and the S3 log file, say) is counted as a duplicate and not offered.
     */
    public Evaluation accept(SecurityEvent event) {
        events++;
        // an sshd line is never deduplicated: asked first, as its id ("file:line") is a string built when asked
        if (!(event instanceof dev.vigil.core.event.SshLogLine) && event.id() != null && recent.seen(event)) {
            duplicates++;
            return Evaluation.EMPTY;
        }
        Collector c = new Collector();
        if (event.time().isAfter(watermark)) {
            fire(event.time(), c);
            watermark = event.time();
        }
        for (ActivePolicy p : interested(event)) {
            if (!p.detector().interest().wants(event)) continue;
            Context ctx = new Context(p, event.time(), c);
            try {
                p.detector().onEvent(event, ctx);
            } catch (RuntimeException e) {
                ruleError(p, event.origin().describe(), e, c);
            }
        }
        return c.done();
    }

    private final Map<Class<?>, List<ActivePolicy>> byType = new java.util.HashMap<>();

    private Class<?> lastType;
    private List<ActivePolicy> lastInterested;

    /** The policies whose detectors take events of this record type (computed once per type; the last type's kept at hand). */
    private List<ActivePolicy> interested(SecurityEvent e) {
        Class<?> type = e.getClass();
        if (type == lastType) return lastInterested;
        List<ActivePolicy> out = byType.computeIfAbsent(type, c -> policies.stream().filter(p -> p.detector().interest().types().contains(c)).toList());
        lastType = type;
        lastInterested = out;
        return out;
    }

    /** A live start at {@code now}: detectors reconcile with the inventory ({@link Detector#onStart}). */
    public Evaluation start(Instant now) {
        Collector c = new Collector();
        for (ActivePolicy p : policies) {
            try {
                p.detector().onStart(new Context(p, now, c));
            } catch (RuntimeException e) {
                ruleError(p, "start", e, c);
            }
        }
        return c.done();
    }

    /** Fires the timers due up to {@code end} (if given) and lets detectors report what is pending. */
    public Evaluation finish(Instant end) {
        Collector c = new Collector();
        Instant until = end != null ? end : watermark;
        if (until != Instant.MIN) fire(until, c);
        for (ActivePolicy p : policies) {
            try {
                p.detector().onFinish(until, new Context(p, until, c));
            } catch (RuntimeException e) {
                ruleError(p, "end of input", e, c);
            }
        }
        return c.done();
    }

    /**
     * Fires timers due at or before {@code t}, one at a time in due order (a timer set while firing fires in its
     * turn). The timers are in the evaluation's {@code fired}: the caller tells the timer store once their drafts
     * are recorded.
     */
    public Evaluation fireUpTo(Instant t) {
        Collector c = new Collector();
        fire(t, c);
        return c.done();
    }

    private void fire(Instant t, Collector c) {
        Optional<Timer> next;
        while ((next = timers.takeNextDue(t)).isPresent()) {
            Timer timer = next.get();
            c.fired(timer);
            ActivePolicy p = byName.get(timer.owner());
            if (p == null) continue;
            try {
                p.detector().onTimer(timer, new Context(p, timer.due(), c));
            } catch (RuntimeException e) {
                ruleError(p, "timer " + timer.key(), e, c);
            }
        }
    }

    private void ruleError(ActivePolicy p, String where, RuntimeException e, Collector c) {
        ruleErrors++;
        c.failure(new Evaluation.RuleFailure(where, "policy " + p.name() + " (detector " + p.def().detector() + ") failed: "
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""))));
    }

    public long events() {
        return events;
    }

    public long findings() {
        return findings;
    }

    public long duplicates() {
        return duplicates;
    }

    public long ruleErrors() {
        return ruleErrors;
    }

    public Instant watermark() {
        return watermark;
    }

    private final class Context implements DetectorContext {
        private final ActivePolicy policy;
        private final Instant now;
        private final Collector out;

        Context(ActivePolicy policy, Instant now, Collector out) {
            this.policy = policy;
            this.now = now;
            this.out = out;
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public String policy() {
            return policy.name();
        }

        @Override
        public Inventory inventory() {
            return inventory;
        }

        @Override
        public void report(FindingDraft draft) {
            if (draft.time() == null) draft.time(now);
            findings++;
            out.draft(new Evaluation.Drafted(draft, policy.def(), now));
        }

        @Override
        public void schedule(String key, Instant due, Map<String, String> data) {
            timers.schedule(new Timer(policy.name(), key, due, data));
        }

        @Override
        public void cancel(String key) {
            timers.cancel(policy.name(), key);
        }

        @Override
        public Optional<Timer> timer(String key) {
            return timers.get(policy.name(), key);
        }

        @Override
        public List<String> responsesFor(String rule) {
            return policy.def().responsesFor(rule);
        }
    }
}
