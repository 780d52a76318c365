package dev.vigil.core.engine;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Timers in memory, ordered by due time (ties by owner and key, so replay is deterministic). */
public final class InMemoryTimerStore implements TimerStore {
    private static final Comparator<Timer> ORDER = Comparator.comparing(Timer::due)
            .thenComparing(Timer::owner)
            .thenComparing(Timer::key);

    private final TreeSet<Timer> byDue = new TreeSet<>(ORDER);
    private final Map<String, Timer> byKey = new HashMap<>();

    private static String id(String owner, String key) {
        return owner + "\u0000" + key;
    }

    @Override
    public synchronized void schedule(Timer timer) {
        Timer old = byKey.put(id(timer.owner(), timer.key()), timer);
        if (old != null) byDue.remove(old);
        byDue.add(timer);
    }

    @Override
    public synchronized void cancel(String owner, String key) {
        Timer old = byKey.remove(id(owner, key));
        if (old != null) byDue.remove(old);
    }

    @Override
    public synchronized Optional<Timer> get(String owner, String key) {
        return Optional.ofNullable(byKey.get(id(owner, key)));
    }

    @Override
    public synchronized Optional<Timer> takeNextDue(Instant upTo) {
        if (byDue.isEmpty() || byDue.first().due().isAfter(upTo)) return Optional.empty();
        Timer t = byDue.pollFirst();
        byKey.remove(id(t.owner(), t.key()));
        return Optional.of(t);
    }

    @Override
    public synchronized Optional<Instant> nextDue() {
        return byDue.isEmpty() ? Optional.empty() : Optional.of(byDue.first().due());
    }
}
