package dev.vigil.formats.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantTextTest {
    @Test
    void formatsAsInstantToStringDoes() {
        InstantText text = new InstantText();
        for (String s : new String[] {
            "2003-10-11T22:14:15.003Z",
            "2003-10-11T22:14:15Z",
            "2003-10-11T22:14:15.000100Z",
            "2003-10-11T22:14:15.000000001Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.5Z",
            "2024-02-29T12:00:00Z"
        }) {
            Instant i = Instant.parse(s);
            assertThat(text.format(i)).isEqualTo(i.toString());
        }
        // Outside four-digit years Instant.toString writes a sign or more digits.
        for (Instant i : new Instant[] {Instant.MIN, Instant.MAX, Instant.parse("-0001-12-31T23:59:59Z")}) {
            assertThat(text.format(i)).isEqualTo(i.toString());
        }
    }

    /** Seeded random instants, in runs within one second and one day (the caches) and jumps between them. */
    @Test
    void agreesWithInstantToStringOnRandomInstants() {
        Random r = new Random(20261126);
        InstantText text = new InstantText();
        long second = 1_700_000_000L;
        for (int k = 0; k < 200_000; k++) {
            switch (r.nextInt(6)) {
                case 0 -> second = r.nextLong(-70_000_000_000L, 260_000_000_000L);
                case 1 -> second += r.nextInt(86_400 * 3);
                case 2 -> second -= r.nextInt(5);
                case 3 -> second++;
                default -> {
                    // same second
                }
            }
            int nanos = switch (r.nextInt(5)) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            Instant i = Instant.ofEpochSecond(second, nanos);
            assertThat(text.format(i)).as("%s", i).isEqualTo(i.toString());
        }
    }
}
