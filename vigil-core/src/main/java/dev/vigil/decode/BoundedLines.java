package dev.vigil.decode;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines as {@link java.io.BufferedReader#readLine()} does ({@code \n}, {@code \r} or {@code \r\n} ends a line),
 * but never holds more than {@code max} characters of one: a longer line is read to its end and dropped, and
 * {@link #next()} returns {@link #TOO_LONG} for it, so memory stays flat whatever the input.
 */
final class BoundedLines {
    /** Returned (compare by identity) for a line longer than the limit; {@link #length()} says how long it was. */
    static final String TOO_LONG = new String("(line too long)");

    private final Reader in;
    private final int max;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private boolean skipLf;
    private long length;
    private final StringBuilder line = new StringBuilder();

    BoundedLines(Reader in, int max) {
        this.in = in;
        this.max = max;
    }

    /** The length in characters of the line last returned. */
    long length() {
        return length;
    }

    /** The next line without its end, {@link #TOO_LONG}, or null at the end of the input. */
    String next() throws IOException {
        line.setLength(0);
        length = 0;
        boolean any = false;
        while (true) {
            if (pos >= len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    if (!any) return null;
                    return length > max ? TOO_LONG : line.toString();
                }
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            any = true;
            int start = pos;
            while (pos < len && buf[pos] != '\n' && buf[pos] != '\r') pos++;
            int n = pos - start;
            if (length + n <= max) line.append(buf, start, n);
            length += n;
            if (pos < len) {
                skipLf = buf[pos] == '\r';
                pos++;
                return length > max ? TOO_LONG : line.toString();
            }
        }
    }
}
