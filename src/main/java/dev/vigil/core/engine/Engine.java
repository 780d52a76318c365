package dev.vigil.core.engine;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.response.Responder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the active policies over events in event time. The clock is the events themselves: before an event is
 * handed to detectors, every timer due at or before the latest event time seen (the watermark) fires, in due
 * order, with {@code now} equal to its due time; {@link #finish} fires the rest up to a given end. A detector that
 * throws is reported as a problem naming policy and event, never taken as "no match".
 */
public final class Engine {
    private final List<ActivePolicy> policies;
    private final Map<String, ActivePolicy> byName = new LinkedHashMap<>();
    private final TimerStore timers;
    private final Inventory inventory;
    private final Responder responder;
    private final FindingSink sink;
    private final ProblemSink problems;
    private final RecentEvents recent = new RecentEvents();
    private Instant watermark = Instant.MIN;
    private long events;
    private long findings;
    private long duplicates;
    private long ruleErrors;

    public Engine(List<ActivePolicy> policies, TimerStore timers, Inventory inventory, Responder responder,
                  FindingSink sink, ProblemSink problems) {
        this.policies = List.copyOf(policies);
        this.policies.forEach(p -> byName.put(p.name(), p));
        this.timers = timers;
        this.inventory = inventory;
        this.responder = responder;
        this.sink = sink;
        this.problems = problems;
    }

    /** Handles one event: fires due timers, then offers the event to every interested policy. */
    public void accept(SecurityEvent event) {
        events++;
        if (event.id() != null && !(event instanceof dev.vigil.core.event.SshLogLine)
                && recent.seen(event)) {
            duplicates++; // the same record seen twice (EventBridge and the S3 log file, say)
            return;
        }
        if (event.time().isAfter(watermark)) {
            fireUpTo(event.time());
            watermark = event.time();
        }
        responder.learn(event); // tags the event sets or removes hold for every response from here on
        for (ActivePolicy p : interested(event)) {
            if (!p.detector().interest().wants(event)) continue;
            Context ctx = new Context(p, event.time());
            try {
                p.detector().onEvent(event, ctx);
            } catch (RuntimeException e) {
                ruleError(p, event.origin().describe(), e);
            }
        }
    }

    private final Map<Class<?>, List<ActivePolicy>> byType = new java.util.HashMap<>();

    /** The policies whose detectors take events of this record type (computed once per type). */
    private List<ActivePolicy> interested(SecurityEvent e) {
        return byType.computeIfAbsent(e.getClass(), c -> policies.stream().filter(p -> p.detector().interest().types().contains(c)).toList());
    }

    /** A live start at {@code now}: detectors reconcile with the inventory ({@link Detector#onStart}). */
    public void start(Instant now) {
        for (ActivePolicy p : policies) {
            try {
                p.detector().onStart(new Context(p, now));
            } catch (RuntimeException e) {
                ruleError(p, "start", e);
            }
        }
    }

    /** Fires the timers due up to {@code end} (if given) and lets detectors report what is pending. */
    public void finish(Instant end) {
        Instant until = end != null ? end : watermark;
        if (until != Instant.MIN) fireUpTo(until);
        for (ActivePolicy p : policies) {
            try {
                p.detector().onFinish(until, new Context(p, until));
            } catch (RuntimeException e) {
                ruleError(p, "end of input", e);
            }
        }
    }

    /** Fires timers due at or before {@code t}, one at a time in due order (a timer set while firing fires in its turn). */
    public void fireUpTo(Instant t) {
        Optional<Timer> next;
        while ((next = timers.takeNextDue(t)).isPresent()) {
            Timer timer = next.get();
            ActivePolicy p = byName.get(timer.owner());
            if (p == null) {
                timers.fired(timer);
                continue;
            }
            try {
                p.detector().onTimer(timer, new Context(p, timer.due()));
            } catch (RuntimeException e) {
                ruleError(p, "timer " + timer.key(), e);
            } finally {
                timers.fired(timer);
            }
        }
    }

    private void ruleError(ActivePolicy p, String where, RuntimeException e) {
        ruleErrors++;
        problems.problem(where, "policy " + p.name() + " (detector " + p.def().detector() + ") failed: "
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
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

        Context(ActivePolicy policy, Instant now) {
            this.policy = policy;
            this.now = now;
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
            Finding f = responder.respond(draft, policy.def(), now);
            findings++;
            sink.accept(f);
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
