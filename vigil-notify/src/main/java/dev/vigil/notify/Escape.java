package dev.vigil.notify;

/**
 * Escaping of event-derived text (user names, tag values, titles) per channel. Every value is first made one line:
 * an attacker-chosen newline must not start a line of its own that looks like vigil wrote it.
 */
final class Escape {
    private Escape() {}

    /** Control characters (including CR, LF, tab) and Unicode line/paragraph separators become a space. */
    static String oneLine(String s) {
        if (s == null) return "-";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085' ? ' ' : c);
        }
        return b.toString();
    }

    /** Cuts to at most {@code max} chars (not splitting a surrogate pair), marking the cut with an ellipsis. */
    static String cap(String s, int max) {
        if (s.length() <= max) return s;
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "\u2026";
    }

    /** Slack mrkdwn: only {@code & < >} are control characters; escaping them disables mentions and links. */
    static String slack(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String html(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** SNS subjects: printable ASCII only, one line. */
    static String ascii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
