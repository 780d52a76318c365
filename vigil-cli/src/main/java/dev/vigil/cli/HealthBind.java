package dev.vigil.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** {@code --health-bind}: a literal IP address, with an optional port ({@code 0.0.0.0:9464}, {@code [::1]:9464}, {@code 127.0.0.1}). */
record HealthBind(InetAddress address, Integer port) {
    static HealthBind parse(String s) {
        String v = s.trim();
        String host = v;
        String port = null;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) throw new IllegalArgumentException("expected [IPv6]:PORT");
            host = v.substring(1, end);
            String rest = v.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new IllegalArgumentException("expected [IPv6]:PORT");
                port = rest.substring(1);
            }
        } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
            host = v.substring(0, v.indexOf(':'));
            port = v.substring(v.indexOf(':') + 1);
        }
        // literal addresses only: a name would be resolved through DNS at start, and could change under us
        if (!host.matches("[0-9.]{7,15}") && !host.matches("[0-9a-fA-F:.]{2,45}")) {
            throw new IllegalArgumentException("expected a literal IP address such as 127.0.0.1, 0.0.0.0 or [::1]");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(host); // a literal: no look-up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address");
        }
        Integer p = null;
        if (port != null) {
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) throw new IllegalArgumentException("expected a port 0-65535");
            p = Integer.parseInt(port);
        }
        return new HealthBind(a, p);
    }

    static String show(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String h = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return h + ":" + a.getPort();
    }
}
