package dev.vigil.decode;

/**
 * An RFC 5424 syslog line's header, parsed by hand in one pass: {@code <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID
 * MSGID STRUCTURED-DATA [MSG]}. A regular expression for STRUCTURED-DATA (quoted values with escapes, repeated) recurses
 * once per character in the JDK and overflowed the stack on a value of about 2,000 characters; this loop uses no
 * stack and reads each character once, whatever the line's length.
 */
record Rfc5424(String timestamp, String host, String app, String procId, String message) {

    /** The line's fields, or null when it is not RFC 5424. */
    static Rfc5424 parse(String l) {
        int n = l.length();
        if (n < 4 || l.charAt(0) != '<') return null;
        int i = 1;
        int digits = digits(l, i, 3);
        if (digits == 0 || i + digits >= n || l.charAt(i + digits) != '>') return null;
        i += digits + 1;
        digits = digits(l, i, 2);
        if (digits == 0 || i + digits >= n || l.charAt(i + digits) != ' ') return null;
        i += digits + 1;
        String[] fields = new String[5]; // timestamp, host, app, procid, msgid
        for (int f = 0; f < fields.length; f++) {
            int end = l.indexOf(' ', i);
            if (end <= i) return null; // a field is one or more non-space characters, each followed by a space
            fields[f] = l.substring(i, end);
            i = end + 1;
        }
        int sdEnd = structuredDataEnd(l, i);
        if (sdEnd < 0) return null;
        int msg = sdEnd < n && l.charAt(sdEnd) == ' ' ? sdEnd + 1 : sdEnd;
        return new Rfc5424(fields[0], fields[1], fields[2], fields[3], l.substring(msg));
    }

    /** The index just past STRUCTURED-DATA starting at {@code i} ({@code -} or {@code [..]..}), or -1 when malformed. */
    private static int structuredDataEnd(String l, int i) {
        int n = l.length();
        if (i >= n) return -1;
        if (l.charAt(i) == '-') return i + 1;
        if (l.charAt(i) != '[') return -1;
        while (i < n && l.charAt(i) == '[') {
            i++;
            boolean closed = false;
            while (i < n) {
                char c = l.charAt(i);
                if (c == ']') {
                    closed = true;
                    i++;
                    break;
                }
                if (c == '"') {
                    i++;
                    while (i < n && l.charAt(i) != '"') i += l.charAt(i) == '\\' ? 2 : 1;
                    if (i >= n) return -1; // an unterminated quoted value
                }
                i++;
            }
            if (!closed) return -1;
        }
        return i;
    }

    private static int digits(String s, int from, int max) {
        int k = 0;
        while (k < max && from + k < s.length() && Character.isDigit(s.charAt(from + k)) && s.charAt(from + k) < 128) k++;
        return k;
    }
}
