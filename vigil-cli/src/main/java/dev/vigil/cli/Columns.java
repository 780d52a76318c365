package dev.vigil.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A list's text output: a header, one line per row, lines below a row (a finding's actions). With no width (a pipe,
 * a file) the cells are joined by two spaces, as scripts split them; with a width (a terminal, {@code --width},
 * {@code COLUMNS}) they are aligned under the header, the widest columns cut in the middle (not the kept ones: times,
 * ids) until the last has room, which then wraps under itself; no line is wider than the width.
 */
final class Columns {
    private static final int LAST_MIN = 20;

    private record Row(List<String> cells, List<String> below) {}

    private final List<String> header;
    private final List<Row> rows = new ArrayList<>();
    private final Map<Integer, Function<String, String>> styles = new HashMap<>();
    private final java.util.Set<Integer> kept = new java.util.HashSet<>();

    Columns(String... header) {
        this.header = List.of(header);
    }

    /** Columns cut only when nothing else is left to cut (times, ids, statuses). */
    Columns keep(int... cols) {
        for (int c : cols) kept.add(c);
        return this;
    }

    /** Colours column {@code col} by its value: the SGR style for it, or null. */
    Columns style(int col, Function<String, String> sgrOf) {
        styles.put(col, sgrOf);
        return this;
    }

    Columns row(List<String> cells, List<String> below) {
        if (cells.size() != header.size()) throw new IllegalArgumentException(cells.size() + " cells for " + header.size() + " columns");
        rows.add(new Row(cells.stream().map(c -> Terminal.clean(c == null ? "-" : c)).toList(), below.stream().map(Terminal::clean).toList()));
        return this;
    }

    void print(PrintStream out, Terminal t) {
        int n = header.size();
        if (t.width() == 0) {
            out.println(String.join("  ", header));
            for (Row r : rows) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < n; i++) cells.add(paint(t, i, r.cells().get(i), r.cells().get(i)));
                out.println(String.join("  ", cells));
                for (String b : r.below()) out.println("    " + b);
            }
            return;
        }
        int[] w = new int[n - 1];
        for (int i = 0; i < n - 1; i++) {
            w[i] = header.get(i).length();
            for (Row r : rows) w[i] = Math.max(w[i], r.cells().get(i).length());
        }
        // the widest column that may be cut gives a column at a time: first down to 16 while the last column has less
        // than 40, then down to 8 while it has less than 20; on a very narrow width, any column down to 1
        shrink(w, t.width(), 40, 16, false);
        shrink(w, t.width(), LAST_MIN, 8, false);
        shrink(w, t.width(), Math.min(LAST_MIN, t.width()), 1, true);
        int lead = lead(w);
        List<String> head = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) head.add(Terminal.pad(Terminal.cut(header.get(i), w[i]), w[i]));
        t.line(out, String.join("  ", head) + "  ", lead, header.get(n - 1), lead);
        for (Row r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n - 1; i++) {
                String v = r.cells().get(i);
                b.append(paint(t, i, v, Terminal.pad(Terminal.cut(v, w[i]), w[i]))).append("  ");
            }
            String last = r.cells().get(n - 1);
            if (t.width() - lead < LAST_MIN) { // too narrow beside the columns: the last column on lines of its own
                out.println(b.toString().stripTrailing());
                t.line(out, "    ", 4, last, 4);
            } else {
                t.line(out, b.toString(), lead, last, lead); // not coloured: it wraps
            }
            for (String below : r.below()) t.line(out, "    ", 4, below, 6);
        }
    }

    private void shrink(int[] w, int width, int last, int floor, boolean any) {
        while (lead(w) + last > width) {
            int widest = -1;
            for (int i = 0; i < w.length; i++) {
                if (w[i] > floor && (any || !kept.contains(i)) && (widest < 0 || w[i] > w[widest])) widest = i;
            }
            if (widest < 0) return;
            w[widest]--;
        }
    }

    private static int lead(int[] w) {
        int s = 0;
        for (int x : w) s += x + 2;
        return s;
    }

    private String paint(Terminal t, int col, String value, String shown) {
        Function<String, String> f = styles.get(col);
        return f == null ? shown : t.paint(f.apply(value), shown);
    }
}
