package dev.vigil.live;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 *
 * <p>{@link #position} is where the lines taken end (past the last one the sink accepted), in the file being read, and
 * {@link #resume} goes on from such a position kept by an earlier run ({@link TailPositions}): in the same file when it
 * is still there with the same start, else in the file it was rotated to (a sibling whose name starts with this one's,
 * found by its identity) and then the new file from its start.
 */
public final class FileTailer implements AutoCloseable {
    private final Path path;
    private final BiConsumer<String, InputStream> sink;
    private final BiConsumer<String, String> problems;
    private FileChannel ch;
    private Object fileKey;
    private long pos;
    /** The offset past the last line the sink took (or an over-long line dropped): what a restart goes on from. */
    private long committed;
    /** The fingerprint of the file's start, kept while it cannot change: {fileKey, length, hex}. */
    private Object[] fingerprint;
    private byte[] partial = new byte[0];
    private boolean reportedMissing;
    /** The longest line held while waiting for its end: past it the line is dropped up to its newline, with one error. */
    private final int maxLine;
    private boolean discarding;
    /** The chunk the sink failed on, handed in again at the next poll (null: none). */
    private byte[] failed;
    /** The offset past the failed chunk's last line. */
    private long failedEnd;

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
            use(FileChannel.open(path, StandardOpenOption.READ), a.fileKey(), -1);
            if (atEnd) committed = pos = ch.size();
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

    /** Reads {@code c} (the file of identity {@code key}) from {@code at} (-1: its start). */
    private void use(FileChannel c, Object key, long at) {
        ch = c;
        fileKey = key;
        committed = pos = Math.max(at, 0);
        partial = new byte[0];
        discarding = false;
        reportedMissing = false;
    }

    /**
     * Goes on from {@code kept}, the position an earlier run reached ({@link #position}), instead of the file's end:
     * <ul>
     *   <li>the same file (identity) with the same first bytes, at least as long: from the kept offset;</li>
     *   <li>the same identity with other first bytes (cut and rewritten, or a new file on a freed inode): from its start;</li>
     *   <li>another file (rotated while vigil was stopped): the rest of the old one, when a sibling whose name starts
     *   with this file's name is it (same identity and first bytes), then this one from its start; when the old one is
     *   not found, this one from its start and the loss said;</li>
     *   <li>no file yet: its lines are read from its start when it comes.</li>
     * </ul>
     * Each case but the first is said on {@code problems}. Call it before the first {@link #poll}.
     */
    public void resume(TailPositions.Entry kept) {
        if (kept == null || failed != null) return;
        closeChannel();
        ch = null;
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            FileChannel cur = FileChannel.open(path, StandardOpenOption.READ);
            String key = keyText(a.fileKey());
            if (kept.key() != null && kept.key().equals(key)) {
                if (kept.sameStart(cur)) {
                    use(cur, a.fileKey(), kept.offset());
                } else {
                    use(cur, a.fileKey(), 0);
                    problems.accept(path.toString(), "not the content read before (cut and rewritten in place, or a new file on the"
                            + " old one's inode, since the last run; it was read up to byte " + kept.offset() + "): read from its start");
                }
                return;
            }
            FileChannel old = null;
            Object oldKey = null;
            Path oldPath = null;
            if (kept.key() != null) {
                for (Path sibling : siblings()) {
                    try {
                        BasicFileAttributes sa = Files.readAttributes(sibling, BasicFileAttributes.class);
                        if (!sa.isRegularFile() || !kept.key().equals(keyText(sa.fileKey()))) continue;
                        FileChannel c = FileChannel.open(sibling, StandardOpenOption.READ);
                        if (kept.sameStart(c)) {
                            old = c;
                            oldKey = sa.fileKey();
                            oldPath = sibling;
                            break;
                        }
                        c.close();
                    } catch (IOException e) {
                        // gone or unreadable: not the one
                    }
                }
            }
            if (old != null) {
                cur.close();
                use(old, oldKey, kept.offset()); // drained first; the next poll then sees the new file and reads it from its start
                problems.accept(path.toString(), "rotated since the last run: the rest of " + oldPath.getFileName() + " (from byte "
                        + kept.offset() + ") is read first, then this file from its start");
            } else {
                use(cur, a.fileKey(), 0);
                problems.accept(path.toString(), "rotated since the last run and the old file not found beside it: this file is read"
                        + " from its start; the old one's lines after byte " + kept.offset() + " are not read");
            }
        } catch (NoSuchFileException e) {
            reportedMissing = true;
            problems.accept(path.toString(), "not there (it was read up to byte " + kept.offset() + " of another file): read from its"
                    + " start when it comes");
        } catch (IOException e) {
            problems.accept(path.toString(), "cannot read: " + e.getMessage());
        }
    }

    /** At most 1,000 files beside this one whose name starts with its name (auth.log.1, secure-20261204). */
    private java.util.List<Path> siblings() throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        String base = path.getFileName().toString();
        java.util.List<Path> out = new java.util.ArrayList<>();
        try (var s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (n.length() > base.length() && n.startsWith(base)) out.add(p);
                if (out.size() >= 1000) break;
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Where the lines taken end in the file being read (null when none is open): past the last line the sink accepted,
     * so that a chunk it failed on, and a line still being written, are read again after a restart.
     */
    public TailPositions.Entry position() {
        if (ch == null) return null;
        int n = (int) Math.min(committed, TailPositions.FINGERPRINT_BYTES);
        try {
            if (fingerprint == null || !java.util.Objects.equals(fingerprint[0], fileKey) || (int) fingerprint[1] != n) {
                fingerprint = new Object[] {fileKey, n, TailPositions.fingerprintOf(ch, n)};
            }
            String fp = (String) fingerprint[2];
            if (fp.length() != 64) return null; // the file is shorter than what was taken of it: cut, the next poll sees it
            return new TailPositions.Entry(keyText(fileKey), committed, n, fp);
        } catch (IOException e) {
            return null;
        }
    }

    private static String keyText(Object fileKey) {
        return fileKey == null ? null : fileKey.toString();
    }

    private void closeChannel() {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only
        }
    }

    /** Reads what was appended since the last poll, following rotation; returns the bytes of complete lines read. */
    public long poll() {
        if (failed != null) {
            if (!hand(failed, failedEnd)) return 0; // still failing: the rest waits in the file
            long n = failed.length;
            failed = null;
            committed = failedEnd;
            return n + poll();
        }
        if (ch == null) {
            openCurrent(false);
            if (ch == null) return 0;
        }
        long n = 0;
        try {
            if (ch.size() < pos) { // truncated in place
                committed = pos = 0;
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
                committed = at + from;
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
            if (!hand(chunk, at + lastNl + 1)) return total; // kept: handed in again at the next poll
            committed = at + lastNl + 1;
            total += lastNl + 1 - from;
        }
        return total;
    }

    /** Whether a chunk the sink failed on is held, waiting to be handed in again. */
    public boolean holdsFailed() {
        return failed != null;
    }

    /** Gives {@code chunk} to the sink; false when it threw (then the chunk is kept, and the failure said once). */
    private boolean hand(byte[] chunk, long end) {
        try {
            sink.accept(path.toString(), new ByteArrayInputStream(chunk));
            return true;
        } catch (RuntimeException e) {
            if (failed == null) {
                problems.accept(path.toString(), "lines not processed, kept and handed in again at each poll until they are: "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
            }
            failed = chunk;
            failedEnd = end;
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
