package dev.vigil.decode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The lines of UTF-8 text, as {@link BoundedLines} over a UTF-8 reader (malformed bytes replaced) reads them, from the
 * bytes: a line of ASCII (most log lines) becomes its String in one copy, without decoding to chars and back; other
 * lines are decoded as the reader would (with the byte that ends them, so a sequence cut by the line's end is
 * replaced the same way). Never holds more than about three bytes per character of the limit of one line: a longer
 * line is decoded only to count its characters, and {@link #next()} returns {@link BoundedLines#TOO_LONG} for it.
 */
final class ByteLines {
    private final InputStream in;
    private final int max;
    /** Beyond this many bytes a line has more than {@code max} characters (UTF-8: at most 3 bytes per char). */
    private final long hold;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lineStart;
    private int len;
    private boolean skipLf;
    private boolean eof;
    private long length;
    private byte[] acc = new byte[256];
    private int accLen;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final CharBuffer chars = CharBuffer.allocate(1 << 12);

    ByteLines(InputStream in, int max) {
        this.in = in;
        this.max = max;
        this.hold = 3L * max + 4;
    }

    /**
     * What {@link #next(boolean) next(true)} returns for a line of ASCII that lies whole in the read buffer, in place
     * of its String: its bytes are {@link #bytes()} from {@link #start()}, {@link #length()} of them, until the next
     * call. (The common line of a log: parsed from the bytes, only its parts made Strings, no copy of the whole.)
     */
    static final String ASCII = new String("(an ASCII line in the buffer)");

    /** The length in characters of the line last returned. */
    long length() {
        return length;
    }

    /** The read buffer, which holds the {@link #ASCII} line last returned. */
    byte[] bytes() {
        return buf;
    }

    /** Where the {@link #ASCII} line last returned starts in {@link #bytes()}. */
    int start() {
        return lineStart;
    }

    /** The {@link #ASCII} line last returned as a String: what {@link #next()} would have returned. */
    String line() {
        return new String(buf, lineStart, (int) length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether the {@link #ASCII} line last returned is blank ({@link String#isBlank()}: every character
     * {@link Character#isWhitespace(char) whitespace}) or starts with '#'.
     */
    boolean blankOrComment() {
        int end = lineStart + (int) length;
        if (end > lineStart && buf[lineStart] == '#') return true;
        for (int i = lineStart; i < end; i++) {
            byte b = buf[i];
            // ASCII whitespace: TAB, LF, VT, FF, CR, the four separators 0x1C-0x1F, and the space
            if (b != ' ' && (b < 0x09 || b > 0x0D) && (b < 0x1C || b > 0x1F)) return false;
        }
        return true;
    }

    private static final java.lang.invoke.VarHandle WORD =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = ONES * '\n';
    private static final long CRS = ONES * '\r';

    /**
     * The high bit of each zero byte of {@code v} up to its first (bytes past the first zero may be flagged too): the
     * first zero byte is the lowest flagged one. Below it no byte borrows, and a byte x != 0 has the high bit of
     * {@code (x - 1) & ~x} clear.
     */
    private static long zeroByte(long v) {
        return (v - ONES) & ~v & HIGHS;
    }

    private boolean fill() throws IOException {
        if (eof) return false;
        int n = in.read(buf, 0, buf.length);
        pos = 0;
        if (n <= 0) {
            len = 0;
            eof = true;
            return false;
        }
        len = n;
        return true;
    }

    /** The next line without its end, {@link BoundedLines#TOO_LONG}, or null at the end of the input. */
    String next() throws IOException {
        return next(false);
    }

    /**
     * The same; with {@code ascii}, {@link #ASCII} in place of a line of ASCII that lies whole in the read buffer
     * (not longer than the limit).
     */
    String next(boolean ascii) throws IOException {
        length = 0;
        accLen = 0;
        boolean counting = false; // past hold: decoded only to count
        long counted = 0;
        boolean any = false;
        while (true) {
            if (pos >= len && !fill()) {
                if (!any) return null;
                return counting ? tooLong(counted + count(null, 0, 0, true)) : decoded(-1);
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
            int high = 0;
            int i = pos;
            // eight bytes a step: the first '\n' or '\r' of a word, and the high bits of the bytes before it
            long highs = 0;
            while (i + 8 <= len) {
                long w = (long) WORD.get(buf, i);
                long ends = zeroByte(w ^ LFS) | zeroByte(w ^ CRS);
                if (ends != 0) {
                    int before = Long.numberOfTrailingZeros(ends) >>> 3;
                    highs |= w & ((1L << (before << 3)) - 1) & HIGHS;
                    i += before;
                    break;
                }
                highs |= w & HIGHS;
                i += 8;
            }
            if (highs != 0) high = -1;
            while (i < len) {
                byte b = buf[i];
                if (b == '\n' || b == '\r') break;
                high |= b;
                i++;
            }
            pos = i;
            int n = i - start;
            if (i < len) { // the line ends here
                byte end = buf[i];
                skipLf = end == '\r';
                pos++;
                if (accLen == 0 && !counting && high >= 0) { // ASCII, whole in the buffer: the common case
                    length = n;
                    if (n > max) return BoundedLines.TOO_LONG;
                    if (ascii) {
                        lineStart = start;
                        return ASCII;
                    }
                    return new String(buf, start, n, StandardCharsets.ISO_8859_1);
                }
                if (counting) return tooLong(counted + count(buf, start, n, false) + count(new byte[] {end}, 0, 1, true) - 1);
                append(start, n);
                if (accLen > hold) {
                    startCount();
                    return tooLong(count(acc, 0, accLen, false) + count(new byte[] {end}, 0, 1, true) - 1);
                }
                return decoded(end);
            }
            // the line goes on past the buffer
            if (counting) {
                counted += count(buf, start, n, false);
            } else {
                append(start, n);
                if (accLen > hold) {
                    counting = true;
                    startCount();
                    counted = count(acc, 0, accLen, false);
                    accLen = 0;
                }
            }
        }
    }

    private void append(int start, int n) {
        if (accLen + n > acc.length) acc = java.util.Arrays.copyOf(acc, Math.max(acc.length * 2, accLen + n));
        System.arraycopy(buf, start, acc, accLen, n);
        accLen += n;
    }

    /** The held line decoded with the byte that ended it ({@code end}; -1 at the end of the input), which is then dropped. */
    private String decoded(int end) {
        if (end >= 0) {
            if (accLen == acc.length) acc = java.util.Arrays.copyOf(acc, acc.length + 1);
            acc[accLen++] = (byte) end;
        }
        decoder.reset();
        String s;
        try {
            s = decoder.decode(ByteBuffer.wrap(acc, 0, accLen)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException(e); // cannot happen: malformed input is replaced
        }
        if (end >= 0) s = s.substring(0, s.length() - 1);
        length = s.length();
        return length > max ? BoundedLines.TOO_LONG : s;
    }

    /** A line of more than {@code hold} bytes: more than {@code max} characters (UTF-8 spends at most 3 bytes on one). */
    private String tooLong(long n) {
        length = n;
        return BoundedLines.TOO_LONG;
    }

    private void startCount() {
        decoder.reset();
        pending = null;
    }

    /** Characters the bytes decode to, carrying a cut sequence over to the next call; {@code last} ends the line. */
    private long count(byte[] b, int off, int n, boolean last) {
        ByteBuffer bb = b == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(b, off, n);
        if (pending != null && pending.hasRemaining()) {
            ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + bb.remaining());
            joined.put(pending).put(bb).flip();
            bb = joined;
        }
        long k = 0;
        while (true) {
            chars.clear();
            CoderResult r = decoder.decode(bb, chars, last);
            k += chars.position();
            if (r.isOverflow()) continue;
            break;
        }
        if (last) {
            chars.clear();
            decoder.flush(chars);
            k += chars.position();
            decoder.reset();
            pending = null;
        } else {
            pending = bb.hasRemaining() ? ByteBuffer.allocate(bb.remaining()).put(bb).flip() : null;
        }
        return k;
    }

    private ByteBuffer pending;
}
