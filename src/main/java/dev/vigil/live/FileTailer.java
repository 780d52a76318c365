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

    /** @param fromStart read what the file already holds (tests); a daemon starts at the end */
    public FileTailer(Path path, boolean fromStart, BiConsumer<String, InputStream> sink, BiConsumer<String, String> problems) {
        this.path = path;
        this.sink = sink;
        this.problems = problems;
        openCurrent(!fromStart);
    }

    private void openCurrent(boolean atEnd) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            ch = Files.newByteChannel(path, StandardOpenOption.READ);
            fileKey = a.fileKey();
            pos = atEnd ? ch.size() : 0;
            partial = new byte[0];
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
        if (ch == null) {
            openCurrent(false);
            if (ch == null) return 0;
        }
        long n = 0;
        try {
            if (ch.size() < pos) { // truncated in place
                pos = 0;
                partial = new byte[0];
            }
            n += drain();
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
            pos += r;
            byte[] chunk = new byte[partial.length + r];
            System.arraycopy(partial, 0, chunk, 0, partial.length);
            System.arraycopy(buf.array(), 0, chunk, partial.length, r);
            int lastNl = -1;
            for (int i = chunk.length - 1; i >= 0; i--) {
                if (chunk[i] == '\n') {
                    lastNl = i;
                    break;
                }
            }
            if (lastNl < 0) {
                partial = chunk;
                continue;
            }
            partial = java.util.Arrays.copyOfRange(chunk, lastNl + 1, chunk.length);
            total += lastNl + 1;
            sink.accept(path.toString(), new ByteArrayInputStream(chunk, 0, lastNl + 1));
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        if (ch != null) ch.close();
    }
}
