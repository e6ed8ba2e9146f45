package dev.vigil.inputs;

import dev.vigil.core.Event;
import java.time.Duration;
import java.util.List;

/** Where inputs hand their events; the server implements it in front of its write-ahead log. */
public interface IngestSink {
    /** Makes the events durable (write-ahead log) and returns true; while the pipeline is full waits up to maxWait, then returns false (refused; the sink counts it). */
    boolean submit(List<Event> events, Duration maxWait) throws InterruptedException;
}
