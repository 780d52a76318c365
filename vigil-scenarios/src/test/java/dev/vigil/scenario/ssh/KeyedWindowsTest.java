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
                replay(new SplittableRandom(s), false);
                replay(new SplittableRandom(s), true);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + s + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void reachedOnALeakyDistinctBucketReadsItsLevel() {
        KeyedWindows b = new KeyedWindows(new KeyTable(), 3, 1_000, 0, 30, true, 5_000);
        KeyTable.Row row = b.row("i-1|10.0.0.1");
        assertThat(b.reached(row, 0)).as("no bucket yet").isNull();
        for (String u : List.of("a", "b", "c")) assertThat(b.add(row, 0, 1, u, null)).isNull();
        assertThat(b.reached(row, 0)).as("level 3, capacity 3: not above").isNull();
        KeyedWindows.Window w = b.add(row, 0, 1, "d", null);
        assertThat(w).as("the fourth distinct label overflows").isNotNull();
        assertThat(b.reached(row, 1_000)).as("level 3.8 at 1 s").isSameAs(w);
        assertThat(b.reached(row, 10_000)).as("drained to 2 at 10 s").isNull();
        assertThat(b.add(row, 10_000, 1, "e", null)).as("reached() drained nothing: 3 after a fifth label").isNull();
        assertThat(b.add(row, 10_000, 1, "f", null)).as("and the sixth overflows").isNotNull();
    }

    @Test
    void reachedOnALeakyBucketReadsItsLevel() {
        KeyedWindows b = new KeyedWindows(new KeyTable(), 2, 1_000, 0, 30, false, 5_000);
        KeyTable.Row row = b.row("i-1|10.0.0.1");
        assertThat(b.add(row, 0, 2, null, null)).isNull();
        assertThat(b.reached(row, 0)).as("level 2, capacity 2").isNull();
        assertThat(b.add(row, 0, 1, null, null)).isNotNull();
        assertThat(b.reached(row, 4_000)).as("level 2.2 at 4 s").isNotNull();
        assertThat(b.reached(row, 6_000)).as("level 1.8 at 6 s").isNull();
    }

    /** 4,096 keys that all have one {@code String.hashCode}: "Aa" and "BB" blocks, as an attacker's IPv6 /64 could make. */
    private static List<String> collidingKeys() {
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 4_096; i++) {
            StringBuilder b = new StringBuilder("i-0123456789abcdef0|2001:db8::");
            for (int bit = 11; bit >= 0; bit--) b.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            keys.add(b.toString());
        }
        assertThat(keys.stream().map(String::hashCode).distinct()).as("one String.hashCode").hasSize(1);
        return keys;
    }

    /** The keys as the detector looks them up (instance, then source address), and as whole strings: one longest chain. */
    private static int longestChain(KeyTable table, List<String> keys) {
        KeyedWindows w = new KeyedWindows(table, 5, 60_000, 0, 100_000, false, 0);
        for (String k : keys) {
            int bar = k.indexOf('|');
            KeyTable.Row row = table.row(k.substring(0, bar), k.substring(bar + 1));
            w.add(row, 0, 1, null, null);
            assertThat(table.row(k.substring(0, bar), k.substring(bar + 1))).as("the same row, looked up again").isSameAs(row);
        }
        assertThat(table.size()).isEqualTo(keys.size());
        return table.maxChain();
    }

    @Test
    void aPairHashesAsTheStringItsPartsMake() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int t = 0; t < 200; t++) {
            KeyTable table = t % 3 == 0 ? new KeyTable(31) : new KeyTable();
            String a = random(rnd, rnd.nextInt(40));
            String b = random(rnd, rnd.nextInt(4) == 0 ? 250 + rnd.nextInt(40) : rnd.nextInt(46));
            assertThat(table.hash(a, b)).as("seed " + seed + ": " + a + " | " + b).isEqualTo(table.hash(a + '|' + b));
            assertThat(table.hash(new String(a), b)).as("seed " + seed + ", a copy of the first part").isEqualTo(table.hash(a, b));
            KeyedWindows w = new KeyedWindows(table, 5, 60_000, 0, 100, false, 0);
            KeyTable.Row row = table.row(a, b);
            w.add(row, 0, 1, null, null);
            assertThat(table.row(new String(a), new String(b))).as("seed " + seed).isSameAs(row);
            assertThat(row.key()).isEqualTo(a + '|' + b);
        }
    }

    private static String random(SplittableRandom rnd, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append((char) (rnd.nextInt(8) == 0 ? rnd.nextInt(0x3000) : '0' + rnd.nextInt(60)));
        return b.toString();
    }

    @Test
    void collidingKeysKeepShortChainsWithTheTablesRandomHash() {
        List<String> keys = collidingKeys();
        for (int t = 0; t < 5; t++) assertThat(longestChain(new KeyTable(), keys)).as("longest chain, table " + t).isLessThan(16);
        KeyTable a = new KeyTable();
        KeyTable b = new KeyTable();
        assertThat(keys.stream().filter(k -> a.hash(k) != b.hash(k)).count()).as("two tables, two hashes").isGreaterThan(4_000);
    }

    @Test
    void collidingKeysMakeOneChainWithMultiplier31() {
        assertThat(longestChain(new KeyTable(31), collidingKeys())).as("String.hashCode's multiplier: one chain").isEqualTo(4_096);
    }

    /**
     * With {@code pairs}, rows are looked up as the detector does, by instance and source apart
     * ({@link KeyTable#row(String, String)}): often the previous operation's key again, its parts sometimes the same
     * Strings and sometimes equal copies (the table's row of a key, whichever Strings ask).
     */
    private static void replay(SplittableRandom rnd, boolean pairs) {
        KeyTable table = new KeyTable();
        List<Pair> rules = rules(table);
        // "Aa" and "BB" hash alike: rows that share a chain of the table
        String[] keys = new String[40];
        for (int i = 0; i < keys.length; i++) keys[i] = (i % 2 == 0 ? "Aa" : "BB") + "|10.0.0." + (i / 2);
        long now = 0;
        String key = keys[0];
        for (int op = 0; op < 3_000; op++) {
            now += rnd.nextInt(4) == 0 ? rnd.nextInt(30_000) : rnd.nextInt(500);
            if (!pairs || rnd.nextInt(3) > 0) key = keys[rnd.nextInt(rnd.nextBoolean() ? 6 : keys.length)];
            KeyTable.Row row;
            if (pairs) {
                int bar = key.indexOf('|');
                String a = key.substring(0, 2);
                String b = key.substring(bar + 1);
                if (rnd.nextBoolean()) a = a.equals("Aa") ? "Aa" : "BB"; // the constant: the same String as before
                row = table.row(a, b);
                KeyTable.Row again = table.row(new String(a.toCharArray()), new String(b.toCharArray()));
                if (row.live > 0) assertThat(again).as("the table's row for equal parts, op " + op).isSameAs(row);
                else assertThat(again.live).as("a new row, not in the table, op " + op).isZero();
            } else {
                row = table.row(key);
            }
            Pair p = rules.get(rnd.nextInt(rules.size()));
            String what = "op " + op + " " + key + " at " + now;
            switch (rnd.nextInt(10)) {
                case 0 -> {
                    p.shared().mute(row, now);
                    p.reference().mute(key, now);
                }
                case 1 -> {
                    if (!pairs) assertThat(p.shared().muted(key, now)).as(what).isEqualTo(p.reference().muted(key, now));
                    else assertThat(p.shared().reached(row, now) != null).as(what).isEqualTo(p.reference().reached(key, now) != null);
                }
                case 2 -> {
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
                        assertThat(a.samples()).as(what).isEqualTo(b.samples);
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
