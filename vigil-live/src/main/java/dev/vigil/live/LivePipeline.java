package dev.vigil.live;

import dev.vigil.app.DetectAndRespond;
import dev.vigil.core.engine.ActivePolicy;
import dev.vigil.core.engine.Engine;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.response.BlastRadius;
import dev.vigil.core.response.Executor;
import dev.vigil.core.response.Responder;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import dev.vigil.metrics.Metrics;
import dev.vigil.output.ReportWriter;
import dev.vigil.policy.Policies;
import dev.vigil.replay.Replay;
import dev.vigil.core.store.RuntimeStore;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The live use case, shared by every source (queue, tailed files): events go through the same engine as replay, in
 * one thread, with the durable store as ledger, timer store and finding log, and live executors. Every write to the
 * store commits on its own and is idempotent; an event is marked processed only once its findings are recorded, so
 * an event processed again after a crash repeats no response (the ledger) and loses no finding (kept by id).
 */
public final class LivePipeline {
    /** Processed-event keys are kept this long; a message redelivered later than this is processed again. */
    static final Duration DEDUPE_RETENTION = Duration.ofDays(2);

    private final RuntimeStore store;
    private final DetectAndRespond useCase;
    private final InputDecoder decoder;
    private final Executor notifications;
    private final Clock clock;
    private final Metrics metrics;
    private final BiConsumer<String, String> problems;
    private Instant lastHousekeeping = Instant.MIN;
    private final BlastRadius limit;

    /**
     * @param actions carries out responses (AWS executors for notify-less plans, notifications for notify plans)
     * @param notifications the executor retried notifications go through
     * @param out where findings are written as they are made (JSON Lines on stdout)
     */
    public LivePipeline(PolicySet policies, RuntimeStore store, Executor actions, Executor notifications, Inventory inventory,
                        Clock clock, Metrics metrics, ReportWriter out, BiConsumer<String, String> problems) {
        this.store = store;
        this.notifications = notifications;
        this.clock = clock;
        this.metrics = metrics;
        this.problems = (where, msg) -> problems.accept(where, msg);
        PolicyCompiler compiler = new PolicyCompiler(Policies.registry());
        List<ActivePolicy> active = policies.enabled().stream().map(d -> new ActivePolicy(d, compiler.instantiate(d))).toList();
        // wall-clock time, counted from the store: old events or a restart get no more actions per real hour
        // a store other processes write too (DynamoDB) claims each action's slot atomically; one process's counts what it stored
        this.limit = store.blastSlots().map(slots -> BlastRadius.claimed(policies.live().maxDisruptive(), policies.live().per(), clock, slots))
                .orElseGet(() -> BlastRadius.live(policies.live().maxDisruptive(), policies.live().per(), clock,
                        from -> store.disruptiveAppliedSince(from).stream().map(a -> new BlastRadius.Applied(a.account(), a.at())).toList()));
        Responder responder = new Responder(policies.self(), policies.exemptions(), policies.targets(), store, actions, inventory,
                limit, policies.live().dryRun());
        this.useCase = new DetectAndRespond(new Engine(active, store.timers(), inventory), responder, store.timers(),
                DetectAndRespond.Records.of(store), f -> {
                    metrics.finding(f);
                    java.util.Set<String> queued = new java.util.LinkedHashSet<>();
                    for (ActionResult a : f.actions()) {
                        if (a.status() == ActionStatus.FAILED) metrics.error("action");
                        if (a.status() == ActionStatus.QUEUED) queued.add(a.target());
                    }
                    out.finding(f);
                    // recorded with its pending deliveries: their targets' workers need not wait for their next look
                    for (String target : queued) deliveryWake.accept(target);
                }, (where, msg) -> {
                    metrics.error("rule");
                    this.problems.accept(where, msg);
                }, this::seedBlastRadius);
        this.decoder = new InputDecoder(new DecodeOptions(Replay.detailFor(active), null, ZoneOffset.UTC, Replay.detailFor(active),
                Replay.fieldsFor(active)));
        if (store.interruptedAtOpen() > 0) {
            problems.accept(store.name(), store.interruptedAtOpen() + " action(s) were in progress when vigil stopped;"
                    + " marked interrupted: each is checked against the account now, before anything else, and again when its event"
                    + " comes back (in place: completed; not in place: applied again where the rails allow it now, else held; the look-up fails: held), and an interrupted"
                    + " notification is sent again");
        }
    }

    /**
     * The blast-radius count is read from the store at the first check (not when the pipeline is built: building it
     * makes no call to the store, and a Lambda function's init, snapshotted by SnapStart, must not hold a count read
     * then), and again at each event when other processes write the store too.
     */
    private void seedBlastRadius() {
        if (store.shared()) limit.reload();
    }

    /** A live start: detectors reconcile with the inventory, and timers that fell due while vigil was down fire. */
    public void start() {
        useCase.start(clock.instant(), line -> problems.accept(store.name(), "interrupted action checked at start: " + line));
        store.commit();
    }

    /** Decodes one input (a queue message's body, say) and processes its events; returns how many events it held. */
    public int process(String name, InputStream body) {
        return process(name, body, true, null, null);
    }

    /**
     * The sink of one tailed file's lines: no durable dedupe (the tailer's position says what was read), and lines that
     * name no instance are attributed to {@code instance} (and placed in {@code region}, the tailed instance's) when given.
     */
    public Tailed tailed(dev.vigil.core.event.InstanceId instance, Region region) {
        return new Tailed(instance, region);
    }

    /**
     * Takes the chunks of complete lines a tailer hands in ({@code FileTailer}, vigil-daemon), one at a time. A failure past
     * decoding (the store, a claim held elsewhere) is thrown, as for a queue message, and the reader must hand the same
     * chunk in again, and nothing else before it is taken: tailed lines have no dedupe key, so this remembers how many
     * of the chunk's events were handled (the failing one too when the engine had taken it: what its fault cut short
     * is kept in the use case's pending and finished first), and skips them then, so that none is evaluated twice.
     * The chunk's input problems are said once (decoding reads on past a failure: those said at a try are not said again).
     * Counted once per episode of failures ({@code vigil_errors_total{kind="tail"}}).
     */
    public final class Tailed {
        private final dev.vigil.core.event.InstanceId instance;
        private final Region region;
        /** Events of the chunk in hand handled before a failure (0: a new chunk). */
        private int done;
        /** The chunk in hand failed at least once. */
        private boolean again;
        /** Input problems of the chunk in hand said so far (decoding reads on past a failure: at the first try, mostly all). */
        private int said;

        private Tailed(dev.vigil.core.event.InstanceId instance, Region region) {
            this.instance = instance;
            this.region = region;
        }

        /** Processes one chunk (or the one that failed, again); returns how many events it held. */
        public int process(String name, InputStream body) {
            int skip = done;
            int quiet = said;
            int[] seen = {0};
            int[] told = {0};
            int[] last = {-1};
            long[] before = {0};
            try {
                useCase.resume(); // the failing event's rest first, also when it was the chunk's last
                int n = useCase.decode(decoder, name, body, e -> null, e -> {
                    int i = seen[0]++;
                    if (i < skip) return null; // handled at an earlier try
                    done = i; // those before it are handled
                    SecurityEvent a = admit(e, instance, region);
                    if (a == null) {
                        done = i + 1;
                        return null;
                    }
                    last[0] = i;
                    before[0] = useCase.evaluated();
                    return a;
                }, e -> {
                    metrics.event();
                    done = seen[0];
                }, e -> {
                    metrics.duplicate();
                    done = seen[0];
                }, (where, message) -> {
                    if (told[0]++ < quiet) return; // said at an earlier try
                    said = told[0];
                    metrics.error("input");
                    problems.accept(where, message);
                });
                done = seen[0]; // all of it handled: a failure to commit hands it in again only to commit
                store.commit();
                done = 0;
                said = 0;
                again = false;
                return n;
            } catch (RuntimeException e) {
                if (last[0] >= 0 && last[0] == done && useCase.evaluated() > before[0]) { // taken: its rest is pending, it is not taken again
                    done = last[0] + 1;
                    metrics.event();
                }
                if (!again) metrics.error("tail");
                again = true;
                throw e;
            }
        }
    }

    /** Null: every region's events are handled; else only those of these regions (and those that name none). */
    private volatile Set<Region> watched;
    private final Set<Region> toldOutside = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * From now on only events of {@code regions} (and events that name no region) are handled; an event of another
     * region is skipped before the engine sees it, counted ({@code vigil_events_outside_regions_total{region}}), and
     * said once per region. {@code vigil run --region A --region B} and {@code --all-regions} set it.
     */
    public LivePipeline watching(java.util.Collection<Region> regions) {
        this.watched = regions == null ? null : Set.copyOf(regions);
        return this;
    }

    private SecurityEvent admit(SecurityEvent e, dev.vigil.core.event.InstanceId instance, Region region) {
        Set<Region> w = watched;
        if (w != null && e.region() != null && !w.contains(e.region())) {
            metrics.outsideRegions(e.region().value());
            if (toldOutside.add(e.region())) {
                problems.accept("region " + e.region().value(), "events of " + e.region().value() + " are skipped: not among the regions"
                        + " watched (" + String.join(", ", w.stream().map(Region::value).sorted().toList()) + "); add --region "
                        + e.region().value() + " or run with --all-regions (said once; counted in vigil_events_outside_regions_total)");
            }
            return null;
        }
        if ((instance != null || region != null) && e instanceof SshLogLine l && (l.instance() == null || l.region() == null)) {
            return l.placed(instance, region);
        }
        return e;
    }

    /**
     * A failure of the store (or anything else past decoding) while an event is handled is not bad input: the use
     * case skips the rest of the input and throws, so the message comes back; events handled before it are recognised
     * then as processed, and the work the failure cut short is finished first at the next call.
     */
    private int process(String name, InputStream body, boolean keyed, dev.vigil.core.event.InstanceId instance, Region region) {
        return useCase.decode(decoder, name, body, keyed ? LivePipeline::dedupeKey : e -> null, e -> admit(e, instance, region), e -> metrics.event(),
                e -> metrics.duplicate(), (where, message) -> {
                    metrics.error("input");
                    problems.accept(where, message);
                });
    }

    /** One event: skipped when already processed (by a run before a crash); marked processed once handled. */
    public void accept(SecurityEvent event) {
        accept(event, dedupeKey(event));
    }

    private void accept(SecurityEvent event, String key) {
        if (admit(event, null, null) == null) return;
        if (useCase.accept(event, key)) metrics.event();
        else metrics.duplicate();
    }

    /** The event's kind, id and time; a text line's id is its origin, e.g. the queue message id and line number. */
    static String dedupeKey(SecurityEvent e) {
        if (e.id() == null) return null;
        return e.getClass().getSimpleName() + ':' + e.id() + ':' + e.time().toEpochMilli();
    }

    /**
     * A timer whose schedule fired outside this process (EventBridge Scheduler invoking the timer function): handed to
     * the timer store by {@code deliver}, then the engine fires what is due, this timer included, and the timer is
     * marked processed. A second delivery of the same timer (Scheduler delivers at least once) does nothing; two at
     * the same moment in two processes both fire, and the ledger, the finding ids and the notification claims keep
     * their responses from being repeated.
     *
     * @return false when the timer had fired already
     */
    public boolean fireTimer(Timer timer, Consumer<Timer> deliver) {
        String key = "Timer:" + timer.owner() + ':' + timer.key() + ':' + timer.due().toEpochMilli();
        useCase.resume();
        if (store.isProcessed(key)) {
            metrics.duplicate();
            return false;
        }
        deliver.accept(timer);
        Instant now = clock.instant();
        useCase.fireUpTo(now.isAfter(timer.due()) ? now : timer.due(), key, timer.due()); // a clock a little behind Scheduler's still fires it
        store.commit();
        return true;
    }

    /** Makes what was processed so far durable (the Lambda handlers commit per message). */
    public void commit() {
        store.commit();
    }

    /** Called about once a second: fires timers due by the wall clock, retries notifications, forgets old keys. */
    public void tick() {
        Instant now = clock.instant();
        metrics.polled(now.toEpochMilli()); // the processing loop is alive (tailing files only, too)
        useCase.fireUpTo(now, null, null);
        if (!deliveriesOffPath) retryDeliveries(now);
        if (Duration.between(lastHousekeeping, now).compareTo(Duration.ofMinutes(10)) > 0 || lastHousekeeping == Instant.MIN) {
            lastHousekeeping = now;
            store.forgetProcessedBefore(now.minus(DEDUPE_RETENTION));
        }
        store.commit();
    }

    private volatile boolean deliveriesOffPath;
    private volatile Consumer<String> deliveryWake = target -> {};

    /** How many due deliveries one round takes (of one target, in the daemon). */
    static final int ROUND = 20;

    /**
     * From now on {@link #tick} leaves the pending deliveries to the {@link DeliveryWorkers}, one thread per target,
     * which call {@link #deliverDue(Instant, String)}; {@code wake} is given a target when a finding is recorded with
     * a delivery queued for it.
     */
    void deliveriesOffPath(Consumer<String> wake) {
        this.deliveryWake = wake;
        this.deliveriesOffPath = true;
    }

    /**
     * Sends the deliveries to {@code target} due at {@code now} (queued ones and retries of failed ones); returns how
     * many it tried; stops beginning new ones once {@code stopping} is true. Called by that target's {@link DeliveryWorker} thread: it touches only the store (thread-safe)
     * and the notification executor (which serializes per target), never the use case.
     */
    int deliverDue(Instant now, String target, java.util.function.BooleanSupplier stopping) {
        return deliver(now, store.dueDeliveries(now, target, ROUND), stopping);
    }

    /**
     * The same for the deliveries to targets not in {@code configured} (no longer in the policy): the catch-all
     * worker's, so that they are still tried and, per the retry policy, given up, never left in the store for ever.
     */
    int deliverDueExcept(Instant now, Set<String> configured, java.util.function.BooleanSupplier stopping) {
        return deliver(now, store.dueDeliveriesExcept(now, configured, ROUND), stopping);
    }

    private int retryDeliveries(Instant now) {
        return deliver(now, store.dueDeliveries(now, ROUND), () -> false);
    }

    /** After this many failed tries a delivery is given up. */
    static final int MAX_ATTEMPTS = 10;

    /**
     * Sends {@code due} in order; once {@code stopping} says so (SIGTERM), no further one is begun, so that a stop
     * waits for the delivery in hand only (each bounded by its target's timeout), not for the rest of the round.
     */
    private int deliver(Instant now, List<RuntimeStore.PendingDelivery> due, java.util.function.BooleanSupplier stopping) {
        int tried = 0;
        for (RuntimeStore.PendingDelivery d : due) {
            if (stopping.getAsBoolean()) break; // the rest stay pending in the store, for the next start
            tried++;
            Finding f = store.find(d.findingId()).orElse(null);
            if (f == null) {
                store.deliveryDone(d);
                continue;
            }
            String key = "notify:" + f.id() + ":" + d.target();
            var existing = store.claim(key, f.policy(), f.rule(), now);
            if (existing.isPresent() && dev.vigil.core.response.ActionLedger.INTERRUPTED.equals(existing.get().status()) && store.retake(key)) {
                existing = java.util.Optional.empty(); // interrupted: sent again (at least once)
            }
            if (existing.isPresent() && "in-progress".equals(existing.get().status())) continue; // another holder delivers it now, or
            // died doing so: left due, sent again once its lease runs out (at least once), done when its record says so
            if (existing.isPresent()) { // delivered meanwhile (or before a crash cut the rest of this short)
                String was = existing.get().status();
                store.notifyOutcome(f.id(), d.target(), ActionStatus.SKIPPED.label().equals(was) ? ActionStatus.SKIPPED : ActionStatus.DELIVERED,
                        "delivered to " + d.target() + " (the claim says " + was + ")");
                store.deliveryDone(d);
                continue;
            }
            ActionPlan plan = new ActionPlan("notify", d.target(), Map.of(), "notify " + d.target(), key, false);
            ActionResult r;
            try {
                r = notifications.execute(plan, f, false);
                dev.vigil.core.response.FaultPoints.at(dev.vigil.core.response.FaultPoints.Step.NOTIFY);
            } catch (RuntimeException e) {
                r = ActionResult.of(plan, ActionStatus.FAILED, e.getClass().getSimpleName());
            }
            if (r.status() == ActionStatus.FAILED) {
                store.release(key);
                if (d.attempts() >= MAX_ATTEMPTS) {
                    store.notifyOutcome(f.id(), d.target(), ActionStatus.GIVEN_UP, "given up on " + d.target() + " after "
                            + (d.attempts() + 1) + " tries: " + r.detail());
                    store.deliveryDone(d);
                    problems.accept("finding " + f.id(), "notify " + d.target() + " failed " + (d.attempts() + 1) + " times; given up: " + r.detail());
                } else {
                    long backoff = Math.min(3600, 30L << Math.min(d.attempts(), 7));
                    store.deliveryFailed(d, r.detail(), now.plusSeconds(backoff));
                }
                metrics.error("notify");
            } else {
                store.complete(key, r.status().label());
                store.notifyOutcome(f.id(), d.target(), r.status() == ActionStatus.SKIPPED ? ActionStatus.SKIPPED : ActionStatus.DELIVERED, r.detail());
                store.deliveryDone(d);
            }
        }
        return tried;
    }

    public Engine engine() {
        return useCase.engine();
    }

    public DetectAndRespond useCase() {
        return useCase;
    }
}
