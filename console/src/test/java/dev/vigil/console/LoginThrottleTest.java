package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");

    @Test
    void locksDoubleAfterTheFreeFailuresUpToFifteenMinutes() {
        assertThat(LoginThrottle.lockFor(4, 5)).isZero();
        assertThat(LoginThrottle.lockFor(5, 5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(LoginThrottle.lockFor(6, 5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(LoginThrottle.lockFor(10, 5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(LoginThrottle.lockFor(15, 5)).isEqualTo(Duration.ofMinutes(15));
        assertThat(LoginThrottle.lockFor(1000, 5)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aKeyIsLockedUntilItsLockPassesAndASuccessClearsIt() {
        LoginThrottle t = new LoginThrottle(3);
        assertThat(t.failure("user:ann", T0)).isZero();
        assertThat(t.failure("user:ann", T0)).isZero();
        assertThat(t.failure("user:ann", T0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.lockRemaining("user:ann", T0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.lockRemaining("user:bob", T0)).as("other keys are free").isZero();
        assertThat(t.lockRemaining("user:ann", T0.plusSeconds(1))).isZero();
        assertThat(t.failure("user:ann", T0.plusSeconds(1))).isEqualTo(Duration.ofSeconds(2));
        t.success("user:ann");
        assertThat(t.lockRemaining("user:ann", T0.plusSeconds(1))).isZero();
        assertThat(t.failure("user:ann", T0.plusSeconds(1)))
                .as("counting starts again")
                .isZero();
    }
}
