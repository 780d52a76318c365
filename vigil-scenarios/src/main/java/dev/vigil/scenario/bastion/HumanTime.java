package dev.vigil.scenario.bastion;

import java.time.Duration;

/** Running times in words for notifications: the largest unit and the next one, such as "2 days 3 hours". */
final class HumanTime {
    private HumanTime() {}

    static String of(Duration d) {
        if (d == null) return null;
        if (d.isNegative()) d = Duration.ZERO;
        long[] values = {d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart()};
        String[] units = {"day", "hour", "minute", "second"};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == 0) continue;
            String out = part(values[i], units[i]);
            // the next unit only when not zero: "2 days", not "2 days 0 hours"
            if (i + 1 < values.length && values[i + 1] != 0) out += " " + part(values[i + 1], units[i + 1]);
            return out;
        }
        return "0 minutes";
    }

    private static String part(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
