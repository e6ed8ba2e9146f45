package dev.vigil.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (RFC 9106), stored in the PHC string format {@code
 * $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} (unpadded standard Base64), so the parameters travel with
 * each hash and can be raised later without invalidating stored ones.
 *
 * <p>The defaults are OWASP's first recommendation for Argon2id: 19 MiB of memory, 2 passes, 1 lane, a 16-byte random
 * salt and a 32-byte output; one hash costs some tens of milliseconds on a server core. Verification reads the
 * parameters from the stored string, with upper bounds so a tampered row cannot make a login allocate gigabytes.
 */
public final class Passwords {
    /** The parameters new hashes get. */
    public record Parameters(int memoryKiB, int iterations, int parallelism) {
        public static final Parameters DEFAULT = new Parameters(19 * 1024, 2, 1);

        public Parameters {
            if (memoryKiB < 8
                    || memoryKiB > MAX_MEMORY_KIB
                    || iterations < 1
                    || iterations > 16
                    || parallelism < 1
                    || parallelism > 16) {
                throw new IllegalArgumentException(
                        "unsupported Argon2 parameters m=" + memoryKiB + ", t=" + iterations + ", p=" + parallelism);
            }
        }
    }

    public static final int MIN_PASSWORD_CHARS = 12;
    public static final int MAX_PASSWORD_CHARS = 1024;
    private static final int MAX_MEMORY_KIB = 1024 * 1024;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{16,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();
    private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Parameters parameters;
    private final SecureRandom random = new SecureRandom();
    /** A hash of nothing anyone knows, verified against when the user is unknown. */
    private final String dummy;

    public Passwords(Parameters parameters) {
        this.parameters = java.util.Objects.requireNonNull(parameters, "parameters");
        this.dummy = hashUnchecked("not a password of anyone");
    }

    public Passwords() {
        this(Parameters.DEFAULT);
    }

    /** Hashes a password with a fresh salt into a PHC string. */
    public String hash(String password) {
        checkLength(password);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, parameters, HASH_BYTES);
        return "$argon2id$v=19$m=" + parameters.memoryKiB() + ",t=" + parameters.iterations() + ",p="
                + parameters.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether the password matches the stored PHC string; false (not an exception) for a malformed one. */
    public boolean verify(String password, String phc) {
        if (password == null || phc == null || password.length() > MAX_PASSWORD_CHARS) {
            return false;
        }
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return false;
        }
        Parameters p;
        try {
            p = new Parameters(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] salt = B64_DECODE.decode(m.group(4));
        byte[] expected = B64_DECODE.decode(m.group(5));
        byte[] actual = argon2(password, salt, p, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    /** Burns the time of one verification, so an unknown user name costs what a wrong password costs. */
    public void verifyNothing(String password) {
        verify(password == null ? "" : password, dummy);
    }

    private String hashUnchecked(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return "$argon2id$v=19$m=" + parameters.memoryKiB() + ",t=" + parameters.iterations() + ",p="
                + parameters.parallelism() + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(argon2(password, salt, parameters, HASH_BYTES));
    }

    /** A random password of 20 characters from an alphabet without look-alikes (about 116 bits). */
    public String generate() {
        StringBuilder out = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            out.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return out.toString();
    }

    /** Throws with a clear message unless the password is 12 to 1024 characters. */
    public static void checkLength(String password) {
        java.util.Objects.requireNonNull(password, "password");
        if (password.length() < MIN_PASSWORD_CHARS || password.length() > MAX_PASSWORD_CHARS) {
            throw new IllegalArgumentException("a password must be " + MIN_PASSWORD_CHARS + " to " + MAX_PASSWORD_CHARS
                    + " characters long, got " + password.length());
        }
    }

    private static byte[] argon2(String password, byte[] salt, Parameters p, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKiB())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
