package dev.vigil.scenario.audit;

import dev.vigil.core.policy.Params;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Office hours in one IANA zone: working days, a daily start and end (local wall-clock time, so a DST change moves
 * them in UTC) and holidays (local dates, whole days off). An end before the start means hours across midnight.
 */
public record OfficeHours(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone, Set<LocalDate> holidays) {
    public static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    public static final ZoneId UTC = ZoneId.of("UTC");
    public static final LocalTime DEFAULT_START = LocalTime.of(8, 0);
    public static final LocalTime DEFAULT_END = LocalTime.of(18, 0);

    public OfficeHours {
        days = Set.copyOf(days);
        holidays = Set.copyOf(holidays);
        if (start.equals(end)) throw new IllegalArgumentException("office hours start and end are equal");
    }

    public static OfficeHours defaults() {
        return new OfficeHours(WEEKDAYS, DEFAULT_START, DEFAULT_END, UTC, Set.of());
    }

    /** Reads {@code days}, {@code start}, {@code end}, {@code zone} and {@code holidays}. */
    public static OfficeHours read(Params p) {
        Set<DayOfWeek> days = p.days("days", WEEKDAYS);
        LocalTime start = p.time("start", DEFAULT_START);
        LocalTime end = p.time("end", DEFAULT_END);
        ZoneId zone = p.zone("zone", UTC);
        List<LocalDate> holidays = p.dates("holidays", List.of());
        if (start.equals(end)) throw p.error("end", "must differ from start (" + start + ")");
        return new OfficeHours(days, start, end, zone, Set.copyOf(holidays));
    }

    /** True when {@code t} falls inside office hours. */
    public boolean contains(Instant t) {
        ZonedDateTime local = t.atZone(zone);
        LocalTime time = local.toLocalTime();
        if (start.isBefore(end)) {
            return workday(local.toLocalDate()) && !time.isBefore(start) && time.isBefore(end);
        }
        // Hours across midnight: the part after midnight belongs to the previous day's shift.
        if (!time.isBefore(start)) return workday(local.toLocalDate());
        return time.isBefore(end) && workday(local.toLocalDate().minusDays(1));
    }

    private boolean workday(LocalDate d) {
        return days.contains(d.getDayOfWeek()) && !holidays.contains(d);
    }

    /** Why {@code t} is outside office hours, in local terms ("Saturday", "holiday 2024-12-25", "02:13, before 08:00"). */
    public String why(Instant t) {
        ZonedDateTime local = t.atZone(zone);
        LocalDate date = start.isBefore(end) || !local.toLocalTime().isBefore(start) ? local.toLocalDate() : local.toLocalDate().minusDays(1);
        if (holidays.contains(date)) return "holiday " + date;
        if (!days.contains(date.getDayOfWeek())) return dayName(date.getDayOfWeek());
        return "outside " + start + "-" + end;
    }

    /** The local time as written in findings: "2024-03-09 02:13 Sat (America/New_York)". */
    public String local(Instant t) {
        ZonedDateTime local = t.atZone(zone);
        // what String.format(ROOT, "%s %02d:%02d %s (%s)", date, hour, minute, short day name, zone) wrote, without
        // parsing the format and looking the day's name up for every call
        int h = local.getHour(), m = local.getMinute();
        return new StringBuilder(40).append(local.toLocalDate()).append(' ').append((char) ('0' + h / 10)).append((char) ('0' + h % 10))
                .append(':').append((char) ('0' + m / 10)).append((char) ('0' + m % 10)).append(' ')
                .append(SHORT[local.getDayOfWeek().ordinal()]).append(" (").append(zone.getId()).append(')').toString();
    }

    /** Each day's short name as {@link TextStyle#SHORT} in {@link Locale#ROOT} gives it ("Mon"), by ordinal. */
    private static final String[] SHORT = java.util.Arrays.stream(DayOfWeek.values())
            .map(x -> x.getDisplayName(TextStyle.SHORT, Locale.ROOT)).toArray(String[]::new);

    /** "Mon-Fri 08:00-18:00 Europe/Paris (2 holidays)", for findings. */
    public String describe() {
        String d = days.stream().sorted().map(x -> SHORT[x.ordinal()]).reduce((a, b) -> a + "," + b).orElse("no days");
        if (days.equals(WEEKDAYS)) d = "Mon-Fri";
        return d + " " + start + "-" + end + " " + zone.getId() + (holidays.isEmpty() ? "" : " (" + holidays.size() + " holidays)");
    }

    private static String dayName(DayOfWeek d) {
        String n = d.name();
        return n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT);
    }
}
