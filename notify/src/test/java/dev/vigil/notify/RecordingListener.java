package dev.vigil.notify;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Counts like {@link NotificationCounters} and also keeps the failure reasons and retry delays, for assertions. */
final class RecordingListener implements NotificationListener {
    final NotificationCounters counters = new NotificationCounters();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> sentIds = new CopyOnWriteArrayList<>();
    final List<Duration> delays = new CopyOnWriteArrayList<>();

    @Override
    public void sent(String channel, Notification n) {
        counters.sent(channel, n);
        sentIds.add(channel + ":" + n.id());
    }

    @Override
    public void failed(String channel, Notification n, String reason, boolean willRetry) {
        counters.failed(channel, n, reason, willRetry);
        failures.add(channel + ": " + reason);
    }

    @Override
    public void retried(String channel, Notification n, int attempt, long delayMillis) {
        counters.retried(channel, n, attempt, delayMillis);
        delays.add(Duration.ofMillis(delayMillis));
    }

    @Override
    public void deadLettered(String channel, Notification n, String reason) {
        counters.deadLettered(channel, n, reason);
    }

    @Override
    public void rateLimited(String channel, Notification n) {
        counters.rateLimited(channel, n);
    }

    @Override
    public void lost(String channel, Notification n, String reason) {
        counters.lost(channel, n, reason);
    }
}
