package dev.vigil.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenFormatTest {
    @Test
    void randomIdsAndSecretsSurviveFormattingAndParsing() {
        long seed = 7243L;
        Random random = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            byte[] idBytes = new byte[TokenFormat.ID_BYTES];
            byte[] secret = new byte[TokenFormat.SECRET_BYTES];
            random.nextBytes(idBytes);
            random.nextBytes(secret);
            String id = TokenFormat.newTokenId(idBytes);
            String token = TokenFormat.format(id, secret);
            assertThat(token).as("seed %d, case %d", seed, i).hasSize(TokenFormat.TOKEN_CHARS);
            TokenFormat.Parsed parsed = TokenFormat.parse(token).orElseThrow();
            assertThat(parsed.tokenId()).isEqualTo(id);
            assertThat(parsed.secret()).isEqualTo(secret);
        }
    }

    @Test
    void onlyTheCanonicalSpellingOfATokenParses() {
        String token = TokenFormat.format("00112233aabbccdd", new byte[32]);
        assertThat(token).isEqualTo("vgl_00112233aabbccdd_" + "A".repeat(43));
        // 'B' in the last place sets one of the two spare bits: the same bytes, another spelling.
        String nonCanonical = token.substring(0, token.length() - 1) + "B";
        assertThat(Base64.getUrlDecoder().decode(nonCanonical.substring(21))).isEqualTo(new byte[32]);
        for (String bad : List.of(
                nonCanonical,
                token.replace("aabb", "AABB"),
                token.replace("00112233aabbccdd", "00112233aabbccdg"),
                token.substring(0, 20) + "-" + token.substring(21),
                token.substring(0, 30) + "+" + token.substring(31),
                token.substring(0, 30) + "=" + token.substring(31))) {
            assertThat(TokenFormat.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void secretsMayContainTheSeparatorWithoutConfusingTheParser() {
        byte[] secret = new byte[32];
        java.util.Arrays.fill(secret, (byte) 0xFF); // base64url of 0xFF... is '_' throughout
        String token = TokenFormat.format("ffffffffffffffff", secret);
        assertThat(token.substring(21)).contains("_");
        assertThat(TokenFormat.parse(token).orElseThrow().secret()).isEqualTo(secret);
    }

    @Test
    void hashesAreSha256AndACorruptStoredHashMatchesNothing() {
        byte[] abc = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(TokenFormat.hex(TokenFormat.sha256(abc)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(TokenFormat.storedHash("not hex")).hasSize(32);
        assertThat(TokenFormat.storedHash("abcd")).isEqualTo(new byte[32]);
        assertThat(TokenFormat.storedHash(HexFormat.of().formatHex(TokenFormat.sha256(abc))))
                .isEqualTo(TokenFormat.sha256(abc));
    }
}
