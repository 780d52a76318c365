package dev.vigil.scenario.ssh;

import java.util.ArrayList;
import java.util.List;

/**
 * Sliding event-time windows, one per key (instance and source address): "N in W". A key that reaches its threshold
 * fires once, then is muted for {@code muteMillis} and starts again from zero. Memory is bounded: a key idle for
 * longer than its window (and no longer muted) is dropped as later events pass, and beyond {@code maxKeys} the least
 * recently used key goes; a window keeps at most {@code threshold} entries.
 *
 * <p>With {@code distinct}, entries carry a label (a user name) and the window counts distinct labels.
 *
 * <p>With {@code leakMillis > 0} a key holds a leaky bucket instead (CrowdSec's and fail2ban's form): its level
 * drains by one every {@code leakMillis} of event time, each event adds its weight, and the event that lifts the level
 * above {@code threshold} (the capacity) overflows it. With {@code distinct}, a label already in the bucket adds
 * nothing (CrowdSec's {@code distinct}); the labels go when the bucket has drained empty.
 *
 * <p>Windows that count by the same keys share a {@link KeyTable} (a line's key is looked up once for all of them);
 * each keeps its keys in least-recently-used order in a list through its windows (what a {@code LinkedHashMap} in
 * access order did, without a look-up a rule and with the eldest one field away).
 */
final class KeyedWindows {
    private final int threshold;
    private final long windowMillis;
    private final long muteMillis;
    private final int maxKeys;
    private final boolean distinct;
    private final long leakMillis;
    private final KeyTable table;
    private final int column;
    /** Least recently used first. */
    private Window head;
    private Window tail;
    private int size;
    /**
     * The head as the last sweep left it, and a time before which it cannot go: a sweep before then is over without
     * reading the head (cold memory by then). Reset when the head's own window changes.
     */
    private Window sweptHead;
    private long sweepAfter;

    KeyedWindows(int threshold, long windowMillis, long muteMillis, int maxKeys, boolean distinct) {
        this(new KeyTable(), threshold, windowMillis, muteMillis, maxKeys, distinct, 0);
    }

    /**
     * With {@code leakMillis > 0}, leaky buckets of capacity {@code threshold}; {@code windowMillis} is then the idle
     * time after which a key goes. Its keys are rows of {@code table}.
     */
    KeyedWindows(KeyTable table, int threshold, long windowMillis, long muteMillis, int maxKeys, boolean distinct, long leakMillis) {
        this.table = table;
        this.column = table.column();
        this.threshold = Math.max(1, threshold);
        this.leakMillis = leakMillis;
        this.windowMillis = leakMillis > 0 ? Math.max(windowMillis, leakMillis * (this.threshold + 1L)) : windowMillis;
        this.muteMillis = muteMillis;
        this.maxKeys = maxKeys;
        this.distinct = distinct;
    }

    private static final long[] NO_TIMES = new long[0];
    private static final int[] NO_WEIGHTS = new int[0];

    /** One key's recent entries, a few sample lines, and its mute. */
    static final class Window {
        // allocated on the first sliding-window entry (a leaky bucket needs none; one-off sources are most keys)
        private long[] times = NO_TIMES;
        private int[] weights = NO_WEIGHTS;
        private String[] labels;
        private int size;
        private long sum;
        long last;
        long mutedUntil = Long.MIN_VALUE;
        /** Leaky bucket: the level at {@code levelAt}. */
        double level;
        long levelAt;
        /** The last three samples, oldest first (kept as given, log lines, formatted only when reported): fields, not a list a key. */
        private Object sample0;
        private Object sample1;
        private Object sample2;
        private int samples;
        final KeyTable.Row row;
        private Window prev;
        private Window next;

        Window(KeyTable.Row row) {
            this.row = row;
        }

        long sum() {
            return sum;
        }

        /** The last three samples given, oldest first. */
        List<Object> samples() {
            return switch (samples) {
                case 0 -> List.of();
                case 1 -> List.of(sample0);
                case 2 -> List.of(sample0, sample1);
                default -> List.of(sample0, sample1, sample2);
            };
        }

        private void sample(Object o) {
            switch (samples) {
                case 0 -> sample0 = o;
                case 1 -> sample1 = o;
                case 2 -> sample2 = o;
                default -> { // the oldest goes
                    sample0 = sample1;
                    sample1 = sample2;
                    sample2 = o;
                    return;
                }
            }
            samples++;
        }

        List<String> labels() {
            List<String> out = new ArrayList<>();
            if (labels != null) for (int i = 0; i < size; i++) if (labels[i] != null) out.add(labels[i]);
            return out;
        }
    }

    private boolean lastMuted;

    int size() {
        return size;
    }

    /** The key's row in this window's table (for {@link #add(KeyTable.Row, long, int, String, Object)}). */
    KeyTable.Row row(String key) {
        return table.row(key);
    }

    /** True when the key of the last {@link #add} was muted (it added nothing): spares a second look-up. */
    boolean lastAddMuted() {
        return lastMuted;
    }

    /**
     * Adds {@code weight} (or one distinct {@code label}) for {@code key} at {@code now}. Returns the window when this
     * addition reaches the threshold (the caller reports, the key is then muted), else null.
     */
    Window add(String key, long now, int weight, String label, Object sample) {
        return add(table.row(key), now, weight, label, sample);
    }

    /** {@link #add(String, long, int, String, Object)} for a row of this window's table. */
    Window add(KeyTable.Row key, long now, int weight, String label, Object sample) {
        sweep(now);
        Window w = getOrCreate(key);
        if (w == sweptHead) sweptHead = null;
        w.last = now;
        lastMuted = now < w.mutedUntil;
        if (lastMuted) return null;
        if (leakMillis > 0) {
            if (!pour(w, now, weight, label)) return null;
        } else {
            prune(w, now);
            if (distinct) addLabel(w, now, label == null ? "" : label);
            else addWeight(w, now, weight);
        }
        if (sample != null) w.sample(sample);
        if (leakMillis > 0 ? w.level <= threshold : w.sum < threshold) return null;
        return w;
    }

    /** Leaky bucket: drains the level to {@code now}, then adds the event; false when a distinct label was already in. */
    private boolean pour(Window w, long now, int weight, String label) {
        if (w.level > 0 && now > w.levelAt) {
            w.level -= (double) (now - w.levelAt) / leakMillis;
            if (w.level <= 0) {
                w.level = 0;
                w.sum = 0;
                w.size = 0;
                if (w.labels != null) java.util.Arrays.fill(w.labels, null);
            }
        }
        if (now > w.levelAt) w.levelAt = now;
        if (distinct) {
            String l = label == null ? "" : label;
            if (w.labels == null) w.labels = new String[Math.min(threshold + 1, 64)];
            for (int i = 0; i < w.size; i++) if (l.equals(w.labels[i])) return false;
            if (w.size == w.labels.length) { // the oldest label goes (bounded memory); the level still counts it
                System.arraycopy(w.labels, 1, w.labels, 0, w.size - 1);
                w.size--;
            }
            w.labels[w.size++] = l;
            weight = 1;
        }
        w.level += weight;
        w.sum += weight;
        return true;
    }

    /** Mutes a key that fired and empties its window (its samples and labels stay readable until the next add). */
    void fired(Window w, long now) {
        if (w == sweptHead) sweptHead = null;
        w.mutedUntil = now + muteMillis;
        w.size = 0;
        w.sum = 0;
        w.level = 0;
        w.levelAt = now;
    }

    /** Mutes {@code key} as if it had fired (another rule reported the same attack), emptying it. */
    void mute(KeyTable.Row key, long now) {
        Window w = getOrCreate(key);
        if (w == sweptHead) sweptHead = null;
        w.last = now;
        fired(w, now);
    }

    /** True while a key that fired is muted (its finding is recent). */
    boolean muted(String key, long now) {
        Window w = get(table.row(key));
        return w != null && now < w.mutedUntil;
    }

    /**
     * The key's window when its weight within the window has reached the threshold (a leaky bucket: when its level is
     * above its capacity), else null (nothing added).
     */
    Window reached(KeyTable.Row key, long now) {
        Window w = get(key);
        if (w == null || now < w.mutedUntil) return null;
        if (leakMillis > 0) { // a leaky bucket: its level drained to now (not stored: the next add drains as ever)
            double level = w.level;
            if (level > 0 && now > w.levelAt) level -= (double) (now - w.levelAt) / leakMillis;
            return level > threshold ? w : null;
        }
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

    /** The key's window, now the most recently used, or null. */
    private Window get(KeyTable.Row key) {
        Window w = column < key.windows.length ? key.windows[column] : null;
        if (w != null && w != tail) {
            unlink(w);
            append(w);
        }
        return w;
    }

    private Window getOrCreate(KeyTable.Row key) {
        Window w = get(key);
        if (w != null) return w;
        w = new Window(key);
        table.put(key, column, w);
        append(w);
        size++;
        if (size > maxKeys) remove(head);
        return w;
    }

    private void append(Window w) {
        w.prev = tail;
        w.next = null;
        if (tail == null) head = w;
        else tail.next = w;
        tail = w;
    }

    private void unlink(Window w) {
        if (w.prev == null) head = w.next;
        else w.prev.next = w.next;
        if (w.next == null) tail = w.prev;
        else w.next.prev = w.prev;
        w.prev = null;
        w.next = null;
    }

    private void remove(Window w) {
        unlink(w);
        size--;
        table.remove(w.row, column);
    }

    /** Drops idle keys from the least recently used end (a few per call: amortized O(1)). */
    private void sweep(long now) {
        Window w = head;
        if (w != null && w == sweptHead && now < sweepAfter) return;
        for (int n = 0; n < 4 && w != null; n++) {
            Window next = w.next;
            if (leakMillis > 0 ? w.level > 0 && (double) (now - w.levelAt) < w.level * leakMillis : now - w.last <= windowMillis) {
                if (n == 0) keep(w);
                return;
            }
            if (now >= w.mutedUntil) remove(w); // a muted key stays until its mute ends
            w = next;
        }
    }

    /** Notes when the head {@code w}, which a sweep kept, may go at the earliest (a bound the check above agrees with). */
    private void keep(Window w) {
        if (leakMillis > 0) {
            double drain = w.level * leakMillis; // kept while now - levelAt < drain
            if (!(drain > 2) || drain > 1e15) return;
            sweepAfter = w.levelAt + (long) Math.floor(drain) - 1;
        } else {
            if (w.last > Long.MAX_VALUE - windowMillis - 1) return;
            sweepAfter = w.last + windowMillis + 1; // kept while now - last <= windowMillis
        }
        sweptHead = w;
    }
}
