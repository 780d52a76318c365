package dev.vigil.live;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.BiConsumer;

/**
 * Follows a log file as {@code tail -F} does: starts at its end, reads complete lines as they are appended, and
 * survives rotation (the file renamed and a new one created: the rest of the old one is read first) and truncation
 * (copytruncate: reading starts again at the top). A line still being written (no newline yet) waits for the next poll.
 *
 * <p>When the sink throws (a store fault while the lines are processed), the chunk it was given is kept and handed in
 * again, the same bytes, at each poll until it is taken; nothing more is read meanwhile (the file holds the rest), so
 * what is kept is one chunk: at most 1 MiB and a held line. The failure is said once for the episode, not per poll.
 */
public final class FileTailer implements AutoCloseable {
    private final Path path;
    private final BiConsumer<String, InputStream> sink;
    private final BiConsumer<String, String> problems;
    private SeekableByteChannel ch;
    private Object fileKey;
    private long pos;
    private byte[] partial = new byte[0];
    private boolean reportedMissing;
    /** The longest line held while waiting for its end: past it the line is dropped up to its newline, with one error. */
    private final int maxLine;
    private boolean discarding;
    /** The chunk the sink failed on, handed in again at the next poll (null: none). */
    private byte[] failed;

    /** @param fromStart read what the file already holds (tests); a daemon starts at the end */
    public FileTailer(Path path, boolean fromStart, BiConsumer<String, InputStream> sink, BiConsumer<String, String> problems) {
        this(path, fromStart, sink, problems, dev.vigil.decode.DecodeOptions.Limits.DEFAULTS.recordBytes());
    }

    /** @param maxLine the longest line in bytes (the decoder then applies its own, smaller, limit to text lines) */
    public FileTailer(Path path, boolean fromStart, BiConsumer<String, InputStream> sink, BiConsumer<String, String> problems, int maxLine) {
        this.path = path;
        this.sink = sink;
        this.problems = problems;
        this.maxLine = maxLine;
        openCurrent(!fromStart);
    }

    private void openCurrent(boolean atEnd) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            ch = Files.newByteChannel(path, StandardOpenOption.READ);
            fileKey = a.fileKey();
            pos = atEnd ? ch.size() : 0;
            partial = new byte[0];
            discarding = false;
            reportedMissing = false;
        } catch (NoSuchFileException e) {
            ch = null;
            if (!reportedMissing) problems.accept(path.toString(), "not there yet: waiting for it");
            reportedMissing = true;
        } catch (IOException e) {
            ch = null;
            problems.accept(path.toString(), "cannot read: " + e.getMessage());
        }
    }

    /** Reads what was appended since the last poll, following rotation; returns the bytes of complete lines read. */
    public long poll() {
        if (failed != null) {
            if (!hand(failed)) return 0; // still failing: the rest waits in the file
            long n = failed.length;
            failed = null;
            return n + poll();
        }
        if (ch == null) {
            openCurrent(false);
            if (ch == null) return 0;
        }
        long n = 0;
        try {
            if (ch.size() < pos) { // truncated in place
                pos = 0;
                partial = new byte[0];
                discarding = false;
            }
            n += drain();
            if (failed != null) return n; // the rest of the file (a rotated one too) is read once the chunk is taken
            Object now = currentKey();
            if (now != null && !now.equals(fileKey)) { // rotated: the old file is drained, go on with the new one
                ch.close();
                openCurrent(false);
                if (ch != null) n += drain();
            }
        } catch (IOException e) {
            problems.accept(path.toString(), "read failed: " + e.getMessage());
        }
        return n;
    }

    private Object currentKey() {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null; // between the rename and the new file: keep reading the old one
        }
    }

    private long drain() throws IOException {
        long size = ch.size();
        if (size <= pos) return 0;
        ch.position(pos);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - pos, 1 << 20));
        long total = 0;
        while (pos < size) {
            buf.clear();
            int r = ch.read(buf);
            if (r <= 0) break;
            long at = pos;
            pos += r;
            byte[] a = buf.array();
            int from = 0;
            if (discarding) { // the rest of an over-long line: dropped up to its newline
                int nl = indexOf(a, 0, r);
                if (nl < 0) continue;
                discarding = false;
                from = nl + 1;
                total += from;
            }
            int lastNl = -1;
            for (int i = r - 1; i >= from; i--) {
                if (a[i] == '\n') {
                    lastNl = i;
                    break;
                }
            }
            if (lastNl < 0) {
                partial = hold(partial, a, from, r, at);
                continue;
            }
            byte[] chunk = new byte[partial.length + lastNl + 1 - from];
            System.arraycopy(partial, 0, chunk, 0, partial.length);
            System.arraycopy(a, from, chunk, partial.length, lastNl + 1 - from);
            partial = hold(new byte[0], a, lastNl + 1, r, at);
            if (!hand(chunk)) return total; // kept: handed in again at the next poll
            total += lastNl + 1 - from;
        }
        return total;
    }

    /** Whether a chunk the sink failed on is held, waiting to be handed in again. */
    public boolean holdsFailed() {
        return failed != null;
    }

    /** Gives {@code chunk} to the sink; false when it threw (then the chunk is kept, and the failure said once). */
    private boolean hand(byte[] chunk) {
        try {
            sink.accept(path.toString(), new ByteArrayInputStream(chunk));
            return true;
        } catch (RuntimeException e) {
            if (failed == null) {
                problems.accept(path.toString(), "lines not processed, kept and handed in again at each poll until they are: "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
            }
            failed = chunk;
            return false;
        }
    }

    /** The start of a line still being written, unless that makes it longer than the limit (then it is dropped). */
    private byte[] hold(byte[] held, byte[] a, int from, int to, long at) {
        if (held.length + (to - from) > maxLine) {
            problems.accept(path.toString(), "line at byte " + (at + from - held.length) + " longer than " + maxLine + " bytes, skipped");
            discarding = true;
            return new byte[0];
        }
        byte[] out = java.util.Arrays.copyOf(held, held.length + to - from);
        System.arraycopy(a, from, out, held.length, to - from);
        return out;
    }

    private static int indexOf(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) if (a[i] == '\n') return i;
        return -1;
    }

    /** Closes the file; a chunk still held (the store failing until the stop) is said, not silently dropped. */
    @Override
    public void close() throws IOException {
        if (failed != null) {
            problems.accept(path.toString(), "stopped with " + failed.length + " bytes of lines not processed (the failure above):"
                    + " a start reads from the end of the file");
        }
        if (ch != null) ch.close();
    }
}
