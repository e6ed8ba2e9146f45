package dev.vigil.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ProblemSink} that counts every problem and keeps the first {@code limit} of them, so a file of a million bad
 * lines reports its count without holding a million messages. Not thread-safe.
 */
public final class ProblemCollector implements ProblemSink {
    private final int limit;
    private final List<Problem> kept = new ArrayList<>();
    private long count;

    public ProblemCollector(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit < 0");
        }
        this.limit = limit;
    }

    @Override
    public void report(Problem problem) {
        count++;
        if (kept.size() < limit) {
            kept.add(problem);
        }
    }

    /** Every problem reported, kept or not. */
    public long count() {
        return count;
    }

    /** The first problems, at most {@code limit}. */
    public List<Problem> problems() {
        return List.copyOf(kept);
    }
}
