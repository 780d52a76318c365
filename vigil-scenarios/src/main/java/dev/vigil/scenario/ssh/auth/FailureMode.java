package dev.vigil.scenario.ssh.auth;

import java.util.Locale;

/**
 * Which lines count as failures, as fail2ban's sshd filter modes: {@code normal} (failed log-ins), {@code ddos}
 * (also connections dropped before the SSH exchange: scanners, floods), {@code extra} (also clients that found no
 * common algorithm or authentication method), {@code aggressive} (all of them).
 */
public enum FailureMode {
    NORMAL, DDOS, EXTRA, AGGRESSIVE;

    public boolean ddos() {
        return this == DDOS || this == AGGRESSIVE;
    }

    public boolean extra() {
        return this == EXTRA || this == AGGRESSIVE;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code s}, or null. */
    public static FailureMode parse(String s) {
        if (s == null) return null;
        for (FailureMode m : values()) if (m.label().equals(s.trim().toLowerCase(Locale.ROOT))) return m;
        return null;
    }
}
