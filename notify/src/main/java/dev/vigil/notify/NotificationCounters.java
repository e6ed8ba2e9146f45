package dev.vigil.notify;

import java.util.concurrent.atomic.LongAdder;

/** A {@link NotificationListener} that counts, over all channels; what the server reports when nothing finer is hooked. */
public final class NotificationCounters implements NotificationListener {
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder lost = new LongAdder();

    @Override
    public void sent(String channel, Notification n) {
        sent.increment();
    }

    @Override
    public void failed(String channel, Notification n, String reason, boolean willRetry) {
        failed.increment();
    }

    @Override
    public void retried(String channel, Notification n, int attempt, long delayMillis) {
        retried.increment();
    }

    @Override
    public void deadLettered(String channel, Notification n, String reason) {
        deadLettered.increment();
    }

    @Override
    public void rateLimited(String channel, Notification n) {
        rateLimited.increment();
    }

    @Override
    public void lost(String channel, Notification n, String reason) {
        lost.increment();
    }

    public long sent() {
        return sent.sum();
    }

    /** Failed attempts, retried or not. */
    public long failed() {
        return failed.sum();
    }

    public long retried() {
        return retried.sum();
    }

    public long deadLettered() {
        return deadLettered.sum();
    }

    public long rateLimited() {
        return rateLimited.sum();
    }

    public long lost() {
        return lost.sum();
    }

    @Override
    public String toString() {
        return "sent=" + sent() + " failed=" + failed() + " retried=" + retried() + " deadLettered=" + deadLettered()
                + " rateLimited=" + rateLimited() + " lost=" + lost();
    }
}
