package dev.vigil.console;

/** What the overview shows of the ingestion pipeline. */
public interface PipelineStats {
    /** Events stored per second, averaged over the last minute or so. */
    double eventsPerSecond();

    /** Events acknowledged to senders but not yet stored. */
    long queueDepth();

    /** For tests and tools without a pipeline. */
    PipelineStats NONE = new PipelineStats() {
        @Override
        public double eventsPerSecond() {
            return 0;
        }

        @Override
        public long queueDepth() {
            return 0;
        }
    };
}
