package dev.vigil.testing;

import dev.vigil.core.engine.TimerStore;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.store.RuntimeStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store with faults injected at named points: the next {@code n} calls there throw, as a locked SQLite file
 * or a DynamoDB throttle would (the exception is the caller's choice of message; the type is a plain runtime one, so
 * nothing can tell it from the store's own).
 */
public final class FaultyStore implements RuntimeStore {
    /** Where a fault can be injected. */
    public enum Point { SAVE, CLAIM, COMPLETE, MARK_PROCESSED, IS_PROCESSED }

    private final RuntimeStore real;
    private final java.util.Map<Point, AtomicInteger> faults = new java.util.EnumMap<>(Point.class);
    private final java.util.Map<Point, AtomicInteger> thrown = new java.util.EnumMap<>(Point.class);

    public FaultyStore(RuntimeStore real) {
        this.real = real;
        for (Point p : Point.values()) {
            faults.put(p, new AtomicInteger());
            thrown.put(p, new AtomicInteger());
        }
    }

    /** The next {@code n} calls at {@code p} throw. */
    public FaultyStore fail(Point p, int n) {
        faults.get(p).set(n);
        return this;
    }

    public int thrown(Point p) {
        return thrown.get(p).get();
    }

    private final AtomicInteger saved = new AtomicInteger();
    private final AtomicInteger marked = new AtomicInteger();

    /** Findings saved (calls that reached the real store), events marked processed for the first time. */
    public int saved() {
        return saved.get();
    }

    public int marked() {
        return marked.get();
    }

    private void check(Point p) {
        if (faults.get(p).getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            thrown.get(p).incrementAndGet();
            throw new IllegalStateException("injected fault at " + p + ": database is locked");
        }
    }

    @Override public String name() { return real.name(); }
    @Override public TimerStore timers() { return real.timers(); }
    @Override public boolean isProcessed(String key) { check(Point.IS_PROCESSED); return real.isProcessed(key); }
    @Override public int forgetProcessedBefore(Instant cutoff) { return real.forgetProcessedBefore(cutoff); }
    @Override public List<AppliedAction> disruptiveAppliedSince(Instant from) { return real.disruptiveAppliedSince(from); }
    @Override public List<PendingDelivery> dueDeliveries(Instant now, String target, int limit) { return real.dueDeliveries(now, target, limit); }
    @Override public List<PendingDelivery> dueDeliveriesExcept(Instant now, java.util.Set<String> except, int limit) { return real.dueDeliveriesExcept(now, except, limit); }
    @Override public void deliveryFailed(PendingDelivery d, String error, Instant next) { real.deliveryFailed(d, error, next); }
    @Override public void deliveryDone(PendingDelivery d) { real.deliveryDone(d); }
    @Override public void reject(String messageId, String source, String body, String error) { real.reject(messageId, source, body, error); }
    @Override public void commit() { real.commit(); }
    @Override public int interruptedAtOpen() { return real.interruptedAtOpen(); }
    @Override public boolean shared() { return real.shared(); }

    @Override public Optional<dev.vigil.core.response.BlastSlots> blastSlots() { return real.blastSlots(); }

    @Override
    public Optional<Claim> claim(String key, String policy, String rule, Instant at) {
        check(Point.CLAIM);
        return real.claim(key, policy, rule, at);
    }

    @Override
    public Optional<Claim> claim(String key, String policy, String rule, Instant at, java.util.Map<String, Object> undo) {
        check(Point.CLAIM);
        return real.claim(key, policy, rule, at, undo);
    }

    @Override
    public Optional<Claim> claim(String key, String policy, String rule, Instant at, java.util.Map<String, Object> undo,
                                 Attempt attempt) {
        check(Point.CLAIM);
        return real.claim(key, policy, rule, at, undo, attempt);
    }

    @Override
    public void complete(String key, String status, Outcome outcome, String findingId) {
        check(Point.COMPLETE);
        real.complete(key, status, outcome, findingId);
    }

    @Override public Optional<Outcome> outcome(String key, String findingId) { return real.outcome(key, findingId); }

    @Override public java.util.List<Attempt> interruptedAttempts() { return real.interruptedAttempts(); }

    @Override public java.util.Map<String, Object> kept(String key) { return real.kept(key); }

    @Override public boolean retake(String key) { return real.retake(key); }

    @Override public List<PendingDelivery> dueDeliveries(Instant now, int limit) { return real.dueDeliveries(now, limit); }

    @Override
    public void complete(String key, String status) {
        check(Point.COMPLETE);
        real.complete(key, status);
    }

    @Override public void release(String key) { real.release(key); }

    @Override
    public boolean markFirst(String key, Instant eventTime) {
        check(Point.MARK_PROCESSED);
        boolean first = real.markFirst(key, eventTime);
        if (first) marked.incrementAndGet();
        return first;
    }

    @Override
    public void save(Finding finding) {
        check(Point.SAVE);
        real.save(finding);
        saved.incrementAndGet();
    }

    @Override public List<Finding> recent(int limit) { return real.recent(limit); }
    @Override public Optional<Finding> find(String findingId) { return real.find(findingId); }
    @Override public void notifyOutcome(String findingId, String target, dev.vigil.core.finding.ActionStatus status, String detail) {
        real.notifyOutcome(findingId, target, status, detail);
    }
}
