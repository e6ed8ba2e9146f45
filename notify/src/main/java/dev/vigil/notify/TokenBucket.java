package dev.vigil.notify;

import java.time.Duration;
import java.time.InstantSource;

/**
 * A token bucket: up to {@code capacity} notifications at once, refilled at {@code capacity} per {@code period}.
 * Time comes from an {@link InstantSource} so tests control it. Thread-safe.
 */
final class TokenBucket {
    private final double capacity;
    private final double tokensPerMilli;
    private final InstantSource clock;
    private double tokens; // guarded by this
    private long lastMillis; // guarded by this

    TokenBucket(int capacity, Duration period, InstantSource clock) {
        if (capacity < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("rate limit needs capacity >= 1 and a positive period");
        }
        this.capacity = capacity;
        this.tokensPerMilli = capacity / (double) period.toMillis();
        this.clock = clock;
        this.tokens = capacity;
        this.lastMillis = clock.millis();
    }

    /** Takes a token if one is there. */
    synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** Whether a token is there, without taking it. */
    synchronized boolean available() {
        refill();
        return tokens >= 1.0;
    }

    private void refill() {
        long now = clock.millis();
        if (now > lastMillis) {
            tokens = Math.min(capacity, tokens + (now - lastMillis) * tokensPerMilli);
            lastMillis = now;
        }
    }
}
