package dev.vigil.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Asks standard output now and then whether it still works. A PrintWriter keeps its errors to itself (a closed pipe,
 * a full disk), so a run that only looked at the end would read its inputs to the end for nobody, as
 * {@code vigil hunt ... | head} did after {@code head} had gone.
 */
final class OutputCheck {
    private final PrintWriter stdout;
    private final Writer buffer;
    private final int interval;
    private long writes;

    /**
     * @param stdout standard output
     * @param buffer the writer over {@code stdout} that the run writes to, flushed before each check
     * @param interval writes between two checks
     */
    OutputCheck(PrintWriter stdout, Writer buffer, int interval) {
        this.stdout = stdout;
        this.buffer = buffer;
        this.interval = interval;
    }

    /** Call after each write; true when this call checked and standard output has failed. */
    boolean failedAfterWrite() throws IOException {
        if (++writes % interval != 0) {
            return false;
        }
        buffer.flush();
        return stdout.checkError();
    }
}
