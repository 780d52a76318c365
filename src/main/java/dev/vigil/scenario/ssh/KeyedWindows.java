package dev.vigil.scenario.ssh;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sliding event-time windows, one per key (instance and source address): "N in W". A key that reaches its threshold
 * fires once, then is muted for {@code muteMillis} and starts again from zero. Memory is bounded: a key idle for
 * longer than its window (and no longer muted) is dropped as later events pass, and beyond {@code maxKeys} the least
 * recently used key goes; a window keeps at most {@code threshold} entries.
 *
 * <p>With {@code distinct}, entries carry a label (a user name) and the window counts distinct labels.
 */
final class KeyedWindows {
    private final int threshold;
    private final long windowMillis;
    private final long muteMillis;
    private final int maxKeys;
    private final boolean distinct;
    private final LinkedHashMap<String, Window> keys = new LinkedHashMap<>(64, 0.75f, true);

    KeyedWindows(int threshold, long windowMillis, long muteMillis, int maxKeys, boolean distinct) {
        this.threshold = Math.max(1, threshold);
        this.windowMillis = windowMillis;
        this.muteMillis = muteMillis;
        this.maxKeys = maxKeys;
        this.distinct = distinct;
    }

    /** One key's recent entries, a few sample lines, and its mute. */
    static final class Window {
        private long[] times = new long[2];
        private int[] weights = new int[2];
        private String[] labels;
        private int size;
        private long sum;
        long last;
        long mutedUntil = Long.MIN_VALUE;
        final List<Object> samples = new ArrayList<>(3); // kept as given (log lines), formatted only when reported

        long sum() {
            return sum;
        }

        List<String> labels() {
            List<String> out = new ArrayList<>();
            if (labels != null) for (int i = 0; i < size; i++) if (labels[i] != null) out.add(labels[i]);
            return out;
        }
    }

    int size() {
        return keys.size();
    }

    /**
     * Adds {@code weight} (or one distinct {@code label}) for {@code key} at {@code now}. Returns the window when this
     * addition reaches the threshold (the caller reports, the key is then muted), else null.
     */
    Window add(String key, long now, int weight, String label, Object sample) {
        sweep(now);
        Window w = keys.get(key);
        if (w == null) {
            w = new Window();
            keys.put(key, w);
            if (keys.size() > maxKeys) dropEldest();
        }
        w.last = now;
        if (now < w.mutedUntil) return null;
        prune(w, now);
        if (distinct) addLabel(w, now, label == null ? "" : label);
        else addWeight(w, now, weight);
        if (sample != null) {
            if (w.samples.size() == 3) w.samples.remove(0);
            w.samples.add(sample);
        }
        if (w.sum < threshold) return null;
        return w;
    }

    /** Mutes a key that fired and empties its window (its samples and labels stay readable until the next add). */
    void fired(Window w, long now) {
        w.mutedUntil = now + muteMillis;
        w.size = 0;
        w.sum = 0;
    }

    /** True while a key that fired is muted (its finding is recent). */
    boolean muted(String key, long now) {
        Window w = keys.get(key);
        return w != null && now < w.mutedUntil;
    }

    /** The key's window when its weight within the window has reached the threshold, else null (nothing added). */
    Window reached(String key, long now) {
        Window w = keys.get(key);
        if (w == null || now < w.mutedUntil) return null;
        prune(w, now);
        return w.sum >= threshold ? w : null;
    }

    private void addWeight(Window w, long now, int weight) {
        if (w.size == w.times.length) grow(w);
        w.times[w.size] = now;
        w.weights[w.size] = weight;
        w.size++;
        w.sum += weight;
        // entries beyond the threshold never matter: the oldest go
        while (w.size > 1 && w.sum - w.weights[0] >= threshold) removeFirst(w);
    }

    private void addLabel(Window w, long now, String label) {
        if (w.labels == null) w.labels = new String[w.times.length];
        for (int i = 0; i < w.size; i++) {
            if (label.equals(w.labels[i])) {
                removeAt(w, i);
                break;
            }
        }
        if (w.size == w.times.length) grow(w);
        w.times[w.size] = now;
        w.weights[w.size] = 1;
        w.labels[w.size] = label;
        w.size++;
        w.sum++;
        while (w.size > threshold) removeFirst(w);
    }

    private void prune(Window w, long now) {
        while (w.size > 0 && now - w.times[0] > windowMillis) removeFirst(w);
    }

    private static void removeFirst(Window w) {
        removeAt(w, 0);
    }

    private static void removeAt(Window w, int i) {
        w.sum -= w.weights[i];
        int n = w.size - i - 1;
        System.arraycopy(w.times, i + 1, w.times, i, n);
        System.arraycopy(w.weights, i + 1, w.weights, i, n);
        if (w.labels != null) {
            System.arraycopy(w.labels, i + 1, w.labels, i, n);
            w.labels[w.size - 1] = null;
        }
        w.size--;
    }

    private void grow(Window w) {
        int n = Math.min(Math.max(4, w.times.length * 2), threshold + 1);
        if (n <= w.times.length) n = w.times.length + 1;
        w.times = java.util.Arrays.copyOf(w.times, n);
        w.weights = java.util.Arrays.copyOf(w.weights, n);
        if (w.labels != null) w.labels = java.util.Arrays.copyOf(w.labels, n);
    }

    /** Drops idle keys from the least recently used end (a few per call: amortized O(1)). */
    private void sweep(long now) {
        Iterator<Map.Entry<String, Window>> it = keys.entrySet().iterator();
        for (int n = 0; n < 4 && it.hasNext(); n++) {
            Window w = it.next().getValue();
            if (now - w.last <= windowMillis) return;
            if (now >= w.mutedUntil) it.remove(); // a muted key stays until its mute ends
        }
    }

    private void dropEldest() {
        Iterator<Map.Entry<String, Window>> it = keys.entrySet().iterator();
        if (it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
