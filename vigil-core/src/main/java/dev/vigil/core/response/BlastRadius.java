package dev.vigil.core.response;

import dev.vigil.core.event.AccountId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The blast-radius limit: at most {@code max} disruptive actions per account within a sliding window; beyond it a
 * response is held as skipped, "approval needed".
 *
 * <p>Live runtimes count in wall-clock time: {@link #live} takes the clock (passed in, as everywhere) and where the
 * applied actions are kept (the store), so neither a backlog of old events nor events out of order get more actions
 * per real hour than the limit, and a restart does not reset the count. The store is read lazily, at the first check
 * after {@link #reload()} (never when the limit is built: a Lambda function's init, snapshotted by SnapStart, must not
 * hold a count read then); a store shared by several processes (DynamoDB) is re-read at each event, so one instance
 * sees what the others applied. Without a clock ({@link #NONE}, tests) the time given with each check is used.
 */
public final class BlastRadius {
    /** No limit: replay plans only, so nothing counts. */
    public static final BlastRadius NONE = new BlastRadius(Integer.MAX_VALUE, Duration.ofHours(1));

    /** A disruptive action applied in an account (null: unknown) at a wall-clock time, as the store keeps it. */
    public record Applied(String account, Instant at) {}

    private final int max;
    private final Duration window;
    private final Clock clock;
    private final Function<Instant, List<Applied>> history;
    private final Map<String, ArrayDeque<Instant>> applied = new HashMap<>();
    private boolean stale;
    /** Claimed slots instead of a count read (stores shared by several processes); null: counted. */
    private final BlastSlots slots;
    /** The slot taken by the last {@link #refusal} per account, until {@link #record} uses it or {@link #unused} gives it back. */
    private final Map<String, BlastSlots.Slot> taken = new HashMap<>();

    public BlastRadius(int max, Duration window) {
        this(max, window, null, null);
    }

    private BlastRadius(int max, Duration window, Clock clock, Function<Instant, List<Applied>> history) {
        this(max, window, clock, history, null);
    }

    private BlastRadius(int max, Duration window, Clock clock, Function<Instant, List<Applied>> history, BlastSlots slots) {
        if (max < 0) throw new IllegalArgumentException("max < 0");
        this.slots = slots;
        this.max = max;
        this.window = window;
        this.clock = clock;
        this.history = history;
        this.stale = history != null;
    }

    /**
     * The live limit: counted at {@code clock}'s time, from the applied disruptive actions {@code history} returns
     * since a time (oldest first), plus those applied here since it was last read.
     */
    public static BlastRadius live(int max, Duration window, Clock clock, Function<Instant, List<Applied>> history) {
        return new BlastRadius(max, window, clock, history);
    }

    /**
     * The live limit on a store shared by several processes: each disruptive action takes one of the account's
     * {@code max} slots for the window ({@link BlastSlots}, an atomic check-and-take), so two processes never both take
     * the last one.
     */
    public static BlastRadius claimed(int max, Duration window, Clock clock, BlastSlots slots) {
        return new BlastRadius(max, window, clock, null, java.util.Objects.requireNonNull(slots));
    }

    /** The count is read again from the store at the next check (an event boundary: what this process applied is stored). */
    public synchronized void reload() {
        if (history != null) stale = true;
    }

    /** Whether this limit counts in wall-clock time (live) rather than in the time given with each check. */
    public boolean wallClock() {
        return clock != null;
    }

    /**
     * Null when one more disruptive action in this account is allowed; otherwise why not. {@code eventTime} is used
     * only when this limit has no clock.
     */
    public synchronized String refusal(AccountId account, Instant eventTime) {
        if (max == Integer.MAX_VALUE) return null;
        Instant now = now(eventTime);
        if (slots != null) {
            BlastSlots.Slot held = taken.get(key(account));
            if (held != null) return null; // taken for an action not yet done (a fault came between): still ours
            var slot = slots.take(key(account), now, window, max);
            if (slot.isPresent()) {
                taken.put(key(account), slot.get());
                return null;
            }
            return "approval needed: blast-radius limit of " + max + " disruptive action(s) per " + human(window)
                    + " reached in account " + key(account);
        }
        load(now);
        ArrayDeque<Instant> q = applied.get(key(account));
        int n = q == null ? 0 : count(q, now);
        if (n < max) return null;
        return "approval needed: blast-radius limit of " + max + " disruptive action(s) per " + human(window)
                + " reached in account " + key(account);
    }

    /** Counts one disruptive action applied now (at {@code eventTime} when this limit has no clock). */
    public synchronized void record(AccountId account, Instant eventTime) {
        if (max == Integer.MAX_VALUE) return;
        if (slots != null) { // the slot its refusal check took is used (an action found applied at start took one when first tried)
            taken.remove(key(account));
            return;
        }
        Instant now = now(eventTime);
        load(now);
        applied.computeIfAbsent(key(account), k -> new ArrayDeque<>()).addLast(now);
    }

    /**
     * The disruptive action {@link #refusal} let through was not applied (already applied, failed, held): with claimed
     * slots, its slot is given back. Counted limits have nothing to give back.
     */
    public synchronized void unused(AccountId account) {
        if (slots == null) return;
        BlastSlots.Slot s = taken.remove(key(account));
        if (s != null) slots.giveBack(s);
    }

    /**
     * A disruptive action found applied by an earlier attempt (a crash cut its record short): a counted limit counts it
     * now (the store's count does not hold it yet); with claimed slots, that attempt's slot holds it, and one taken for
     * this check is given back.
     */
    public synchronized void alreadyCounted(AccountId account, Instant eventTime) {
        if (slots == null) record(account, eventTime);
        else unused(account);
    }

    private Instant now(Instant eventTime) {
        return clock != null ? clock.instant() : eventTime;
    }

    private void load(Instant now) {
        if (!stale) return;
        applied.clear();
        for (Applied a : history.apply(now.minus(window))) {
            applied.computeIfAbsent(a.account() == null ? "unknown" : a.account(), k -> new ArrayDeque<>()).addLast(a.at());
        }
        stale = false;
    }

    private int count(ArrayDeque<Instant> q, Instant now) {
        Instant from = now.minus(window);
        while (!q.isEmpty() && !q.peekFirst().isAfter(from)) q.pollFirst();
        if (q.isEmpty() || !q.peekLast().isAfter(now)) return q.size(); // times recorded in order: no walk (O(1) per check)
        int n = 0;
        for (Instant t : q) if (!t.isAfter(now)) n++;
        return n;
    }

    private static String key(AccountId a) {
        return a == null ? "unknown" : a.value();
    }

    private static String human(Duration d) {
        if (d.toMinutes() % 60 == 0 && d.toHours() > 0) return d.toHours() == 1 ? "hour" : d.toHours() + " hours";
        return d.toMinutes() + " minutes";
    }
}
