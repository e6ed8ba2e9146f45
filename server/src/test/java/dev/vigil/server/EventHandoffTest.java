package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventHandoffTest {
    private static WalPayload.Decoded decoded(long n) {
        Event event = Event.builder().tenant(TenantId.of("acme")).field("n", n).build();
        return new WalPayload.Decoded(Instant.ofEpochMilli(n), event, null);
    }

    /** Record sizes that vary with the sequence, up to 2 KB. */
    private static int sizeOf(long sequence) {
        return (int) (sequence * 7919 % 2000);
    }

    /** A record of {@code size} bytes that names {@code n}. */
    private static byte[] record(long n, int size) {
        byte[] r = new byte[Math.max(8, size)];
        java.nio.ByteBuffer.wrap(r).putLong(n);
        return r;
    }

    @Test
    void anEventIsTakenOnceUnderItsOwnSequence() {
        EventHandoff handoff = new EventHandoff(8, 1L << 20);
        WalPayload.Decoded first = decoded(1);
        handoff.put(1, first, record(1, 100));
        assertThat(handoff.heldBytes()).isEqualTo(EventHandoff.weight(100));
        assertThat(handoff.take(9, record(9, 100)))
                .as("the same slot, another sequence")
                .isNull();
        assertThat(handoff.take(1, record(1, 100))).isSameAs(first);
        assertThat(handoff.take(1, record(1, 100))).isNull();
        assertThat(handoff.heldBytes()).isZero();
        assertThat(handoff.taken()).isEqualTo(1);
        assertThat(handoff.missed()).isEqualTo(2);
    }

    /** An event is handed over only for the bytes it was logged as; other bytes under its sequence are decoded. */
    @Test
    void anEventNeverMeetsAnotherRecord() {
        EventHandoff handoff = new EventHandoff(8, 1L << 20);
        handoff.put(5, decoded(5), record(5, 100));
        assertThat(handoff.take(5, record(6, 100))).isNull();
        assertThat(handoff.take(5, record(5, 100)))
                .as("dropped, not kept for later")
                .isNull();
        assertThat(handoff.heldBytes()).isZero();
    }

    @Test
    void aFailedAppendsEventsAreForgotten() {
        EventHandoff handoff = new EventHandoff(8, 1L << 20);
        handoff.put(3, decoded(3), record(3, 100));
        handoff.put(4, decoded(4), record(4, 100));
        handoff.put(5, decoded(5), record(5, 100));
        handoff.forget(3, 2);
        assertThat(handoff.heldBytes()).isEqualTo(EventHandoff.weight(100));
        assertThat(handoff.take(3, record(3, 100))).isNull();
        assertThat(handoff.take(4, record(4, 100))).isNull();
        assertThat(handoff.take(5, record(5, 100))).isNotNull();
    }

    @Test
    void aLaterSequenceReplacesAnUntakenOneInItsSlot() {
        EventHandoff handoff = new EventHandoff(8, 1L << 20);
        handoff.put(3, decoded(3), record(3, 100));
        WalPayload.Decoded later = decoded(11);
        handoff.put(11, later, record(11, 300));
        assertThat(handoff.heldBytes()).isEqualTo(EventHandoff.weight(300));
        assertThat(handoff.take(3, record(3, 100))).isNull();
        assertThat(handoff.take(11, record(11, 300))).isSameAs(later);
        assertThat(handoff.heldBytes()).isZero();
    }

    @Test
    void eventsPastTheBudgetAreNotHeld() {
        EventHandoff handoff = new EventHandoff(16, 3 * EventHandoff.weight(1000));
        for (long s = 1; s <= 5; s++) {
            handoff.put(s, decoded(s), record(s, 1000));
        }
        assertThat(handoff.heldBytes()).isEqualTo(3 * EventHandoff.weight(1000));
        assertThat(handoff.take(4, record(4, 1000))).isNull();
        assertThat(handoff.take(1, record(1, 1000))).isNotNull();
        handoff.put(6, decoded(6), record(6, 1000));
        assertThat(handoff.take(6, record(6, 1000)))
                .as("room again once one was taken")
                .isNotNull();
        // A full budget still takes an event whose slot's occupant it replaces: stale events cannot block it.
        handoff.put(19, decoded(19), record(19, 1000));
        assertThat(handoff.take(3, record(3, 1000))).as("replaced").isNull();
        assertThat(handoff.take(19, record(19, 1000))).isNotNull();
        EventHandoff none = new EventHandoff(16, 0);
        none.put(1, decoded(1), record(1, 8));
        assertThat(none.take(1, record(1, 8))).isNull();
        assertThat(none.heldBytes()).isZero();
    }

    @Test
    void slotsMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new EventHandoff(12, 100)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new EventHandoff(0, 100)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new EventHandoff(8, -1)).hasMessageContaining("negative");
    }

    /**
     * One putter (the log's write lock makes puts one at a time) and several takers, as in the server, with a ring
     * smaller than the sequences in flight: every event is taken at most once and only under its own sequence, and
     * the bytes held return to zero once all are taken or replaced.
     */
    @Test
    void concurrentTakersNeverShareAnEvent() throws Exception {
        EventHandoff handoff = new EventHandoff(64, 1L << 30);
        int total = 200_000;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            ConcurrentHashMap<Long, Boolean> takenOnce = new ConcurrentHashMap<>();
            AtomicLong putUpTo = new AtomicLong();
            Future<?> putter = pool.submit(() -> {
                for (long s = 1; s <= total; s++) {
                    handoff.put(s, decoded(s), record(s, sizeOf(s)));
                    putUpTo.set(s);
                }
            });
            List<Future<Integer>> takers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int parity = t;
                takers.add(pool.submit(() -> {
                    int got = 0;
                    long s = 1 + parity;
                    while (s <= total) {
                        long putBefore = putUpTo.get();
                        WalPayload.Decoded d = handoff.take(s, record(s, sizeOf(s)));
                        if (d != null) {
                            assertThat(d.event().fields()).containsEntry("n", s);
                            assertThat(takenOnce.putIfAbsent(s, true)).isNull();
                            got++;
                            s += 2;
                        } else if (putBefore >= s) {
                            // Put before the take, yet not here: only a later sequence in its slot explains it (the
                            // pipeline would decode the record).
                            while (putUpTo.get() < s + 64 && !putter.isDone()) {
                                Thread.onSpinWait();
                            }
                            assertThat(putUpTo.get()).isGreaterThanOrEqualTo(s + 64);
                            s += 2;
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                    return got;
                }));
            }
            putter.get(1, TimeUnit.MINUTES);
            int got = 0;
            for (Future<Integer> f : takers) {
                got += f.get(1, TimeUnit.MINUTES);
            }
            assertThat(got).isEqualTo(takenOnce.size()).isEqualTo((int) handoff.taken());
            assertThat(got).as("events handed over").isPositive();
            for (long s = 1; s <= total; s++) {
                handoff.forget(s, 1);
            }
            assertThat(handoff.heldBytes()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
