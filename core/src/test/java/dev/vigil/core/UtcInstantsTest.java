package dev.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link UtcInstants} must answer exactly as {@link Instant#parse}: checked against it on seeded random text. */
class UtcInstantsTest {
    private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void readsEveryInstantToStringWritesWithoutTheFormatter() {
        Random random = new Random(20261127L);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = randomInstant(random);
            String text = instant.toString();
            assertThat(UtcInstants.parseCanonical(text, false)).as(text).isEqualTo(instant);
            assertThat(UtcInstants.parse(text)).as(text).isEqualTo(instant);
        }
    }

    @Test
    void writesWhatInstantToStringWrites() {
        Random random = new Random(20261128L);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = randomInstant(random);
            assertThat(UtcInstants.format(instant)).isEqualTo(instant.toString());
        }
        for (Instant edge : new Instant[] {
            Instant.EPOCH,
            Instant.ofEpochSecond(-1),
            Instant.ofEpochSecond(-1, 999_999_999),
            Instant.MIN,
            Instant.MAX,
            Instant.parse("0000-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.parse("9999-12-31T23:59:59Z").plusSeconds(1),
            Instant.parse("0000-01-01T00:00:00Z").minusNanos(1)
        }) {
            assertThat(UtcInstants.format(edge)).isEqualTo(edge.toString());
        }
    }

    @Test
    void readsFractionsOfAnyLengthAsInstantParseDoes() {
        Random random = new Random(7L);
        for (int i = 0; i < 20_000; i++) {
            String text = randomInstant(random).toString().replaceAll("(\\.\\d+)?Z$", "");
            int digits = 1 + random.nextInt(9);
            StringBuilder fraction = new StringBuilder(".");
            for (int d = 0; d < digits; d++) {
                fraction.append((char) ('0' + random.nextInt(10)));
            }
            String withFraction = text + fraction + "Z";
            assertThat(UtcInstants.parseCanonical(withFraction, false))
                    .as(withFraction)
                    .isNotNull();
            assertThat(UtcInstants.parse(withFraction)).as(withFraction).isEqualTo(Instant.parse(withFraction));
        }
    }

    /** Damaged and unusual text: the same instant or the same kind of failure as {@code Instant.parse}. */
    @Test
    void answersDamagedTextAsInstantParseDoes() {
        Random random = new Random(11L);
        String alphabet = "0123456789-:.TZtz+ 9";
        int fastAccepted = 0;
        for (int i = 0; i < 200_000; i++) {
            char[] text = randomInstant(random).toString().toCharArray();
            for (int k = 1 + random.nextInt(2); k > 0; k--) {
                text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String damaged = new String(text);
            Instant expected;
            try {
                expected = Instant.parse(damaged);
            } catch (DateTimeException e) {
                assertThat(UtcInstants.parseCanonical(damaged, false))
                        .as(damaged)
                        .isNull();
                assertThatThrownBy(() -> UtcInstants.parse(damaged)).as(damaged).isInstanceOf(e.getClass());
                continue;
            }
            if (UtcInstants.parseCanonical(damaged, false) != null) {
                fastAccepted++;
            }
            assertThat(UtcInstants.parse(damaged)).as(damaged).isEqualTo(expected);
        }
        assertThat(fastAccepted).as("damaged text that is still canonical").isPositive();
    }

    /** With a space for the {@code T} (as some logs write it): the instant of the same text with a {@code T}. */
    @Test
    void readsASpaceForTheTOnlyWhenAsked() {
        Random random = new Random(5L);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = randomInstant(random);
            String spaced = instant.toString().replace('T', ' ');
            assertThat(UtcInstants.parseCanonical(spaced, true)).as(spaced).isEqualTo(instant);
            assertThat(UtcInstants.parseCanonical(spaced, false)).as(spaced).isNull();
        }
    }

    @Test
    void leavesEdgeCasesToInstantParse() {
        for (String text : new String[] {
            "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2026-04-31T00:00:00Z", "2026-12-31T23:59:60Z",
            "2026-12-31T24:00:00Z", "2026-11-27t07:47:31z", "+10000-01-01T00:00:00Z", "2026-11-27T07:47:31.Z",
            "2026-11-27T07:47:31+01:00", "2026-11-27T07:47:31.1234567890Z", "2026-13-01T00:00:00Z", ""
        }) {
            Object expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeException e) {
                expected = e.getClass();
            }
            Object actual;
            try {
                actual = UtcInstants.parse(text);
            } catch (DateTimeException e) {
                actual = e.getClass();
            }
            assertThat(actual).as(text).isEqualTo(expected);
        }
        assertThat(UtcInstants.parseCanonical("2024-02-29T12:00:00Z", false))
                .isEqualTo(Instant.parse("2024-02-29T12:00:00Z"));
        assertThat(UtcInstants.parseCanonical("2026-12-31T23:59:60Z", false)).isNull();
    }

    private static Instant randomInstant(Random random) {
        long second = FIRST + (long) (random.nextDouble() * (LAST - FIRST));
        int nano = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(second, nano);
    }
}
