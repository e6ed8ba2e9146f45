package dev.vigil.search;

/**
 * The query text is not valid search syntax. The message names the problem and its column, e.g. {@code expected ')'
 * at column 17}; {@link #position()} gives the same column for an editor to underline.
 */
public final class QuerySyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int position;

    public QuerySyntaxException(String message, int position) {
        super(message);
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative: " + position);
        }
        this.position = position;
    }

    /** The 0-based column (UTF-16 index into the query text) where the problem was found. */
    public int position() {
        return position;
    }
}
