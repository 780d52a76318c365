package dev.vigil.app;

import dev.vigil.core.engine.Engine;
import dev.vigil.core.engine.Evaluation;
import dev.vigil.core.engine.ProblemSink;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.engine.TimerStore;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.response.FaultPoints;
import dev.vigil.core.response.FaultPoints.Step;
import dev.vigil.core.response.Responder;
import dev.vigil.core.store.RuntimeStore;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.InputDecoder;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * An event's path, the same object in replay, the daemon and the Lambda functions: decode, evaluate (the engine
 * returns drafts and failed rules), decide, claim, execute and notify (the {@link Responder}: the pure rails, then
 * the ledger claim before each call), record (the finding log), mark processed. Read straight down {@link #accept}.
 *
 * <p>Rule exceptions are the engine's: counted and reported, never "no match". Everything after evaluation (the
 * ledger, the executors' infrastructure, the store) runs outside any rule's {@code catch}: its exceptions propagate,
 * so a queue message comes back and nothing is marked processed. The work that was cut short (drafts not yet
 * answered, findings answered but not recorded, timers not yet done, the event's key) is kept and finished first at
 * the next call, so that once the fault clears each finding is recorded once, with the results of the actions it
 * took (the ledger keeps them from being taken twice).
 *
 * <p>No AWS SDK, JDBC or HTTP here (ArchUnit): the ports are the core's.
 */
public final class DetectAndRespond {
    /** Where a runtime keeps what it has done. Replay keeps nothing ({@link #NONE}). */
    public interface Records {
        boolean isProcessed(String key);

        void markProcessed(String key, Instant eventTime);

        void save(Finding finding);

        Records NONE = new Records() {
            @Override
            public boolean isProcessed(String key) {
                return false;
            }

            @Override
            public void markProcessed(String key, Instant eventTime) {}

            @Override
            public void save(Finding finding) {}
        };

        /** A live runtime's store. */
        static Records of(RuntimeStore store) {
            return new Records() {
                @Override
                public boolean isProcessed(String key) {
                    return store.isProcessed(key);
                }

                @Override
                public void markProcessed(String key, Instant eventTime) {
                    store.markFirst(key, eventTime);
                }

                @Override
                public void save(Finding finding) {
                    store.save(finding);
                }
            };
        }
    }

    private final Engine engine;
    private final Responder responder;
    private final TimerStore timers;
    private final Records records;
    private final Consumer<Finding> recorded;
    private final ProblemSink ruleFailures;
    private final Runnable beforeEvent;
    private volatile dev.vigil.core.event.AccountId homeAccount;
    private volatile dev.vigil.core.event.Region homeRegion;
    /** Work a fault cut short, finished first at the next call. */
    private final ArrayDeque<Unit> pending = new ArrayDeque<>();

    /**
     * @param recorded told of each finding once it is recorded (output, metrics)
     * @param ruleFailures told of each rule that threw (counted by the caller)
     * @param beforeEvent run before each event and firing of timers (the live blast radius reads its count again)
     */
    public DetectAndRespond(Engine engine, Responder responder, TimerStore timers, Records records, Consumer<Finding> recorded,
                            ProblemSink ruleFailures, Runnable beforeEvent) {
        this.engine = Objects.requireNonNull(engine);
        this.responder = Objects.requireNonNull(responder);
        this.timers = Objects.requireNonNull(timers);
        this.records = Objects.requireNonNull(records);
        this.recorded = Objects.requireNonNull(recorded);
        this.ruleFailures = Objects.requireNonNull(ruleFailures);
        this.beforeEvent = beforeEvent == null ? () -> {} : beforeEvent;
    }

    /**
     * Live runtimes: a finding whose input named no account or region (a CloudWatch Logs payload, a tailed file) is
     * recorded with the runtime's own, where its actions were carried out, so that {@code vigil undo} goes there.
     */
    public void placeUnplaced(dev.vigil.core.event.AccountId account, dev.vigil.core.event.Region region) {
        this.homeAccount = account;
        this.homeRegion = region;
    }

    private Finding placed(Finding f) {
        if ((f.account() != null || homeAccount == null) && (f.region() != null || homeRegion == null)) return f;
        return new Finding(f.rule(), f.policy(), f.severity(), f.time(), f.account() != null ? f.account() : homeAccount,
                f.region() != null ? f.region() : homeRegion, f.resource(), f.source(), f.summary(), f.eventIds(), f.actions(), f.facts());
    }

    public Engine engine() {
        return engine;
    }

    private long evaluated;

    /**
     * How many events the engine has taken so far. A caller that hands the same input in again after a failure (a tailed
     * file's chunk, which has no dedupe keys) tells by it whether the failing event was taken, its work kept in pending
     * (then it is skipped the next time), or not (then it is accepted again).
     */
    public long evaluated() {
        return evaluated;
    }

    /** Whether work cut short by a fault is waiting to be finished. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * One event. {@code key} (null: no dedupe) names it among events already processed.
     *
     * @return false when it had been processed already
     * @throws RuntimeException from the ledger, the executors' infrastructure or the store: nothing is marked processed
     */
    public boolean accept(SecurityEvent event, String key) {
        resume();
        if (key != null && records.isProcessed(key)) return false;
        beforeEvent.run();
        run(engine.advanceTo(event.time()), null, null); // timers due by the event's time, answered before it is learnt
        responder.learn(event); // tags the event sets or removes hold for every response from here on
        FaultPoints.at(Step.EVALUATE);
        Evaluation e = engine.accept(event);
        evaluated++; // learnt by the engine: what is left of its work is done below or kept in pending
        run(e, key, event.time());
        return true;
    }

    /**
     * Decodes one input and takes each event through {@link #accept}. Bad input is one problem each (the decoder's);
     * a failure past decoding is not bad input: the rest of the input is skipped and the failure thrown, so the message
     * comes back (events handled before it are recognised then as processed).
     *
     * @param keyOf an event's dedupe key (null for none)
     * @param admit what each decoded event is taken as (a tailed file's lines attributed to its instance and region), or
     *     null when it is not this runtime's (an event of a region it does not watch): then it is counted in the input
     *     but not accepted
     * @return how many events the input held (up to a failure), those not admitted included
     */
    public int decode(InputDecoder decoder, String name, InputStream body, Function<SecurityEvent, String> keyOf, UnaryOperator<SecurityEvent> admit,
                      Consumer<SecurityEvent> accepted, Consumer<SecurityEvent> duplicate, ProblemSink inputProblems) {
        FaultPoints.at(Step.DECODE);
        int[] n = {0};
        RuntimeException[] failed = {null};
        decoder.decode(name, body, new DecodeListener() {
            @Override
            public void onEvent(SecurityEvent event) {
                if (failed[0] != null) return;
                n[0]++;
                event = admit.apply(event);
                if (event == null) return;
                try {
                    if (accept(event, keyOf.apply(event))) accepted.accept(event);
                    else duplicate.accept(event);
                } catch (RuntimeException e) {
                    failed[0] = e;
                }
            }

            @Override
            public void onError(String where, String message) {
                inputProblems.problem(where, message);
            }
        });
        if (failed[0] != null) throw failed[0];
        return n[0];
    }

    /**
     * A live start at {@code now}: first, each action a crash left interrupted is checked against the account (and
     * completed, or applied again past the rails a fresh decision passes: {@link Responder#recheckInterrupted}); then detectors reconcile with the inventory,
     * and timers that fell due while down fire.
     *
     * @param rechecked told of each interrupted action checked, one line each
     */
    public void start(Instant now, Consumer<String> rechecked) {
        responder.recheckInterrupted(now, engine::policy).forEach(rechecked);
        start(now);
    }

    /** A live start at {@code now}: detectors reconcile with the inventory, and timers that fell due while down fire. */
    public void start(Instant now) {
        resume();
        beforeEvent.run();
        run(engine.start(now), null, null);
        run(engine.fireUpTo(now), null, null);
    }

    /**
     * Fires the timers due by {@code t}; when {@code key} is given (a timer delivered from outside: EventBridge
     * Scheduler) it is marked processed once they are done.
     *
     * @return false when {@code key} had been processed already (nothing fired)
     */
    public boolean fireUpTo(Instant t, String key, Instant keyTime) {
        resume();
        if (key != null && records.isProcessed(key)) return false;
        beforeEvent.run();
        run(engine.fireUpTo(t), key, keyTime);
        return true;
    }

    /** The end of an input (replay): the timers due by {@code end} fire, and detectors report what is pending. */
    public void finish(Instant end) {
        resume();
        run(engine.finish(end), null, null);
    }

    /** Finishes work a fault cut short; throws (and keeps it) while the fault lasts. */
    public void resume() {
        while (!pending.isEmpty()) {
            pending.peekFirst().run();
            pending.pollFirst();
        }
    }

    private void run(Evaluation e, String key, Instant keyTime) {
        for (Evaluation.RuleFailure f : e.failures()) ruleFailures.problem(f.where(), f.message());
        if (e.drafts().isEmpty() && e.fired().isEmpty() && key == null) return;
        Unit u = new Unit(e, key, keyTime);
        pending.addLast(u);
        u.run(); // throws: kept in pending, finished first at the next call
        pending.pollLast();
    }

    /** One evaluation's work: answer each draft, record it, then tell the timer store and mark the event processed. */
    private final class Unit {
        // the evaluation's lists are immutable: the unit walks them, the work done so far is the index reached
        private final List<Evaluation.Drafted> drafts;
        private int draftsDone;
        private final List<Timer> fired;
        private int firedDone;
        private final String key;
        private final Instant keyTime;
        private Finding answered; // the head draft, answered but not yet recorded

        Unit(Evaluation e, String key, Instant keyTime) {
            this.drafts = e.drafts();
            this.fired = e.fired();
            this.key = key;
            this.keyTime = keyTime;
        }

        void run() {
            while (draftsDone < drafts.size()) {
                Evaluation.Drafted d = drafts.get(draftsDone);
                if (answered == null) answered = placed(responder.respond(d.draft(), d.policy(), d.now())); // decide, claim, execute, notify
                FaultPoints.at(Step.RECORD);
                records.save(answered); // record
                Finding f = answered;
                answered = null;
                draftsDone++;
                recorded.accept(f);
            }
            while (firedDone < fired.size()) {
                timers.fired(fired.get(firedDone));
                firedDone++;
            }
            if (key != null) {
                FaultPoints.at(Step.MARK);
                records.markProcessed(key, keyTime); // mark processed
            }
        }
    }
}
