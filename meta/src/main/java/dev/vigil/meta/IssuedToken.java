package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

/**
 * A token just created: {@link #token()} is the secret to hand to its user, shown this once (only its hash is kept).
 */
public record IssuedToken(String token, TokenInfo info) {
    public IssuedToken {
        requireNonNull(token, "token");
        requireNonNull(info, "info");
    }

    /** Leaves the secret out, so logging an issued token cannot leak it. */
    @Override
    public String toString() {
        return "IssuedToken[" + info + "]";
    }
}
