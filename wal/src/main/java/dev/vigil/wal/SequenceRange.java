package dev.vigil.wal;

import java.util.stream.LongStream;

/**
 * The contiguous sequences given to one {@link WriteAheadLog#appendAll} batch: {@code first..last} inclusive, empty
 * (with {@code last == first - 1}) for an empty batch.
 */
public record SequenceRange(long first, long last) {
    public SequenceRange {
        if (first < 1 || last < first - 1) {
            throw new IllegalArgumentException("invalid sequence range " + first + ".." + last);
        }
    }

    public long count() {
        return last - first + 1;
    }

    public boolean isEmpty() {
        return last < first;
    }

    public boolean contains(long sequence) {
        return sequence >= first && sequence <= last;
    }

    /** The sequences one by one, in the order of the batch's records. */
    public long[] toArray() {
        return LongStream.rangeClosed(first, last).toArray();
    }
}
