package dev.vigil.scenario.ssh;

import java.util.Locale;

/**
 * Literal IPv4 / IPv6 addresses and CIDR ranges, parsed by hand: no DNS look-up ever (InetAddress would resolve a
 * host name). Odd forms such as {@code 192.030.0.6} (leading zeros) are not canonical and parse as nothing: vigil
 * does not guess whether they are octal.
 */
final class SourceAddress {
    private SourceAddress() {}

    /** The 4 or 16 bytes of a canonical literal address, or null (host names, odd forms). */
    static byte[] parse(String s) {
        if (s == null || s.isEmpty()) return null;
        return s.indexOf(':') >= 0 ? parse6(s) : parse4(s);
    }

    /** The address as a /32 or /128 network ACL block, or null when it is not a canonical literal. */
    static String cidr(String s) {
        byte[] b = parse(s);
        if (b == null) return null;
        return b.length == 4 ? s + "/32" : s.toLowerCase(Locale.ROOT) + "/128";
    }

    /** 127.0.0.0/8, ::1, and IPv4-mapped loopback. */
    static boolean loopback(byte[] a) {
        if (a == null) return false;
        if (a.length == 4) return a[0] == 127;
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        if (a[10] == (byte) 0xff && a[11] == (byte) 0xff) return a[12] == 127;
        if (a[10] != 0 || a[11] != 0 || a[12] != 0 || a[13] != 0 || a[14] != 0) return false;
        return a[15] == 1;
    }

    static boolean isV6(String s) {
        return s != null && s.indexOf(':') >= 0;
    }

    private static byte[] parse4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        while (part < 4) {
            int start = i;
            int v = 0;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 3) v = v * 10 + (s.charAt(i++) - '0');
            int len = i - start;
            if (len == 0 || v > 255 || (len > 1 && s.charAt(start) == '0')) return null;
            out[part++] = (byte) v;
            if (part < 4) {
                if (i >= s.length() || s.charAt(i) != '.') return null;
                i++;
            }
        }
        return i == s.length() ? out : null;
    }

    private static byte[] parse6(String s) {
        String t = s;
        int zone = t.indexOf('%');
        if (zone >= 0) t = t.substring(0, zone);
        byte[] out = new byte[16];
        int dbl = t.indexOf("::");
        if (dbl >= 0 && t.indexOf("::", dbl + 1) >= 0) return null;
        String head = dbl >= 0 ? t.substring(0, dbl) : t;
        String tail = dbl >= 0 ? t.substring(dbl + 2) : "";
        int[] h = groups(head);
        int[] tl = groups(tail);
        if (h == null || tl == null) return null;
        int total = h.length + tl.length;
        if (dbl < 0 ? total != 8 : total > 7) return null;
        for (int i = 0; i < h.length; i++) put(out, i, h[i]);
        for (int i = 0; i < tl.length; i++) put(out, 8 - tl.length + i, tl[i]);
        return out;
    }

    private static int[] groups(String s) {
        if (s.isEmpty()) return new int[0];
        String[] parts = s.split(":", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4) return null;
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = Character.digit(p.charAt(k), 16);
                if (d < 0) return null;
                v = v * 16 + d;
            }
            out[i] = v;
        }
        return out;
    }

    private static void put(byte[] out, int group, int v) {
        out[group * 2] = (byte) (v >> 8);
        out[group * 2 + 1] = (byte) v;
    }

    /** A CIDR range such as 10.0.0.0/8 or 2001:db8::/32; a bare address is a /32 or /128. */
    record Range(byte[] network, int bits, String text) {
        static Range parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            byte[] net = SourceAddress.parse(slash < 0 ? t : t.substring(0, slash));
            if (net == null) return null;
            int bits = net.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
                if (bits < 0 || bits > net.length * 8) return null;
            }
            return new Range(net, bits, t);
        }

        boolean contains(byte[] a) {
            if (a == null || a.length != network.length) return false;
            int full = bits / 8;
            for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
