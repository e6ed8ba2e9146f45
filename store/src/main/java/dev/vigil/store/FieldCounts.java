package dev.vigil.store;

import java.util.List;

/**
 * The most frequent values of a field among matching events.
 *
 * @param buckets at most topN values, most frequent first (ties by value)
 * @param otherCount how many further values (occurrences) fall outside the top buckets
 */
public record FieldCounts(List<Bucket> buckets, long otherCount) {
    public FieldCounts {
        buckets = List.copyOf(buckets);
    }

    /** A value as text (numbers in their JSON form) and how many matching events hold it. */
    public record Bucket(String value, long count) {}
}
