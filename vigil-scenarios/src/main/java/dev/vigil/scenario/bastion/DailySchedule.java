package dev.vigil.scenario.bastion;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A local time of day in a time zone. Each occurrence is computed as a local date-time in the zone, so it stays at
 * 09:00 local across daylight-saving changes (the UTC instant moves by an hour); a time that falls in a spring-forward
 * gap is moved forward by the gap's length, and one in an autumn overlap takes the earlier offset (java.time's rules).
 */
record DailySchedule(LocalTime time, ZoneId zone) {

    /** The first occurrence strictly after {@code after}. */
    Instant next(Instant after) {
        LocalDate day = after.atZone(zone).toLocalDate();
        for (int i = 0; i < 3; i++) {
            Instant candidate = ZonedDateTime.of(day.plusDays(i), time, zone).toInstant();
            if (candidate.isAfter(after)) return candidate;
        }
        // unreachable for real zones (offsets change by less than a day); keeps the method total
        return ZonedDateTime.of(day.plusDays(3), time, zone).toInstant();
    }

    String describe() {
        return time + " " + ("Z".equals(zone.getId()) ? "UTC" : zone.getId());
    }
}
