package dev.vigil.decode;

import java.util.Arrays;

/**
 * Reuses the String of a value seen before (event names, regions, user agents, ARNs repeat in every record of a
 * log file), comparing characters in the parser's buffer instead of allocating a new String each time. A direct-
 * mapped cache: a collision simply replaces the entry. Each slot keeps its value's characters beside the String, so
 * the comparison is one vectorized {@link Arrays#equals(char[], int, int, char[], int, int)} (a String's
 * {@code charAt}, with its bounds and coder checks per character, cost an eighth of the decoding thread). The slot is
 * chosen by the length and the first 4 and last 12 characters (values that differ, ARNs, times, regions, differ at
 * their ends), not a hash of every character: a lookup that hits still compares the whole value.
 */
final class StringPool {
    private static final int SLOTS = 4096;
    private final String[] slots = new String[SLOTS];
    private final char[][] chars = new char[SLOTS][];

    String get(char[] buf, int off, int len) {
        int end = off + len;
        int h = len;
        int head = Math.min(len, 4);
        for (int i = off; i < off + head; i++) h = 31 * h + buf[i];
        for (int i = Math.max(off + head, end - 12); i < end; i++) h = 31 * h + buf[i];
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        char[] c = chars[slot];
        if (c != null && c.length == len && Arrays.equals(c, 0, len, buf, off, end)) return slots[slot];
        String s = new String(buf, off, len);
        slots[slot] = s;
        chars[slot] = Arrays.copyOfRange(buf, off, end);
        return s;
    }
}
