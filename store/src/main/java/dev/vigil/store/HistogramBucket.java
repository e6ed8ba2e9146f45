package dev.vigil.store;

import java.time.Instant;

/** The number of matching events whose time falls in [start, start + bucket). */
public record HistogramBucket(Instant start, long count) {}
