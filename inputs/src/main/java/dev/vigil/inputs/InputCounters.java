package dev.vigil.inputs;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one input has done, for the server to expose as Prometheus metrics (counters, except {@link
 * #connectionsOpen()}, a gauge). Updated by the input's threads without locks; readers see recent, not atomic-together,
 * values.
 */
public final class InputCounters {
    private final String input;
    private final LongAdder eventsIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong connectionsOpen = new AtomicLong();
    private final LongAdder connectionsAccepted = new LongAdder();
    private final LongAdder connectionsRejected = new LongAdder();
    private final LongAdder connectionsClosedIdle = new LongAdder();
    private final LongAdder connectionErrors = new LongAdder();

    /** @param input the input's name, the {@code input} label of its metrics (e.g. {@code syslog-tcp:6514}) */
    public InputCounters(String input) {
        this.input = java.util.Objects.requireNonNull(input, "input");
    }

    public String input() {
        return input;
    }

    /** Events accepted by the sink. */
    public long eventsIn() {
        return eventsIn.sum();
    }

    /** Bytes received (framing included), whether or not they became events. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Messages or lines that produced no event: unparseable, oversized, badly framed. */
    public long rejected() {
        return rejected.sum();
    }

    /** Times the sink refused a batch that was then retried (TCP, files: nothing is lost, the input waited). */
    public long refused() {
        return refused.sum();
    }

    /** Events given up after the sink refused them (UDP, which cannot slow its senders; or a batch still refused at close). */
    public long dropped() {
        return dropped.sum();
    }

    /** Connections open now (a gauge). */
    public long connectionsOpen() {
        return connectionsOpen.get();
    }

    public long connectionsAccepted() {
        return connectionsAccepted.sum();
    }

    /** Connections closed at once because {@code maxConnections} were open. */
    public long connectionsRejected() {
        return connectionsRejected.sum();
    }

    /** Connections closed because they completed no message within the idle timeout. */
    public long connectionsClosedIdle() {
        return connectionsClosedIdle.sum();
    }

    /** Connections ended by an I/O or TLS handshake error. */
    public long connectionErrors() {
        return connectionErrors.sum();
    }

    void addEvents(long n) {
        eventsIn.add(n);
    }

    void addBytes(long n) {
        bytesIn.add(n);
    }

    void addRejected() {
        rejected.increment();
    }

    void addRefused() {
        refused.increment();
    }

    void addDropped(long n) {
        dropped.add(n);
    }

    void connectionOpened() {
        connectionsAccepted.increment();
        connectionsOpen.incrementAndGet();
    }

    void connectionClosed() {
        connectionsOpen.decrementAndGet();
    }

    void connectionRejected() {
        connectionsRejected.increment();
    }

    void closedIdle() {
        connectionsClosedIdle.increment();
    }

    void connectionError() {
        connectionErrors.increment();
    }

    @Override
    public String toString() {
        return input + "{events=" + eventsIn() + ", bytes=" + bytesIn() + ", rejected=" + rejected() + ", refused="
                + refused() + ", dropped=" + dropped() + ", open=" + connectionsOpen() + ", idleClosed="
                + connectionsClosedIdle() + "}";
    }
}
