package dev.vigil.cli;

import dev.vigil.sigma.Detection;
import java.io.IOException;

/** Writes the detections of a hunt in one output format. */
interface DetectionWriter extends AutoCloseable {
    void write(Detection d) throws IOException;

    /** Called once after the last detection, with the run's totals. */
    void finish(HuntSummary summary) throws IOException;

    @Override
    void close() throws IOException;
}
