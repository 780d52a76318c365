package dev.vigil.decode;

/**
 * Reuses the String of a value seen before (event names, regions, user agents, ARNs repeat in every record of a
 * log file), comparing characters in the parser's buffer instead of allocating a new String each time. A direct-
 * mapped cache: a collision simply replaces the entry.
 */
final class StringPool {
    private static final int SLOTS = 4096;
    private final String[] slots = new String[SLOTS];

    String get(char[] buf, int off, int len) {
        int h = 0;
        for (int i = off; i < off + len; i++) h = 31 * h + buf[i];
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String s = slots[slot];
        if (s != null && s.length() == len && same(s, buf, off, len)) return s;
        s = new String(buf, off, len);
        slots[slot] = s;
        return s;
    }

    private static boolean same(String s, char[] buf, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != buf[off + i]) return false;
        }
        return true;
    }
}
