package dev.vigil.formats.syslog;

/**
 * Hands out one {@code String} for text that repeats from line to line (host names, program names), instead of a new
 * substring per line: a file names a few hosts and programs over and over, and the same instance saves the copy, and
 * its cached hash code makes the look-ups that follow (the program's log source) cheaper. A small direct-mapped table
 * (a slot per hash of length, first, middle and last character): a miss costs one substring, as before. Not
 * thread-safe: one per parser.
 */
final class RecentStrings {
    private static final int SLOTS = 64;
    private static final int LONGEST = 64;

    private final String[] slots = new String[SLOTS];

    /** {@code s.substring(from, to)}, or an equal string handed out before. */
    String get(String s, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > LONGEST) {
            return s.substring(from, to);
        }
        int h = ((n * 31 + s.charAt(from)) * 31 + s.charAt(from + n / 2)) * 31 + s.charAt(to - 1);
        int slot = (h ^ (h >>> 7)) & (SLOTS - 1);
        String seen = slots[slot];
        if (seen != null && seen.length() == n && s.regionMatches(from, seen, 0, n)) {
            return seen;
        }
        String fresh = s.substring(from, to);
        slots[slot] = fresh;
        return fresh;
    }
}
