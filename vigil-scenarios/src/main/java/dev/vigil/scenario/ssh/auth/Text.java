package dev.vigil.scenario.ssh.auth;

/**
 * A window {@code [start, end)} over one log message with the few scans the classifier needs: fixed-prefix tests,
 * bounded {@code indexOf}, tokens, ports and addresses. No regular expressions, no copies until a field is kept.
 */
final class Text {
    final String s;
    int start;
    int end;
    boolean preauth;
    int count = 1;

    Text(String s) {
        this.s = s;
        this.end = s.length();
    }

    boolean at(String prefix) {
        return at(prefix, start);
    }

    boolean at(String prefix, int i) {
        return i >= 0 && i + prefix.length() <= end && s.startsWith(prefix, i);
    }

    /** True when the window starts with {@code prefix}, ignoring the case of its first letter. */
    boolean atAnyCase(String prefix) {
        if (start + prefix.length() > end) return false;
        char c = s.charAt(start);
        return Character.toLowerCase(c) == Character.toLowerCase(prefix.charAt(0)) && s.startsWith(prefix.substring(1), start + 1);
    }

    boolean endsWith(String suffix) {
        return end - suffix.length() >= start && s.startsWith(suffix, end - suffix.length());
    }

    int find(String x, int from) {
        int i = s.indexOf(x, from);
        return i < 0 || i + x.length() > end ? -1 : i;
    }

    int find(char c, int from) {
        int i = s.indexOf(c, from);
        return i < 0 || i >= end ? -1 : i;
    }

    /** The last occurrence of {@code x} that starts at or after {@code from}, or -1. */
    int findLast(String x, int from) {
        int i = s.lastIndexOf(x, end - x.length());
        return i < from ? -1 : i;
    }

    /** End of the space-delimited token starting at {@code i}. */
    int tokenEnd(int i) {
        int j = s.indexOf(' ', i);
        return j < 0 || j > end ? end : j;
    }

    String sub(int a, int b) {
        return s.substring(a, b);
    }

    char charAt(int i) {
        return s.charAt(i);
    }

    /** Digits at {@code i} as a number (at most 9 digits), or -1 when there are none. */
    int number(int i) {
        int n = 0;
        int j = i;
        while (j < end && j - i < 9 && isDigit(s.charAt(j))) n = n * 10 + (s.charAt(j++) - '0');
        return j == i ? -1 : n;
    }

    int digitsEnd(int i) {
        int j = i;
        while (j < end && isDigit(s.charAt(j))) j++;
        return j;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The remote address in {@code [a, b)}: brackets and an IPv4-mapped {@code ::ffff:} prefix removed. */
    /** "c000:0201" as "192.0.2.1", or null. */
    private static String mappedHex(String s, int a, int b) {
        int colon = s.indexOf(':', a);
        if (colon < 0 || colon >= b) return null;
        int hi = hex(s, a, colon);
        int lo = hex(s, colon + 1, b);
        if (hi < 0 || lo < 0) return null;
        return (hi >> 8) + "." + (hi & 255) + "." + (lo >> 8) + "." + (lo & 255);
    }

    private static int hex(String s, int a, int b) {
        if (b <= a || b - a > 4) return -1;
        int v = 0;
        for (int i = a; i < b; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        return v;
    }

    String address(int a, int b) {
        return address(s, a, b);
    }

    static String address(String s, int a, int b) {
        while (b > a && (s.charAt(b - 1) == ',' || s.charAt(b - 1) == ';')) b--;
        if (b - a >= 2 && s.charAt(a) == '[' && s.charAt(b - 1) == ']') {
            a++;
            b--;
        }
        if (b - a > 7 && s.regionMatches(true, a, "::ffff:", 0, 7) && s.indexOf('.', a + 7) > 0 && s.indexOf('.', a + 7) < b) a += 7;
        if (b - a > 7 && b - a <= 16 && s.regionMatches(true, a, "::ffff:", 0, 7)) {
            String v4 = mappedHex(s, a + 7, b); // ::ffff:c000:0201, the hex form of an IPv4-mapped address
            if (v4 != null) return v4;
        }
        int zone = s.indexOf('%', a);
        if (zone >= 0 && zone < b && s.lastIndexOf(':', zone) >= a) b = zone; // fe80::1%eth0: the zone is the host's own, never the source's
        return a >= b ? null : s.substring(a, b);
    }
}
