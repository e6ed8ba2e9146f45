package dev.vigil.notify;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how long apart a failed delivery is tried again: exponential backoff with "equal jitter" (half the
 * delay fixed, half random, so retries of many notifications spread out but never come back at once), capped at {@code
 * maxDelay}; a receiver's Retry-After wins over the computed delay but is capped too, so a hostile or broken receiver
 * cannot park a worker for hours.
 *
 * @param maxAttempts attempts in all, the first included (1 = no retry)
 * @param initialDelay the delay before the first retry, before jitter
 * @param maxDelay the longest delay, Retry-After included
 * @param multiplier the growth of the delay per retry
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(2), 2.0);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
        }
    }

    /**
     * The wait before attempt {@code attempt + 1} after attempt {@code attempt} (1-based) failed.
     *
     * @param retryAfter what the receiver asked for, or {@code null}
     */
    public Duration delay(int attempt, Duration retryAfter, RandomGenerator random) {
        if (retryAfter != null) {
            return retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter;
        }
        double base = initialDelay.toMillis() * Math.pow(multiplier, attempt - 1);
        long capped = (long) Math.min(base, maxDelay.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(capped - half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }
}
