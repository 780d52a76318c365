package dev.vigil.scenario.audit;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The local time and office hours as findings write them, against the {@code String.format} and stream of display
 * names they were written with before: seeded instants (years 1 to 12,000) in zones of every kind of offset, and
 * random sets of days. The seed is printed.
 */
class OfficeHoursTextTest {
    private static final List<String> ZONES = List.of("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu",
            "Pacific/Chatham", "America/St_Johns", "Pacific/Kiritimati", "Etc/GMT+12", "Australia/Lord_Howe");

    @Test
    void theLocalTimeAndHoursAreWrittenAsBefore() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(), max = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            ZoneId zone = ZoneId.of(ZONES.get(rnd.nextInt(ZONES.size())));
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (DayOfWeek d : DayOfWeek.values()) if (rnd.nextBoolean()) days.add(d);
            if (rnd.nextInt(4) == 0) days = OfficeHours.WEEKDAYS;
            OfficeHours h = new OfficeHours(days, LocalTime.of(8, 0), LocalTime.of(18, 30), zone,
                    rnd.nextBoolean() ? Set.of() : Set.of(LocalDate.of(2024, 12, 25)));
            Instant t = Instant.ofEpochSecond(rnd.nextBoolean() ? 1_700_000_000L + rnd.nextInt(100_000_000) : min + (long) (rnd.nextDouble() * (max - min)),
                    rnd.nextInt(1_000_000_000));
            ZonedDateTime local = t.atZone(zone);
            String want = String.format(Locale.ROOT, "%s %02d:%02d %s (%s)", local.toLocalDate(), local.getHour(), local.getMinute(),
                    local.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT), zone.getId());
            assertThat(h.local(t)).as("seed %d, %s in %s", seed, t, zone).isEqualTo(want);
            String d = days.stream().sorted().map(x -> x.getDisplayName(TextStyle.SHORT, Locale.ROOT)).reduce((a, b) -> a + "," + b).orElse("no days");
            if (days.equals(OfficeHours.WEEKDAYS)) d = "Mon-Fri";
            String hours = d + " " + h.start() + "-" + h.end() + " " + zone.getId() + (h.holidays().isEmpty() ? "" : " (" + h.holidays().size() + " holidays)");
            assertThat(h.describe()).as("seed %d, days %s", seed, days).isEqualTo(hours);
        }
    }
}
