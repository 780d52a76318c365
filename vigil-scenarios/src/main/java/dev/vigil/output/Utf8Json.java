package dev.vigil.output;

import java.io.OutputStream;

/**
 * JSON text straight into UTF-8 bytes, as Jackson's character generator behind a UTF-8 {@code OutputStreamWriter}
 * writes it: strings escaped as Jackson escapes them ({@code \" \\ \b \t \n \f \r}, other control characters as
 * six-character \\u escapes with upper-case hex, nothing else), and a lone surrogate written as {@code ?} (the encoder's
 * replacement). {@code FindingJsonStreamTest} holds the bytes equal to Jackson's over hostile strings. One buffer,
 * handed to the stream when full or flushed: no generator, no character buffer, no encoder in between.
 */
final class Utf8Json {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    /** Per ASCII character: 0 as is, -1 as a six-character \\u escape, else the letter after a backslash. */
    private static final byte[] ESCAPE = new byte[128];
    private static final byte[] NO_ESCAPE = new byte[128];

    static {
        for (int i = 0; i < 32; i++) ESCAPE[i] = -1;
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
        ESCAPE['\b'] = 'b';
        ESCAPE['\t'] = 't';
        ESCAPE['\f'] = 'f';
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
    }

    private final OutputStream out;
    private byte[] buf;
    private int n;

    Utf8Json(OutputStream out) {
        this(out, 64 * 1024);
    }

    Utf8Json(OutputStream out, int size) {
        this.out = out;
        this.buf = new byte[Math.max(size, 64)];
    }

    /** What the buffer holds, written to the stream (not flushed). */
    void drain() {
        if (n == 0) return;
        try {
            out.write(buf, 0, n);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        n = 0;
    }

    private void room(int k) {
        if (n + k <= buf.length) return;
        drain();
        if (k > buf.length) buf = new byte[k];
    }

    void bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
    }

    void ascii(char c) {
        room(1);
        buf[n++] = (byte) c;
    }

    /** A JSON string ({@code null} for null), quoted and escaped. */
    void string(String s) {
        if (s == null) {
            bytes(NULL);
            return;
        }
        ascii('"');
        chars(s, true);
        ascii('"');
    }

    /** The last string written through one {@link Slot} and its bytes: fields whose value is one object finding after finding. */
    static final class Slot {
        private String text;
        private byte[] bytes;
    }

    /**
     * {@link #string}, the bytes kept in {@code slot}: when the next string is the same object (a rule's name, an
     * account), they are copied rather than made again.
     */
    void string(String s, Slot slot) {
        if (s != null && s == slot.text) {
            bytes(slot.bytes);
            return;
        }
        if (s == null || s.length() > 256) {
            string(s);
            return;
        }
        room(s.length() * 6 + 2);
        int from = n;
        string(s);
        slot.bytes = java.util.Arrays.copyOfRange(buf, from, n);
        slot.text = s;
    }

    /** Characters as they are (JSON text made elsewhere), in UTF-8. */
    void raw(String s) {
        chars(s, false);
    }

    private char[] scratch = new char[1024];

    private void chars(String s, boolean escape) {
        int len = s.length();
        if (len > scratch.length) scratch = new char[Math.max(len, scratch.length * 2)];
        char[] cs = scratch;
        s.getChars(0, len, cs, 0); // one bulk copy, then plain array reads
        byte[] esc = escape ? ESCAPE : NO_ESCAPE;
        int i = 0;
        while (i < len) {
            // a character takes at most 6 bytes (a six-character \\u escape); a surrogate pair 4 for 2 characters
            int end = Math.min(len, i + (buf.length - n) / 6);
            if (end <= i) {
                drain();
                continue;
            }
            byte[] b = buf;
            int p = n;
            while (i < end) {
                // the common run: ASCII that needs no escape, one byte each
                char c = cs[i];
                if (c < 0x80 && esc[c] == 0) {
                    b[p++] = (byte) c;
                    i++;
                    continue;
                }
                i++;
                if (c < 0x80) {
                    int e = esc[c];
                    b[p++] = '\\';
                    if (e > 0) {
                        b[p++] = (byte) e;
                    } else {
                        b[p++] = 'u';
                        b[p++] = '0';
                        b[p++] = '0';
                        b[p++] = HEX[c >> 4];
                        b[p++] = HEX[c & 0xf];
                    }
                } else if (c < 0x800) {
                    b[p++] = (byte) (0xc0 | (c >> 6));
                    b[p++] = (byte) (0x80 | (c & 0x3f));
                } else if (!Character.isSurrogate(c)) {
                    b[p++] = (byte) (0xe0 | (c >> 12));
                    b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    b[p++] = (byte) (0x80 | (c & 0x3f));
                } else if (Character.isHighSurrogate(c) && i < len && Character.isLowSurrogate(cs[i])) {
                    int cp = Character.toCodePoint(c, cs[i++]);
                    b[p++] = (byte) (0xf0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    b[p++] = (byte) (0x80 | (cp & 0x3f));
                } else {
                    b[p++] = '?'; // a lone surrogate: what the UTF-8 encoder puts for it
                }
            }
            n = p;
        }
        if (len > 64 * 1024) scratch = new char[1024]; // a huge string's copy is not kept
    }

    /** {@code s} in UTF-8 as {@link #raw} writes it. */
    static byte[] encode(String s) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(s.length() + 16);
        Utf8Json j = new Utf8Json(b, s.length() * 3 + 16);
        j.raw(s);
        j.drain();
        return b.toByteArray();
    }
}
