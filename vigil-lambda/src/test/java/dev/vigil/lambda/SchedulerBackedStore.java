package dev.vigil.lambda;

import dev.vigil.core.engine.TimerStore;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.store.RuntimeStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store as the functions have it in production, state in one store and timers in EventBridge Scheduler: here the
 * state in SQLite (fast, for most handler tests; {@code DynamoWiringTest} runs the handlers on DynamoDB on moto) and
 * the timers in {@code SchedulerTimers}. Every other method goes to the state store, the ledger's defaulted ones too
 * (the attempt kept with a claim, the outcome kept with its completion, the retake of an interrupted claim): a default
 * left in place here would be the ledger that keeps nothing, not the store under test ({@code StoreWrappersTest}).
 */
final class SchedulerBackedStore implements RuntimeStore {
    private final RuntimeStore state;
    private final TimerStore timers;

    SchedulerBackedStore(RuntimeStore state, TimerStore timers) {
        this.state = state;
        this.timers = timers;
    }

    @Override
    public String name() {
        return state.name();
    }

    @Override
    public boolean shared() {
        return state.shared();
    }

    @Override
    public java.util.Optional<dev.vigil.core.response.BlastSlots> blastSlots() {
        return state.blastSlots();
    }

    @Override
    public TimerStore timers() {
        return timers;
    }

    @Override
    public boolean isProcessed(String key) {
        return state.isProcessed(key);
    }

    @Override
    public boolean markFirst(String key, Instant eventTime) {
        return state.markFirst(key, eventTime);
    }

    @Override
    public int forgetProcessedBefore(Instant cutoff) {
        return state.forgetProcessedBefore(cutoff);
    }

    @Override
    public List<AppliedAction> disruptiveAppliedSince(Instant from) {
        return state.disruptiveAppliedSince(from);
    }

    @Override
    public List<PendingDelivery> dueDeliveries(Instant now, String target, int limit) {
        return state.dueDeliveries(now, target, limit);
    }

    @Override
    public List<PendingDelivery> dueDeliveries(Instant now, int limit) {
        return state.dueDeliveries(now, limit);
    }

    @Override
    public List<PendingDelivery> dueDeliveriesExcept(Instant now, java.util.Set<String> except, int limit) {
        return state.dueDeliveriesExcept(now, except, limit);
    }

    @Override
    public void deliveryFailed(PendingDelivery d, String error, Instant next) {
        state.deliveryFailed(d, error, next);
    }

    @Override
    public void deliveryDone(PendingDelivery d) {
        state.deliveryDone(d);
    }

    @Override
    public void reject(String messageId, String source, String body, String error) {
        state.reject(messageId, source, body, error);
    }

    @Override
    public void commit() {
        state.commit();
    }

    @Override
    public Optional<Claim> claim(String key, String policy, String rule, Instant at) {
        return state.claim(key, policy, rule, at);
    }

    @Override
    public Optional<Claim> claim(String key, String policy, String rule, Instant at, java.util.Map<String, Object> undo) {
        return state.claim(key, policy, rule, at, undo);
    }

    @Override
    public Optional<Claim> claim(String key, String policy, String rule, Instant at, java.util.Map<String, Object> undo, Attempt attempt) {
        return state.claim(key, policy, rule, at, undo, attempt);
    }

    @Override
    public java.util.Map<String, Object> kept(String key) {
        return state.kept(key);
    }

    @Override
    public void complete(String key, String status) {
        state.complete(key, status);
    }

    @Override
    public void complete(String key, String status, Outcome outcome, String findingId) {
        state.complete(key, status, outcome, findingId);
    }

    @Override
    public Optional<Outcome> outcome(String key, String findingId) {
        return state.outcome(key, findingId);
    }

    @Override
    public boolean retake(String key) {
        return state.retake(key);
    }

    @Override
    public List<Attempt> interruptedAttempts() {
        return state.interruptedAttempts();
    }

    @Override
    public int interruptedAtOpen() {
        return state.interruptedAtOpen();
    }

    @Override
    public void release(String key) {
        state.release(key);
    }

    @Override
    public void save(Finding finding) {
        state.save(finding);
    }

    @Override
    public List<Finding> recent(int limit) {
        return state.recent(limit);
    }

    @Override
    public Optional<Finding> find(String findingId) {
        return state.find(findingId);
    }

    @Override
    public void notifyOutcome(String findingId, String target, dev.vigil.core.finding.ActionStatus status, String detail) {
        state.notifyOutcome(findingId, target, status, detail);
    }
}
