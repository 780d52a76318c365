package dev.vigil.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * How a command's text output looks: coloured or not, and the width it fits ({@code 0}: no limit, a pipe or a file).
 * Text from inputs and stores is shown with its control characters replaced (no escape sequence of an input reaches
 * the terminal); colour is added after the layout, so it never counts against the width.
 */
record Terminal(boolean colour, int width) {
    static final String RED = "31";
    static final String GREEN = "32";
    static final String YELLOW = "33";
    static final String BLUE = "34";
    static final String CYAN = "36";
    static final String BOLD = "1";
    static final String DIM = "2";

    /** {@code text} in the SGR style {@code sgr} when colouring (and {@code sgr} is not null), else as it is. */
    String paint(String sgr, String text) {
        return colour && sgr != null && !text.isEmpty() ? "\u001b[" + sgr + "m" + text + "\u001b[0m" : text;
    }

    /**
     * Prints {@code head} (already painted; {@code headWidth} columns when shown) then {@code text}, wrapped to the width
     * with continuation lines indented by {@code hang}.
     */
    void line(PrintStream out, String head, int headWidth, String text, int hang) {
        String t = clean(text);
        if (width == 0) {
            out.println(head + t);
            return;
        }
        int room = width - headWidth;
        if (room < 10 && !t.isEmpty()) { // no room beside the head: the text below it
            out.println(head.stripTrailing());
            for (String l : wrap(t, Math.max(1, width - hang))) out.println(" ".repeat(hang) + l);
            return;
        }
        String first = wrap(t, room).get(0);
        out.println(head + first);
        String rest = t.strip().substring(first.length()).strip();
        if (rest.isEmpty()) return;
        for (String l : wrap(rest, Math.max(1, width - hang))) out.println(" ".repeat(hang) + l);
    }

    /** A plain line, wrapped to the width under {@code hang} spaces. */
    void line(PrintStream out, String text, int hang) {
        line(out, "", 0, text, hang);
    }

    /** {@code text} cut into lines of at most {@code room} columns, at spaces where it can be. */
    static List<String> wrap(String text, int room) {
        List<String> lines = new ArrayList<>();
        String t = text.strip();
        while (t.length() > room) {
            int cut = t.lastIndexOf(' ', room);
            if (cut <= room / 2) cut = room;
            lines.add(t.substring(0, cut).stripTrailing());
            t = t.substring(cut).stripLeading();
        }
        if (!t.isEmpty() || lines.isEmpty()) lines.add(t);
        return lines;
    }

    /** The start and the end of a value too long for {@code w} columns, with "…" between (ARNs and ids differ at their end). */
    static String cut(String s, int w) {
        if (s.length() <= w) return s;
        if (w <= 1) return "…";
        int head = (w - 1) / 3;
        return s.substring(0, head) + "…" + s.substring(s.length() - (w - 1 - head));
    }

    static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** Line breaks and tabs as spaces, other control characters (ESC among them) as U+FFFD. */
    static String clean(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (!control) {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder(s.length()).append(s, 0, i);
            b.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : '\ufffd');
        }
        return b == null ? s : b.toString();
    }
}
