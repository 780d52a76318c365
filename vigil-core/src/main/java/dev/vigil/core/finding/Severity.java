package dev.vigil.core.finding;

import java.util.Locale;

/** Finding severity, ordered from least to most severe. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    private final String label = name().toLowerCase(Locale.ROOT); // made once: every finding written asks for it

    /** The lower-case name used in policies and output. */
    public String label() {
        return label;
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Parses info|low|medium|high|critical (any case); null when it is none of them. */
    public static Severity parse(String s) {
        if (s == null) return null;
        for (Severity v : values()) {
            if (v.label().equalsIgnoreCase(s.trim())) return v;
        }
        return null;
    }
}
