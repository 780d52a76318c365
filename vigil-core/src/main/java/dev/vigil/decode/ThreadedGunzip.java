package dev.vigil.decode;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.GZIPInputStream;

/**
 * Gunzips on a thread of its own while the caller parses: decompression is the floor of replay's cost, so it runs
 * beside parsing on a second core. A bounded queue of chunks keeps memory flat, and the chunks the reader is done
 * with go back to the gunzip thread to be filled again (a replay gunzips gigabytes: a new 64 KB array for each chunk
 * was a sixth of all that a Sigma replay allocated, and of its young collections). A truncated or corrupt stream
 * ends the data decoded so far, then throws an IOException saying what was wrong.
 */
final class ThreadedGunzip extends InputStream {
    private static final int CHUNK = 1 << 16;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(32);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(34); // read chunks, to be filled again
    private final Thread worker;
    private volatile IOException failure;
    private volatile boolean closed;
    private byte[] current = new byte[0];
    private int pos;
    private int len;
    private boolean ended;

    ThreadedGunzip(InputStream compressed, String name) {
        worker = Thread.ofPlatform().daemon().name("gunzip " + name).unstarted(() -> pump(compressed));
        worker.start();
    }

    private void pump(InputStream compressed) {
        try (GZIPInputStream gz = new GZIPInputStream(compressed, CHUNK)) {
            byte[] buf = new byte[CHUNK];
            int n = 0;
            try {
                while (!closed) {
                    int k = gz.read(buf, n, CHUNK - n);
                    if (k < 0) break;
                    n += k;
                    if (n == CHUNK) {
                        queue.put(buf);
                        buf = free.poll();
                        if (buf == null) buf = new byte[CHUNK];
                        n = 0;
                    }
                }
            } finally {
                // what was decoded before a failure still goes to the reader, so no record before the cut is lost
                if (n > 0 && !closed) queue.put(java.util.Arrays.copyOf(buf, n));
            }
        } catch (EOFException e) {
            failure = new IOException("truncated gzip (unexpected end of the compressed data)");
        } catch (java.util.zip.ZipException e) {
            failure = new IOException("corrupt gzip data: " + e.getMessage());
        } catch (IOException e) {
            failure = new IOException("cannot read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            WorkerCpu.record("gunzip");
            try {
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean fill() throws IOException {
        if (ended) {
            if (failure != null) throw failure; // every read past the damage says so, not only the first
            return false;
        }
        try {
            byte[] next = queue.take();
            if (current.length == CHUNK) free.offer(current); // read to its end: nothing refers to it any more
            current = END;
            if (next == END) {
                ended = true;
                if (failure != null) throw failure;
                return false;
            }
            current = next;
            pos = 0;
            len = next.length;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public int read() throws IOException {
        if (pos >= len && !fill()) return -1;
        return current[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        if (n == 0) return 0;
        if (pos >= len && !fill()) return -1;
        int k = Math.min(n, len - pos);
        System.arraycopy(current, pos, b, off, k);
        pos += k;
        return k;
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        worker.interrupt();
    }
}
