package dev.vigil.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A one-line progress bar on standard error, by bytes of input read, redrawn at most five times a second. */
final class Progress {
    private final PrintWriter err;
    private final boolean enabled;
    private final long totalBytes;
    private long doneBytes;
    private long events;
    private long lastDraw;
    private boolean drawn;

    Progress(PrintWriter err, List<Path> files, boolean enabled) {
        this.err = err;
        long total = 0;
        for (Path f : files) {
            try {
                total += Files.size(f);
            } catch (IOException e) {
                // unreadable files are reported when read
            }
        }
        this.totalBytes = Math.max(1, total);
        // Only worth drawing for inputs that take a while.
        this.enabled = enabled && total > 32L * 1024 * 1024;
    }

    void event() {
        events++;
        if (enabled && (events & 0x3ff) == 0) {
            draw();
        }
    }

    void fileDone(Path file) {
        try {
            doneBytes += Files.size(file);
        } catch (IOException e) {
            // counted as read
        }
        if (enabled) {
            draw();
        }
    }

    private void draw() {
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        int pct = (int) Math.min(100, doneBytes * 100 / totalBytes);
        int filled = pct / 4;
        err.printf("\r[%s%s] %3d%%  %,d events", "#".repeat(filled), ".".repeat(25 - filled), pct, events);
        err.flush();
        drawn = true;
    }

    void clear() {
        if (drawn) {
            err.print("\r" + " ".repeat(60) + "\r");
            err.flush();
        }
    }
}
