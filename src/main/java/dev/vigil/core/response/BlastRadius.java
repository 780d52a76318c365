package dev.vigil.core.response;

import dev.vigil.core.event.AccountId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The blast-radius limit: at most {@code max} disruptive actions per account within a sliding window; beyond it a
 * response is held as skipped, "approval needed". Live runtimes seed it from their action ledger on start
 * ({@link #record}), so a restart does not reset the count.
 */
public final class BlastRadius {
    /** No limit: replay plans only, so nothing counts. */
    public static final BlastRadius NONE = new BlastRadius(Integer.MAX_VALUE, Duration.ofHours(1));

    private final int max;
    private final Duration window;
    private final Map<String, ArrayDeque<Instant>> applied = new HashMap<>();

    public BlastRadius(int max, Duration window) {
        if (max < 0) throw new IllegalArgumentException("max < 0");
        this.max = max;
        this.window = window;
    }

    /** Null when one more disruptive action in this account is allowed at {@code now}; otherwise why not. */
    public synchronized String refusal(AccountId account, Instant now) {
        if (max == Integer.MAX_VALUE) return null;
        ArrayDeque<Instant> q = applied.get(key(account));
        int n = q == null ? 0 : count(q, now);
        if (n < max) return null;
        return "approval needed: blast-radius limit of " + max + " disruptive action(s) per " + human(window)
                + " reached in account " + key(account);
    }

    /** Counts one disruptive action applied at {@code at}. */
    public synchronized void record(AccountId account, Instant at) {
        if (max == Integer.MAX_VALUE) return;
        applied.computeIfAbsent(key(account), k -> new ArrayDeque<>()).addLast(at);
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
