package dev.vigil.scenario.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Small value helpers for findings. */
final class Sources {
    // CloudTrail's sourceIPAddress is an address, or a service name ("autoscaling.amazonaws.com") when AWS called.
    private static final Pattern ADDRESS = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private Sources() {}

    /** The source address of a call, or null when the call came from an AWS service. */
    static String ip(String sourceIp) {
        return sourceIp != null && ADDRESS.matcher(sourceIp).matches() ? sourceIp : null;
    }

    /** The value, or null when building it throws (an invalid id carried in old timer data). */
    static <T> T orNull(Supplier<T> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * {@link Instant#parse}, quicker for the text {@link Instant#toString} writes for years 1000 to 9999
     * ({@code 2026-12-04T05:00:00Z}, or with 1 to 9 digits of fraction): the same instant. Any other text, or one out of
     * range (month 13, February 30, hour 24, second 60), goes to {@link Instant#parse}, which gives or throws what it
     * always did. (Its parser builds a formatter per call: timers carry their times as text, and are read back often.)
     */
    static Instant instant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') return Instant.parse(s);
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        int nanos = 0;
        if (n > 20) {
            int f = n - 21; // fraction digits between '.' and 'Z'
            if (s.charAt(19) != '.' || f < 1 || f > 9) return Instant.parse(s);
            int v = digits(s, 20, f);
            if (v < 0) return Instant.parse(s);
            for (int i = f; i < 9; i++) v *= 10;
            nanos = v;
        }
        if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) return Instant.parse(s);
        LocalDate date = LocalDate.of(year, month, 1);
        if (day > date.lengthOfMonth()) return Instant.parse(s);
        long epochDay = date.toEpochDay() + day - 1;
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The number the {@code count} ASCII digits at {@code from} write, or -1 when one is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A duration as policies write it: "10m", "1h30m", "45s". */
    static String human(Duration d) {
        StringBuilder b = new StringBuilder();
        if (d.toDays() > 0) b.append(d.toDays()).append('d');
        if (d.toHoursPart() > 0) b.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0) b.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0 || b.isEmpty()) b.append(d.toSecondsPart()).append('s');
        return b.toString();
    }
}
