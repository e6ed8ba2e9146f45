package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Sigma string value: literal text with the wildcards {@code *} (any run of characters) and {@code ?} (one
 * character). Parsing applies the specification's escapes: {@code \*} and {@code \?} are literal wildcard characters,
 * {@code \\} is one backslash, and a backslash before anything else is itself.
 *
 * <p>Stored as a token list where {@link #STAR} and {@link #ONE} are the wildcards and every other element is a
 * non-empty literal {@code String}; adjacent literals are merged and runs of stars collapsed.
 */
final class Glob {
    static final Object STAR = new Object() {
        @Override
        public String toString() {
            return "*";
        }
    };
    static final Object ONE = new Object() {
        @Override
        public String toString() {
            return "?";
        }
    };

    private final List<Object> tokens;

    private Glob(List<Object> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    static Glob parse(String raw) {
        Builder b = new Builder();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\') {
                char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
                if (next == '*' || next == '?' || next == '\\') {
                    lit.append(next);
                    i++;
                } else {
                    lit.append('\\');
                }
            } else if (c == '*' || c == '?') {
                b.literal(lit);
                b.wildcard(c == '*' ? STAR : ONE);
            } else {
                lit.append(c);
            }
        }
        b.literal(lit);
        return b.build();
    }

    static Glob literal(String text) {
        Builder b = new Builder();
        b.literal(new StringBuilder(text));
        return b.build();
    }

    List<Object> tokens() {
        return tokens;
    }

    boolean hasWildcards() {
        for (Object t : tokens) {
            if (t == STAR || t == ONE) {
                return true;
            }
        }
        return false;
    }

    /** The text when this glob has no wildcards, else {@code null}. */
    String plainText() {
        if (hasWildcards()) {
            return null;
        }
        return tokens.isEmpty() ? "" : (String) tokens.get(0);
    }

    Glob withLeadingStar() {
        if (!tokens.isEmpty() && tokens.get(0) == STAR) {
            return this;
        }
        List<Object> t = new ArrayList<>(tokens.size() + 1);
        t.add(STAR);
        t.addAll(tokens);
        return new Glob(t);
    }

    Glob withTrailingStar() {
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1) == STAR) {
            return this;
        }
        List<Object> t = new ArrayList<>(tokens);
        t.add(STAR);
        return new Glob(t);
    }

    Glob lowerCase() {
        List<Object> t = new ArrayList<>(tokens.size());
        for (Object o : tokens) {
            t.add(o instanceof String s ? s.toLowerCase(Locale.ROOT) : o);
        }
        return new Glob(t);
    }

    /** Maps each literal token, keeping wildcards. */
    Glob mapLiterals(java.util.function.UnaryOperator<String> f) {
        Builder b = new Builder();
        for (Object o : tokens) {
            if (o instanceof String s) {
                b.literal(new StringBuilder(f.apply(s)));
            } else {
                b.wildcard(o);
            }
        }
        return b.build();
    }

    /** The longest literal token, or "" when there is none. */
    String longestLiteral() {
        String best = "";
        for (Object o : tokens) {
            if (o instanceof String s && s.length() > best.length()) {
                best = s;
            }
        }
        return best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob g && g.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** The value re-escaped in Sigma syntax. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Object o : tokens) {
            if (o instanceof String s) {
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '*' || c == '?' || c == '\\') {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            } else {
                sb.append(o);
            }
        }
        return sb.toString();
    }

    static final class Builder {
        private final List<Object> tokens = new ArrayList<>();

        void literal(StringBuilder lit) {
            if (lit.isEmpty()) {
                return;
            }
            if (!tokens.isEmpty() && tokens.get(tokens.size() - 1) instanceof String prev) {
                tokens.set(tokens.size() - 1, prev + lit);
            } else {
                tokens.add(lit.toString());
            }
            lit.setLength(0);
        }

        void wildcard(Object w) {
            if (w == STAR && !tokens.isEmpty() && tokens.get(tokens.size() - 1) == STAR) {
                return;
            }
            tokens.add(w);
        }

        Glob build() {
            return new Glob(tokens);
        }
    }
}
