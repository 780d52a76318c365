package dev.vigil.scenario.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Windows that share a {@link KeyTable} behave, operation by operation, as the windows did with an access-ordered
 * {@code LinkedHashMap} each ({@link LinkedHashMapWindows}, the former code): same thresholds reached, sums, labels,
 * samples, sizes, least-recently-used evictions and idle sweeps.
 */
class KeyedWindowsTest {
    /** Sliding, distinct and leaky rules with small key bounds, so that evictions and sweeps happen often. */
    private record Pair(KeyedWindows shared, LinkedHashMapWindows reference) {}

    private static List<Pair> rules(KeyTable table) {
        return List.of(
                new Pair(new KeyedWindows(table, 5, 10_000, 30_000, 12, false, 0), new LinkedHashMapWindows(5, 10_000, 30_000, 12, false, 0)),
                new Pair(new KeyedWindows(table, 3, 60_000, 5_000, 7, true, 0), new LinkedHashMapWindows(3, 60_000, 5_000, 7, true, 0)),
                new Pair(new KeyedWindows(table, 4, 1_000, 20_000, 9, false, 2_000), new LinkedHashMapWindows(4, 1_000, 20_000, 9, false, 2_000)),
                new Pair(new KeyedWindows(table, 3, 1_000, 0, 30, true, 5_000), new LinkedHashMapWindows(3, 1_000, 0, 30, true, 5_000)));
    }

    @Test
    void sharedTableMatchesOneLinkedHashMapPerRule() {
        long seed = new SplittableRandom().nextLong();
        for (int run = 0; run < 40; run++) {
            long s = seed + run;
            try {
                replay(new SplittableRandom(s));
            } catch (AssertionError e) {
                throw new AssertionError("seed " + s + ": " + e.getMessage(), e);
            }
        }
    }

    private static void replay(SplittableRandom rnd) {
        KeyTable table = new KeyTable();
        List<Pair> rules = rules(table);
        // "Aa" and "BB" hash alike: rows that share a chain of the table
        String[] keys = new String[40];
        for (int i = 0; i < keys.length; i++) keys[i] = (i % 2 == 0 ? "Aa" : "BB") + "|10.0.0." + (i / 2);
        long now = 0;
        for (int op = 0; op < 3_000; op++) {
            now += rnd.nextInt(4) == 0 ? rnd.nextInt(30_000) : rnd.nextInt(500);
            String key = keys[rnd.nextInt(rnd.nextBoolean() ? 6 : keys.length)];
            KeyTable.Row row = table.row(key);
            Pair p = rules.get(rnd.nextInt(rules.size()));
            String what = "op " + op + " " + key + " at " + now;
            switch (rnd.nextInt(10)) {
                case 0 -> {
                    p.shared().mute(row, now);
                    p.reference().mute(key, now);
                }
                case 1 -> assertThat(p.shared().muted(key, now)).as(what).isEqualTo(p.reference().muted(key, now));
                case 2 -> {
                    // reached() is for sliding windows (the detector asks only login-after-failures', which is one)
                    p = rules.get(rnd.nextInt(2));
                    KeyedWindows.Window a = p.shared().reached(row, now);
                    LinkedHashMapWindows.Window b = p.reference().reached(key, now);
                    assertThat(a != null).as(what).isEqualTo(b != null);
                    if (a != null) {
                        assertThat(a.sum()).as(what).isEqualTo(b.sum());
                        p.shared().fired(a, now);
                        p.reference().fired(b, now);
                    }
                }
                default -> {
                    int weight = 1 + rnd.nextInt(3);
                    String label = "u" + rnd.nextInt(5);
                    Object sample = "line " + op;
                    KeyedWindows.Window a = p.shared().add(row, now, weight, label, sample);
                    LinkedHashMapWindows.Window b = p.reference().add(key, now, weight, label, sample);
                    assertThat(a != null).as(what).isEqualTo(b != null);
                    assertThat(p.shared().lastAddMuted()).as(what).isEqualTo(p.reference().lastAddMuted());
                    if (a != null) {
                        assertThat(a.sum()).as(what).isEqualTo(b.sum());
                        assertThat(a.labels()).as(what).isEqualTo(b.labels());
                        assertThat(a.samples).as(what).isEqualTo(b.samples);
                        p.shared().fired(a, now);
                        p.reference().fired(b, now);
                    }
                }
            }
            Set<String> held = new HashSet<>();
            for (Pair r : rules) {
                assertThat(r.shared().size()).as(what).isEqualTo(r.reference().size());
                for (String k : keys) if (r.reference().holds(k)) held.add(k);
            }
            assertThat(table.size()).as("rows: keys held by any rule, " + what).isEqualTo(held.size());
        }
    }
}
