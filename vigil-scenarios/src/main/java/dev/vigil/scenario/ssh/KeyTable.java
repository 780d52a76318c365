package dev.vigil.scenario.ssh;

import java.security.SecureRandom;

/**
 * The keys (instance and source address) of several {@link KeyedWindows}, one row a key holding each one's window:
 * a log line looks its key up once for every rule that counts by it, instead of once a rule. A row is in the table
 * while at least one of its windows is; each {@code KeyedWindows} keeps its own recency order and bounds.
 *
 * <p>A hash table of its own, chained through the rows, which keep their key's hash: a row whose last window goes
 * (the least recently used end of a window list, memory that is cold by then) leaves the table without its key being
 * read again.
 *
 * <p>The keys are attacker data (a source address, or a host name sshd resolved from one): an attacker with an IPv6
 * /64 or a reverse zone could pick keys whose {@code String.hashCode} collide ("Aa" and "BB" blocks), and make every
 * look-up walk one long chain. So the hash is the table's own: a polynomial over the key's characters with a random
 * odd 64-bit multiplier drawn once per table (an attacker who cannot see it cannot aim collisions; the multiplier-free
 * collisions of such hashes, Thue-Morse strings, need keys of 1,024 characters and more for 64 bits, and an address
 * is at most 255), then a bijective mix of all 64 bits into the bucket index.
 */
final class KeyTable {
    /** One key's windows, one column per {@link KeyedWindows} of the table (null where it holds none). */
    static final class Row {
        /** The key: {@code a}, or {@code a + '|' + b} when {@code b} is not null. */
        private final String a;
        private final String b;
        private final int hash;
        private Row chain;
        KeyedWindows.Window[] windows;
        int live;

        Row(String a, String b, int hash, int columns) {
            this.a = a;
            this.b = b;
            this.hash = hash;
            this.windows = new KeyedWindows.Window[columns];
        }

        String key() {
            return b == null ? a : a + '|' + b;
        }
    }

    private static final int POWERS = 256;

    private Row[] buckets = new Row[64];
    private int size;
    private int columns;
    private final long multiplier;
    /** {@code multiplier} to the powers 0 to {@value #POWERS}. */
    private final long[] powers = new long[POWERS + 1];
    /** The last first part of a pair key, and its polynomial with the separator (a log's lines name one instance). */
    private String lastA;
    private long lastPrefix;

    /** A table with a random multiplier (from {@link SecureRandom}). */
    KeyTable() {
        this(Seeds.RANDOM.nextLong());
    }

    /** A table with the given multiplier, made odd (tests: 31 hashes as {@code String.hashCode} does, collisions and all). */
    KeyTable(long multiplier) {
        this.multiplier = multiplier | 1;
        powers[0] = 1;
        for (int i = 1; i <= POWERS; i++) powers[i] = powers[i - 1] * this.multiplier;
    }

    private static final class Seeds {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /**
     * The key's hash: the polynomial of its characters in the table's multiplier (four a step), then its length, mixed
     * (MurmurHash3's fmix64).
     */
    int hash(String key) {
        return mix(poly(0, key) * multiplier + key.length());
    }

    /** The hash of {@code a + '|' + b}, without making that string. */
    int hash(String a, String b) {
        long prefix;
        if (a == lastA) {
            prefix = lastPrefix;
        } else {
            prefix = poly(0, a) * multiplier + '|';
            lastA = a;
            lastPrefix = prefix;
        }
        int n = b.length();
        long p = n <= POWERS ? powers[n] : power(n);
        return mix((prefix * p + poly(0, b)) * multiplier + (a.length() + 1L + n));
    }

    private long power(int n) {
        long p = powers[POWERS];
        for (int i = POWERS; i < n; i++) p *= multiplier;
        return p;
    }

    /** The polynomial {@code h} continued over the characters of {@code s}. */
    private long poly(long h, String s) {
        long m = multiplier;
        long m2 = powers[2];
        long m3 = powers[3];
        long m4 = powers[4];
        int n = s.length();
        int i = 0;
        for (; i + 3 < n; i += 4) h = h * m4 + s.charAt(i) * m3 + s.charAt(i + 1) * m2 + s.charAt(i + 2) * m + s.charAt(i + 3);
        for (; i < n; i++) h = h * m + s.charAt(i);
        return h;
    }

    private static int mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** A column for a new {@link KeyedWindows}. */
    int column() {
        return columns++;
    }

    /** The key's row, or a new one that joins the table with its first window. */
    Row row(String key) {
        int h = hash(key);
        for (Row r = buckets[h & (buckets.length - 1)]; r != null; r = r.chain) {
            if (r.hash == h && r.b == null && r.a.equals(key)) return r;
        }
        return new Row(key, null, h, columns);
    }

    /**
     * The row of key {@code a + '|' + b} (an instance and a source address), or a new one. A table holds keys of one
     * form: a pair's row is not the row of the one string its parts make.
     */
    Row row(String a, String b) {
        int h = hash(a, b);
        for (Row r = buckets[h & (buckets.length - 1)]; r != null; r = r.chain) {
            if (r.hash == h && r.b != null && (r.a == a || r.a.equals(a)) && r.b.equals(b)) return r;
        }
        return new Row(a, b, h, columns);
    }

    /** The longest chain of the table (rows that share a bucket): what a look-up may walk. */
    int maxChain() {
        int max = 0;
        for (Row r : buckets) {
            int n = 0;
            for (; r != null; r = r.chain) n++;
            max = Math.max(max, n);
        }
        return max;
    }

    /** Rows held: what memory grows with. */
    int size() {
        return size;
    }

    void put(Row r, int column, KeyedWindows.Window w) {
        if (column >= r.windows.length) r.windows = java.util.Arrays.copyOf(r.windows, columns);
        r.windows[column] = w;
        if (r.live++ > 0) return;
        int i = r.hash & (buckets.length - 1);
        r.chain = buckets[i];
        buckets[i] = r;
        if (++size > buckets.length - (buckets.length >>> 2)) grow();
    }

    void remove(Row r, int column) {
        r.windows[column] = null;
        if (--r.live > 0) return;
        int i = r.hash & (buckets.length - 1);
        if (buckets[i] == r) {
            buckets[i] = r.chain;
        } else {
            Row p = buckets[i];
            while (p.chain != r) p = p.chain;
            p.chain = r.chain;
        }
        r.chain = null;
        size--;
    }

    private void grow() {
        Row[] old = buckets;
        buckets = new Row[old.length * 2];
        for (Row r : old) {
            while (r != null) {
                Row next = r.chain;
                int i = r.hash & (buckets.length - 1);
                r.chain = buckets[i];
                buckets[i] = r;
                r = next;
            }
        }
    }
}
