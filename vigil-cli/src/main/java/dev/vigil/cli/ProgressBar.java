package dev.vigil.cli;

import dev.vigil.replay.Replay;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr, redrawn at most five times a second; only used on a terminal. It counts the bytes
 * read of the inputs' total size (one big file moves it too), and shows the time left at the rate so far.
 */
final class ProgressBar implements Replay.Progress {
    private final PrintStream err;
    private final LongSupplier nanos;
    private final long started;
    private int files;
    private int index;
    private long events;
    private long read;
    private long total;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintStream err) {
        this(err, System::nanoTime);
    }

    ProgressBar(PrintStream err, LongSupplier nanos) {
        this.err = err;
        this.nanos = nanos;
        this.started = nanos.getAsLong();
        this.lastDraw = started - 1_000_000_000L;
    }

    @Override
    public void start(int files) {
        this.files = files;
    }

    @Override
    public void file(Path file, int index) {
        this.index = index;
        draw();
    }

    @Override
    public void events(long n) {
        this.events = n;
        draw();
    }

    @Override
    public void bytes(long read, long total) {
        this.read = read;
        this.total = total;
        draw();
    }

    @Override
    public void done() {
        clear();
    }

    void clear() {
        if (drawn) {
            err.print("\r\u001b[2K");
            err.flush();
            drawn = false;
        }
    }

    private void draw() {
        long now = nanos.getAsLong();
        if (now - lastDraw < 200_000_000L) return;
        lastDraw = now;
        err.print("\r\u001b[2K" + line(now));
        err.flush();
        drawn = true;
    }

    /** The bar's text at {@code now}. */
    String line(long now) {
        int width = 30;
        double part = total > 0 ? Math.min(1.0, (double) read / total) : files == 0 ? 0 : (double) index / files;
        int filled = (int) (width * part);
        StringBuilder b = new StringBuilder("[").append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
        b.append(String.format("%3d%% ", (int) (part * 100)));
        if (total > 0) b.append(size(read)).append(" of ").append(size(total)).append(", ");
        b.append(Math.min(index + 1, files)).append('/').append(files).append(" files, ").append(events).append(" events");
        double elapsed = (now - started) / 1e9;
        if (part > 0.01 && elapsed >= 1) b.append(", ").append(clock((long) (elapsed * (1 - part) / part))).append(" left");
        return b.toString();
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) return String.format("%.1f KB", bytes / 1024.0);
        if (bytes < 1024L * 1024 * 1024) return String.format("%.1f MB", bytes / (1024.0 * 1024));
        return String.format("%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }

    static String clock(long seconds) {
        return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
