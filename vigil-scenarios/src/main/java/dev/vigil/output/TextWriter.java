package dev.vigil.output;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code --format text}: a readable table, coloured only when asked (a terminal without {@code NO_COLOR}, or
 * {@code --color=always}). Findings are printed in event time across all inputs (held, as short rows, until the end of
 * the run, at most {@link #HELD} of them; past that, each block of {@code HELD} is sorted); the columns fit
 * {@code width} (0: no limit), a long rule or resource is cut in its middle, a long summary wraps; one line per action,
 * its detail only when it says more than its type and target. The summary leaves out zero counters (the SSH
 * counters of a run without SSH).
 */
public final class TextWriter implements ReportWriter {
    /** Findings held for sorting before a block is printed. */
    public static final int HELD = 100_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String RESET = "\u001b[0m";
    private static final int RULE_MAX = 28;
    private static final int RESOURCE_MAX = 34;
    private static final int TIME_W = 20;
    private static final int SEV_W = 8;

    /** One finding, reduced to what the table prints. */
    private record Row(Instant time, long seq, Severity severity, String rule, String resource, String summary, List<String> actions) {}

    private final PrintStream out;
    private final boolean colour;
    private final int width;
    private final List<Row> held = new ArrayList<>();
    private long seq;
    private boolean header;

    public TextWriter(PrintStream out, boolean colour) {
        this(out, colour, 0);
    }

    /** @param width the terminal's width in columns, or 0 for no limit (a pipe, a file) */
    public TextWriter(PrintStream out, boolean colour, int width) {
        this.out = out;
        this.colour = colour;
        this.width = width <= 0 ? 0 : Math.max(width, 60);
    }

    @Override
    public void finding(Finding f) {
        List<String> acts = new ArrayList<>();
        for (ActionResult a : f.actions()) {
            String head = a.type() + (a.target() == null || a.target().isEmpty() ? "" : " " + a.target());
            String detail = a.detail() == null ? "" : a.detail().strip();
            boolean says = !detail.isEmpty() && !detail.equals(head) && !detail.equals(a.type());
            acts.add(head + " [" + a.status().label() + "]" + (says ? " " + detail : ""));
        }
        held.add(new Row(f.time(), seq++, f.severity(), f.rule(), f.resource() == null ? "-" : f.resource(), f.summary(), List.copyOf(acts)));
        if (held.size() >= HELD) flush();
    }

    private void flush() {
        if (held.isEmpty()) return;
        held.sort(Comparator.comparing(Row::time, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparingLong(Row::seq));
        int ruleW = Math.max(4, Math.min(RULE_MAX, held.stream().mapToInt(r -> r.rule().length()).max().orElse(4)));
        int resW = Math.max(8, Math.min(RESOURCE_MAX, held.stream().mapToInt(r -> r.resource().length()).max().orElse(8)));
        if (width > 0) { // narrow terminal: give the summary at least 40 columns, taking them from the widest of rule and resource
            int fixed = TIME_W + 2 + SEV_W + 2 + 2 + 2;
            while (fixed + ruleW + resW + 40 > width && (ruleW > 16 || resW > 19)) {
                if (resW >= ruleW && resW > 19) resW--;
                else ruleW--;
            }
            while (fixed + ruleW + resW + 7 > width && (ruleW > 8 || resW > 8)) { // very narrow: the columns and the header fit, the summary below
                if (resW >= ruleW && resW > 8) resW--;
                else ruleW--;
            }
        }
        int summaryCol = TIME_W + 2 + SEV_W + 2 + ruleW + 2 + resW + 2;
        if (!header) {
            out.println(pad("TIME", TIME_W) + "  " + pad("SEVERITY", SEV_W) + "  " + pad("RULE", ruleW) + "  " + pad("RESOURCE", resW) + "  SUMMARY");
            header = true;
        }
        String indent = " ".repeat(TIME_W + 2 + SEV_W + 2);
        for (Row r : held) {
            String sev = pad(r.severity().label(), SEV_W);
            if (colour) sev = colourOf(r.severity()) + sev + RESET;
            String lead = pad(r.time() == null ? "-" : TIME.format(r.time()), TIME_W) + "  " + sev + "  " + pad(cut(r.rule(), ruleW), ruleW)
                    + "  " + pad(cut(r.resource(), resW), resW) + "  ";
            printWrapped(lead, summaryCol, r.summary());
            for (String a : r.actions()) printWrapped(indent + "-> ", indent.length() + 3, a);
        }
        held.clear();
    }

    /** {@code lead} (already {@code col} columns wide) then {@code text}, wrapped under itself to fit the width. */
    private void printWrapped(String lead, int col, String text) {
        String t = text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
        int room = width == 0 ? Integer.MAX_VALUE : width - col;
        if (room < 20) { // too narrow beside the columns: the text on lines of its own
            out.println(lead.stripTrailing());
            lead = "    ";
            col = 4;
            room = width - col;
        }
        String pad = " ".repeat(col);
        boolean first = true;
        while (true) {
            String prefix = first ? lead : pad;
            if (t.length() <= room) {
                out.println(prefix + t);
                return;
            }
            int cut = t.lastIndexOf(' ', room);
            if (cut <= room / 2) cut = room;
            out.println(prefix + t.substring(0, cut).stripTrailing());
            t = t.substring(cut).stripLeading();
            first = false;
        }
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** The start and the end of a value too long for its column, with "…" between (ARNs and ids differ at their end). */
    static String cut(String s, int w) {
        if (s.length() <= w) return s;
        int head = (w - 1) / 3;
        return s.substring(0, head) + "…" + s.substring(s.length() - (w - 1 - head));
    }

    private static String colourOf(Severity s) {
        return switch (s) {
            case CRITICAL -> "\u001b[1;31m";
            case HIGH -> "\u001b[31m";
            case MEDIUM -> "\u001b[33m";
            case LOW -> "\u001b[36m";
            case INFO -> "\u001b[2m";
        };
    }

    @Override
    public void summary(RunSummary s) {
        flush();
        if (!header) out.println("No findings.");
        StringBuilder b = new StringBuilder();
        b.append(String.format("%d input(s), %d event(s), %d finding(s), %d error(s)", s.inputs(), s.events(), s.findings(), s.errors()));
        s.extra().forEach((k, v) -> {
            if (v != null && v != 0) b.append(", ").append(v).append(' ').append(k.replace('_', ' '));
        });
        out.println();
        printWrapped("", 0, b.toString());
        out.flush();
    }
}
