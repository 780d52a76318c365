package dev.vigil.core.sigma;

/**
 * A Sigma string value with its wildcards resolved: {@code *} (any run) and {@code ?} (one character), with {@code \}
 * escapes as the specification defines them. Matching is iterative, O(text x pattern) at worst, never exponential,
 * and case-insensitive unless {@code cased}.
 */
final class Glob {
    static final int ANY = -1;
    static final int ONE = -2;
    private final int[] p; // code points, or ANY / ONE
    private final int[] folded; // each literal code point folded as same() folds it (ANY / ONE as they are)
    private final boolean cased;
    private final boolean plain; // no wildcards: an equality

    private final boolean prefix; // literal characters then one trailing *: a startswith

    private Glob(int[] p, boolean cased) {
        this.p = p;
        this.cased = cased;
        this.folded = new int[p.length];
        for (int i = 0; i < p.length; i++) folded[i] = p[i] < 0 ? p[i] : fold(p[i]);
        boolean w = false;
        for (int c : p) w |= c < 0;
        this.plain = !w;
        boolean pre = p.length > 1 && p[p.length - 1] == ANY;
        for (int i = 0; i < p.length - 1 && pre; i++) pre = p[i] >= 0;
        this.prefix = pre;
    }

    /** The literal text of a {@code Text*} pattern (a startswith), or null for any other. */
    String prefixText() {
        if (!prefix) return null;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < p.length - 1; i++) b.appendCodePoint(p[i]);
        return b.toString();
    }

    /** Parses a value as written in a rule: wildcards are special, {@code \*}, {@code \?}, {@code \\} escape. */
    static int[] parse(String s) {
        int[] out = new int[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\' && i < s.length()) {
                char next = s.charAt(i);
                if (next == '*' || next == '?') {
                    out[n++] = next;
                    i++;
                    continue;
                }
                if (next == '\\') {
                    // "\\" is one backslash
                    out[n++] = '\\';
                    i++;
                    continue;
                }
                out[n++] = '\\';
                continue;
            }
            if (c == '*') out[n++] = ANY;
            else if (c == '?') out[n++] = ONE;
            else out[n++] = c;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** A value with no wildcards at all (from an encoding modifier, say). */
    static int[] literal(String s) {
        return s.codePoints().toArray();
    }

    static Glob of(int[] pattern, boolean cased) {
        return new Glob(pattern, cased);
    }

    boolean plain() {
        return plain;
    }

    /** The plain text of a pattern without wildcards (for the index). */
    String text() {
        StringBuilder b = new StringBuilder();
        for (int c : p) if (c >= 0) b.appendCodePoint(c);
        return b.toString();
    }

    boolean matches(String s) {
        if (plain) {
            // n code points take n to 2n chars: a text of another length cannot equal the pattern
            int len = s.length();
            if (len < p.length || len > 2L * p.length) return false;
            return cased ? equalsCp(s) : equalsFolded(s);
        }
        if (prefix) return s.length() >= p.length - 1 && startsFolded(s);
        int[] t = s.codePoints().toArray();
        int ti = 0, pi = 0, star = -1, mark = 0;
        while (ti < t.length) {
            if (pi < p.length && (p[pi] == ONE || (p[pi] >= 0 && same(pi, t[ti])))) {
                ti++;
                pi++;
            } else if (pi < p.length && p[pi] == ANY) {
                star = pi++;
                mark = ti;
            } else if (star >= 0) {
                pi = star + 1;
                ti = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == ANY) pi++;
        return pi == p.length;
    }

    private boolean equalsCp(String s) {
        int i = 0, k = 0;
        while (i < s.length()) {
            if (k >= p.length) return false;
            int c = s.codePointAt(i);
            if (c != p[k++]) return false;
            i += Character.charCount(c);
        }
        return k == p.length;
    }

    /** {@code Text*}: the text's first code points are the pattern's literal ones (folded unless cased). */
    private boolean startsFolded(String s) {
        int i = 0, k = 0, n = p.length - 1;
        while (k < n) {
            if (i >= s.length()) return false;
            int c = s.codePointAt(i);
            if (!same(k++, c)) return false;
            i += Character.charCount(c);
        }
        return true;
    }

    private boolean equalsFolded(String s) {
        int i = 0, k = 0;
        while (i < s.length()) {
            if (k >= p.length) return false;
            int c = s.codePointAt(i);
            if (!same(k++, c)) return false;
            i += Character.charCount(c);
        }
        return k == p.length;
    }

    /** Whether the text's code point {@code b} matches the pattern's literal at {@code k} (its fold kept from the start). */
    private boolean same(int k, int b) {
        if (p[k] == b) return true;
        if (cased) return false;
        return folded[k] == fold(b);
    }

    /** Case folding, code point by code point: two code points match case-insensitively when their folds are equal. */
    static int fold(int c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }
}
