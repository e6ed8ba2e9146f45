package dev.vigil.server;

import dev.vigil.wal.WriteAheadLog;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The events the inputs have just logged, held in memory by log sequence until the pipeline reads their records, so
 * that the pipeline matches the event an input made instead of decoding the record it wrote: decoding was about a
 * tenth of the server's CPU on a syslog stream.
 *
 * <p>Why this cannot change what the pipeline does. An event is held only when its record reads back as that very
 * event ({@link WalPayload#encode}: every value of the type decoding gives, the received time to the millisecond), so a
 * live event and the same event replayed after a restart are one and the same to every rule and to the store. Events
 * are held before the log lets any reader see their records ({@link WriteAheadLog#appendAll(java.util.List,
 * java.util.function.LongConsumer)}) and each is taken at most once. Whatever is not held (the budget was spent, a
 * later sequence took the slot, the record is read again after a restart) is decoded from the log as before: the
 * handoff changes how fast, never what.
 *
 * <p>Bounded twice: a ring of {@code slots} indexed by sequence, in which a later sequence replaces an earlier one not
 * yet taken, and a budget of bytes, estimated per event from its record's size, past which events are not held.
 * Thread-safe: the inputs put under the log's write lock, the matching threads take concurrently.
 */
final class EventHandoff {
    /** A held event, the record it was logged as, and what it counts against the budget. */
    private record Held(long sequence, WalPayload.Decoded decoded, byte[] record, long weight) {}

    private final AtomicReferenceArray<Held> slots;
    private final int mask;
    private final long budgetBytes;
    private final AtomicLong heldBytes = new AtomicLong();
    private final LongAdder taken = new LongAdder();
    private final LongAdder missed = new LongAdder();

    /**
     * @param slots how many events may be held at once, a power of two
     * @param budgetBytes how much memory the held events may take, estimated ({@link #weight})
     */
    EventHandoff(int slots, long budgetBytes) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, not " + slots);
        }
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("negative budget: " + budgetBytes);
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
        this.budgetBytes = budgetBytes;
    }

    /**
     * The handoff a server uses: 131,072 slots and a thirty-second of the heap, at most 64 MiB. Small on purpose: held
     * events live until the pipeline takes them, so a large budget fills with a saturated server's backlog, which
     * every young collection then copies (a first version that held events regardless of the heap doubled the live
     * heap on the Windows stream and cost in collections what it saved in decoding). Below saturation the backlog is
     * a batch or two, which fits.
     */
    static EventHandoff forHeap(long maxHeapBytes) {
        return new EventHandoff(1 << 17, Math.min(64L << 20, maxHeapBytes / 32));
    }

    /**
     * What an event decoded from a record of {@code recordBytes} takes in memory, roughly: the record (which the
     * store copies from), its strings, maps and boxed values. A 4.4 KB Windows record decodes into about 20 KB of
     * objects (measured in the tenth session), a 400-byte syslog record into about 2 KB.
     */
    static long weight(int recordBytes) {
        return 4L * recordBytes + 1024;
    }

    /**
     * Holds the event of {@code record}, logged at {@code sequence}; does nothing when the budget would be exceeded
     * (counting the event this one would replace as freed).
     *
     * @param decoded what decoding the record gives
     */
    void put(long sequence, WalPayload.Decoded decoded, byte[] record) {
        long weight = weight(record.length);
        int slot = slot(sequence);
        Held occupant = slots.get(slot);
        if (heldBytes.get() - (occupant == null ? 0 : occupant.weight()) + weight > budgetBytes) {
            return;
        }
        heldBytes.addAndGet(weight);
        Held replaced = slots.getAndSet(slot, new Held(sequence, decoded, record, weight));
        if (replaced != null) {
            heldBytes.addAndGet(-replaced.weight());
        }
    }

    /** Drops what is held for {@code count} sequences from {@code first}: their append failed. */
    void forget(long first, int count) {
        for (long s = first; s < first + count; s++) {
            remove(s);
        }
    }

    /**
     * The event of the record at {@code sequence}, once, or null when it is not held (decode the record). The held
     * event is handed over only for the very bytes it was logged as: whatever went wrong between an append and this
     * read (an append that failed after its sequences were told, say), an event never meets another record.
     */
    WalPayload.Decoded take(long sequence, byte[] record) {
        Held held = remove(sequence);
        if (held != null && java.util.Arrays.equals(held.record(), record)) {
            taken.increment();
            return held.decoded();
        }
        missed.increment();
        return null;
    }

    /** Removes and returns what is held for {@code sequence}, once; null when its slot holds nothing of it. */
    private Held remove(long sequence) {
        int slot = slot(sequence);
        Held held = slots.get(slot);
        if (held != null && held.sequence() == sequence && slots.compareAndSet(slot, held, null)) {
            heldBytes.addAndGet(-held.weight());
            return held;
        }
        return null;
    }

    /** Events handed over without decoding, since start. */
    long taken() {
        return taken.sum();
    }

    /** Records the pipeline had to decode because their event was not held, since start. */
    long missed() {
        return missed.sum();
    }

    /** The estimated bytes held now. */
    long heldBytes() {
        return heldBytes.get();
    }

    private int slot(long sequence) {
        return (int) sequence & mask;
    }
}
