package dev.vigil.core.sigma;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 and IPv6 addresses and networks, parsed from literals only (never a name look-up). */
final class Networks {
    private Networks() {}

    record Net(byte[] base, int bits) {
        boolean contains(String ip) {
            byte[] a = address(ip);
            if (a == null || a.length != base.length) return false;
            int full = bits / 8;
            for (int i = 0; i < full; i++) if (a[i] != base[i]) return false;
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (base[full] & mask);
        }
    }

    /** A network {@code ADDR/BITS} (or a single address), or null when it is not one. */
    static Net parse(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] a = address(slash < 0 ? cidr : cidr.substring(0, slash));
        if (a == null) return null;
        int bits = a.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (bits < 0 || bits > a.length * 8) return null;
        }
        return new Net(a, bits);
    }

    /** The bytes of an IPv4 or IPv6 literal, or null. */
    static byte[] address(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) return null;
        if (s.indexOf(':') < 0) return v4(s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) return null;
        }
        try {
            byte[] b = InetAddress.getByName(s).getAddress(); // an IPv6 literal: parsed, not looked up
            if (b.length == 4) { // an IPv4-mapped address comes back as 4 bytes
                byte[] m = new byte[16];
                m[10] = (byte) 0xff;
                m[11] = (byte) 0xff;
                System.arraycopy(b, 0, m, 12, 4);
                return m;
            }
            return b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] v4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part > 3) return null;
                out[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (++digits > 3) return null;
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) return null;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }
}
