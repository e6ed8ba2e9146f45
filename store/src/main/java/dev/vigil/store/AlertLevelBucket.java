package dev.vigil.store;

import java.time.Instant;

/** How many alerts of one level fall in [start, start + bucket). */
public record AlertLevelBucket(Instant start, String level, long count) {}
