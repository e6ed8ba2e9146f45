package dev.vigil.console;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing by key (a user name, or a client address): after a number of failures in a row (the free
 * failures: {@value #FREE_FAILURES} for a user, more for an address that many users may share) a key is locked for 1 s,
 * then 2 s, 4 s ... up to 15 minutes per further failure. Attempts during a lock are refused without
 * checking the password (so they do not cost a hash, and do not count). A success clears the user's key, never the
 * address's (a guesser who knows one password must not reset the address that is guessing others).
 *
 * <p>State is in memory and bounded: when more than {@value #MAX_KEYS} keys are tracked, keys whose lock has passed are
 * dropped first, then the whole table (an attacker who rotates addresses fast enough to fill it gains one free round).
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final int FREE_FAILURES_PER_CLIENT = 20;
    static final Duration MAX_LOCK = Duration.ofMinutes(15);
    private static final int MAX_KEYS = 100_000;

    private record State(int failures, Instant lockedUntil) {}

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final int freeFailures;

    LoginThrottle(int freeFailures) {
        if (freeFailures < 1) {
            throw new IllegalArgumentException("freeFailures must be positive, was " + freeFailures);
        }
        this.freeFailures = freeFailures;
    }

    /** How long {@code key} stays locked from {@code now}; zero when it may try. */
    Duration lockRemaining(String key, Instant now) {
        State s = states.get(key);
        if (s == null || !s.lockedUntil().isAfter(now)) {
            return Duration.ZERO;
        }
        return Duration.between(now, s.lockedUntil());
    }

    /** Records a failed attempt; returns the lock that follows (zero while under the free failures). */
    Duration failure(String key, Instant now) {
        if (states.size() > MAX_KEYS) {
            prune(now);
        }
        State next = states.merge(key, new State(1, now), (old, one) -> {
            int failures = old.failures() + 1;
            return new State(failures, now.plus(lockFor(failures, freeFailures)));
        });
        return next.lockedUntil().isAfter(now) ? Duration.between(now, next.lockedUntil()) : Duration.ZERO;
    }

    void success(String key) {
        states.remove(key);
    }

    static Duration lockFor(int failures, int freeFailures) {
        if (failures < freeFailures) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - freeFailures, 20);
        Duration lock = Duration.ofSeconds(1L << doublings);
        return lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock;
    }

    private void prune(Instant now) {
        for (Iterator<State> it = states.values().iterator(); it.hasNext(); ) {
            if (!it.next().lockedUntil().isAfter(now)) {
                it.remove();
            }
        }
        if (states.size() > MAX_KEYS) {
            states.clear();
        }
    }
}
