package dev.vigil.cli;

import dev.vigil.replay.Replay;
import java.io.PrintStream;
import java.nio.file.Path;

/** A one-line progress bar on stderr, redrawn at most five times a second; only used on a terminal. */
final class ProgressBar implements Replay.Progress {
    private final PrintStream err;
    private int files;
    private int index;
    private long events;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintStream err) {
        this.err = err;
    }

    @Override
    public void start(int files) {
        this.files = files;
    }

    @Override
    public void file(Path file, int index) {
        this.index = index;
        draw(false);
    }

    @Override
    public void events(long n) {
        this.events = n;
        draw(false);
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

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 200_000_000L) return;
        lastDraw = now;
        int width = 30;
        int filled = files == 0 ? 0 : (int) ((long) width * index / files);
        err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + index + "/" + files + " files, " + events + " events");
        err.flush();
        drawn = true;
    }
}
