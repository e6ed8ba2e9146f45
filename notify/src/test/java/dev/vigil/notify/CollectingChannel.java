package dev.vigil.notify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A channel that keeps what it is given, in memory: the routing and dispatcher tests' receiver. It can be made to hold
 * every delivery until released, to play a stuck receiver.
 */
final class CollectingChannel implements NotificationChannel {
    record Delivered(Notification notification, RenderOptions options, String thread) {}

    private final String name;
    private final CountDownLatch gate;
    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);

    CollectingChannel(String name) {
        this(name, null);
    }

    /** With a {@code gate}, each delivery waits for it first (at most a minute). */
    CollectingChannel(String name, CountDownLatch gate) {
        this.name = name;
        this.gate = gate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryOutcome deliver(Notification notification, RenderOptions options) {
        entered.countDown();
        if (gate != null) {
            try {
                if (!gate.await(1, TimeUnit.MINUTES)) {
                    return DeliveryOutcome.retryable("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return DeliveryOutcome.retryable("interrupted");
            }
        }
        delivered.add(
                new Delivered(notification, options, Thread.currentThread().getName()));
        return DeliveryOutcome.delivered();
    }

    List<String> ids() {
        return delivered.stream().map(d -> d.notification().id()).toList();
    }
}
