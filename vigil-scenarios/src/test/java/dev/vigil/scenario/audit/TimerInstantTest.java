package dev.vigil.scenario.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Timer data's times read back by {@link Sources#instant}: the instant {@link Instant#parse} gives, or the exception
 * it throws, for every text: what {@link Instant#toString} writes (seeded instants over years 0 to 12,000, any
 * nanoseconds) and damaged copies of it (a character changed, dropped or added). The seed is printed.
 */
class TimerInstantTest {
    private static final String NOISE = "0123456789-:.TZtz+ x\u0661";

    private static Object parse(java.util.function.Function<String, Instant> p, String s) {
        try {
            return p.apply(s);
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    @Test
    void aTimersTimeIsWhatInstantParseReads() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(), max = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        int quick = 0;
        for (int i = 0; i < 300_000; i++) {
            long sec = rnd.nextInt(3) == 0 ? 1_700_000_000L + rnd.nextInt(200_000_000) : min + (long) (rnd.nextDouble() * (max - min));
            int nanos = switch (rnd.nextInt(4)) {
                case 0 -> 0;
                case 1 -> rnd.nextInt(1000) * 1_000_000;
                case 2 -> rnd.nextInt(1_000_000) * 1000;
                default -> rnd.nextInt(1_000_000_000);
            };
            String s = Instant.ofEpochSecond(sec, nanos).toString();
            if (rnd.nextBoolean()) {
                StringBuilder b = new StringBuilder(s);
                int at = rnd.nextInt(b.length());
                char c = NOISE.charAt(rnd.nextInt(NOISE.length()));
                switch (rnd.nextInt(3)) {
                    case 0 -> b.setCharAt(at, c);
                    case 1 -> b.deleteCharAt(at);
                    default -> b.insert(at, c);
                }
                s = b.toString();
            }
            Object want = parse(Instant::parse, s);
            if (want instanceof Instant && s.length() <= 30 && !s.startsWith("+") && !s.startsWith("-")) quick++;
            assertThat(parse(Sources::instant, s)).as("seed %d, text %s", seed, s).isEqualTo(want);
        }
        for (String s : List.of("2026-02-29T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "2026-04-31T00:00:00Z", "2026-12-04T24:00:00Z",
                "2026-12-04T23:59:60Z", "2026-12-04T05:00:00.Z", "2026-12-04T05:00:00.1234567890Z", "2026-12-04t05:00:00z", "0999-12-31T23:59:59Z",
                "1000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-12-04T05:00:00+01:00", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                "", "2026-12-04T05:00:00Z ")) {
            assertThat(parse(Sources::instant, s)).as(s).isEqualTo(parse(Instant::parse, s));
        }
        assertThat(quick).as("seed %d: valid texts were read", seed).isGreaterThan(100_000);
    }
}
