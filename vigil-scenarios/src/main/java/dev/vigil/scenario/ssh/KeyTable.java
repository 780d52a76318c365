package dev.vigil.scenario.ssh;

/**
 * The keys (instance and source address) of several {@link KeyedWindows}, one row a key holding each one's window:
 * a log line looks its key up once for every rule that counts by it, instead of once a rule. A row is in the table
 * while at least one of its windows is; each {@code KeyedWindows} keeps its own recency order and bounds.
 *
 * <p>A hash table of its own, chained through the rows, which keep their key's hash: a row whose last window goes
 * (the least recently used end of a window list, memory that is cold by then) leaves the table without its key being
 * read again.
 */
final class KeyTable {
    /** One key's windows, one column per {@link KeyedWindows} of the table (null where it holds none). */
    static final class Row {
        final String key;
        private final int hash;
        private Row chain;
        KeyedWindows.Window[] windows;
        int live;

        Row(String key, int hash, int columns) {
            this.key = key;
            this.hash = hash;
            this.windows = new KeyedWindows.Window[columns];
        }
    }

    private Row[] buckets = new Row[64];
    private int size;
    private int columns;

    /** A column for a new {@link KeyedWindows}. */
    int column() {
        return columns++;
    }

    /** The key's row, or a new one that joins the table with its first window. */
    Row row(String key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        for (Row r = buckets[h & (buckets.length - 1)]; r != null; r = r.chain) {
            if (r.hash == h && r.key.equals(key)) return r;
        }
        return new Row(key, h, columns);
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
