package dev.vigil.core.engine;

import dev.vigil.core.event.SecurityEvent;

/**
 * Remembers the last 8k to 16k events by a 64-bit fingerprint (kind, id, time), to handle a record delivered twice
 * (by EventBridge and in the S3 log file, say) once. Two generations of open-addressed long tables: no allocation
 * per event, memory fixed at 256 KB (cache-resident), the oldest generation dropped whole when the newer one fills.
 */
final class RecentEvents {
    private static final int SLOTS = 1 << 14;
    private static final int GENERATION = SLOTS / 2;

    private long[] current = new long[SLOTS];
    private long[] previous = new long[SLOTS];
    private int size;

    /** True when the event was seen recently; otherwise remembers it. */
    boolean seen(SecurityEvent e) {
        long h = fingerprint(e);
        if (contains(current, h) || contains(previous, h)) return true;
        if (size == GENERATION) {
            long[] t = previous;
            previous = current;
            java.util.Arrays.fill(t, 0L);
            current = t;
            size = 0;
        }
        insert(current, h);
        size++;
        return false;
    }

    private static long fingerprint(SecurityEvent e) {
        long h = 0xcbf29ce484222325L ^ e.getClass().getName().hashCode();
        String id = e.id();
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= e.time().getEpochSecond() * 0x9E3779B97F4A7C15L + e.time().getNano();
        h ^= h >>> 31;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 29;
        return h == 0 ? 1 : h;
    }

    private static boolean contains(long[] t, long h) {
        int i = (int) h & (SLOTS - 1);
        while (true) {
            long v = t[i];
            if (v == 0) return false;
            if (v == h) return true;
            i = (i + 1) & (SLOTS - 1);
        }
    }

    private static void insert(long[] t, long h) {
        int i = (int) h & (SLOTS - 1);
        while (t[i] != 0) i = (i + 1) & (SLOTS - 1);
        t[i] = h;
    }
}
