package dev.vigil.scenario.bastion;

import java.time.Duration;

/** Running times in human units: "2 days 3 hours", "5 hours 12 minutes", "12 minutes". */
final class HumanTime {
    private HumanTime() {}

    static String of(Duration d) {
        if (d == null) return "unknown";
        if (d.isNegative()) d = Duration.ZERO;
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        if (days > 0) return plural(days, "day") + " " + plural(hours, "hour");
        if (hours > 0) return plural(hours, "hour") + " " + plural(minutes, "minute");
        return plural(minutes, "minute");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
