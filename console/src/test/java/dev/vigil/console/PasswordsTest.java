package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordsTest {
    private final Passwords cheap = new Passwords(new Passwords.Parameters(1024, 1, 1));

    @Test
    void hashesAreSaltedPhcStringsThatVerifyOnlyTheirPassword() {
        String hash = cheap.hash("correct horse battery");
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(cheap.hash("correct horse battery"))
                .as("fresh salt each time")
                .isNotEqualTo(hash);
        assertThat(cheap.verify("correct horse battery", hash)).isTrue();
        assertThat(cheap.verify("correct horse batterY", hash)).isFalse();
        assertThat(cheap.verify("", hash)).isFalse();
        assertThat(new Passwords().verify("correct horse battery", hash))
                .as("parameters are read from the hash, not the verifier")
                .isTrue();
    }

    @Test
    void theDefaultParametersAreOwasps() {
        assertThat(new Passwords().hash("twelve chars!")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void malformedOrTamperedHashesNeverVerify() {
        String hash = cheap.hash("correct horse battery");
        assertThat(cheap.verify("correct horse battery", hash.replace("m=1024", "m=2048")))
                .isFalse();
        assertThat(cheap.verify("correct horse battery", hash.replace("m=1024", "m=9999999")))
                .as("a memory cost over the cap is refused before hashing")
                .isFalse();
        assertThat(cheap.verify("correct horse battery", hash.replace("argon2id", "argon2i")))
                .isFalse();
        assertThat(cheap.verify("correct horse battery", "")).isFalse();
        assertThat(cheap.verify("correct horse battery", null)).isFalse();
        assertThat(cheap.verify("x".repeat(Passwords.MAX_PASSWORD_CHARS + 1), hash))
                .isFalse();
    }

    @Test
    void passwordsMustBeTwelveToAThousandCharacters() {
        assertThatThrownBy(() -> cheap.hash("short")).hasMessageContaining("12 to 1024");
        assertThatThrownBy(() -> cheap.hash("x".repeat(1025))).hasMessageContaining("got 1025");
    }

    @Test
    void generatedPasswordsAreLongRandomAndUnambiguous() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String p = cheap.generate();
            assertThat(p).hasSize(20).doesNotContainAnyWhitespaces().matches("[a-km-zA-HJ-NP-Z2-9]+");
            seen.add(p);
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void randomPasswordsRoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            StringBuilder b = new StringBuilder();
            int n = 12 + random.nextInt(40);
            for (int j = 0; j < n; j++) {
                b.appendCodePoint(random.nextBoolean() ? 0x21 + random.nextInt(94) : 0x4E00 + random.nextInt(500));
            }
            String password = b.toString();
            String hash = cheap.hash(password);
            assertThat(cheap.verify(password, hash)).as(password).isTrue();
            String other = password.substring(1) + password.charAt(0);
            if (!other.equals(password)) {
                assertThat(cheap.verify(other, hash)).as(other).isFalse();
            }
        }
    }
}
