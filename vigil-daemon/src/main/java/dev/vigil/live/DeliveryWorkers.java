package dev.vigil.live;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The daemon's delivery threads: one {@link DeliveryWorker} per notification target of the policy, and one catch-all
 * for deliveries to targets no longer in it (recorded before the policy changed), so that a target that hangs delays
 * no other target's deliveries, and nothing recorded is left behind. A finding recorded with a queued delivery wakes
 * that target's worker (the catch-all's, for a target without one).
 */
final class DeliveryWorkers {
    private final Map<String, DeliveryWorker> byTarget = new LinkedHashMap<>();
    private final DeliveryWorker other;

    DeliveryWorkers(LivePipeline pipeline, Collection<String> targets, Clock clock, BiConsumer<String, String> problems) {
        for (String t : targets) byTarget.put(t, DeliveryWorker.of(pipeline, t, clock, problems));
        this.other = DeliveryWorker.catchAll(pipeline, Set.copyOf(byTarget.keySet()), clock, problems);
        pipeline.deliveriesOffPath(this::wake);
    }

    private List<DeliveryWorker> all() {
        List<DeliveryWorker> out = new ArrayList<>(byTarget.values());
        out.add(other);
        return out;
    }

    /** The targets with a worker of their own, in the policy's order. */
    Set<String> targets() {
        return byTarget.keySet();
    }

    void start() {
        for (DeliveryWorker w : all()) w.start();
    }

    void wake(String target) {
        byTarget.getOrDefault(target, other).wake();
    }

    /** Waits (at most {@code waitMillis} in all) until every worker's round finds nothing due: for runs that end when their input does. */
    void drain(long waitMillis) {
        long end = System.nanoTime() + waitMillis * 1_000_000L;
        List<DeliveryWorker> all = all();
        for (DeliveryWorker w : all) w.expectIdle();
        while (System.nanoTime() < end && !all.stream().allMatch(DeliveryWorker::idle)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops every worker at once and waits up to {@code waitMillis} in all (not per worker) for the deliveries in hand,
     * each bounded by its target's timeout; returns whether every worker ended.
     */
    boolean stop(long waitMillis) throws InterruptedException {
        List<DeliveryWorker> all = all();
        for (DeliveryWorker w : all) w.stopTaking();
        long end = System.nanoTime() + waitMillis * 1_000_000L;
        boolean ended = true;
        for (DeliveryWorker w : all) ended &= w.join(Math.max(1, (end - System.nanoTime()) / 1_000_000L));
        return ended;
    }
}
