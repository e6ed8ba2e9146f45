package dev.vigil.sigma;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Necessary literals of a regular expression, for the candidate index and as a cheap pre-check: a set of ASCII strings
 * of which at least one occurs (exactly, with its case) in every text the regex finds a match in.
 *
 * <p>Deliberately conservative: only literal characters outside groups and classes count, a literal run is cut at
 * anything that is not a plain character, a quantified character is dropped from its run, each top-level alternative
 * contributes its longest run, and any construct not understood (inline flags, {@code \Q}, {@code \x}, {@code \p},
 * back-references, non-ASCII text) gives no literals at all. Case-insensitive regexes give none either (RE2's case
 * folding is not {@code toLowerCase}). {@code null} means "no necessary literal known"; it is never wrong to return it.
 */
final class RegexLiterals {
    /** Shorter literals would hit by chance on most texts and save nothing. */
    static final int MIN_LENGTH = 3;

    private RegexLiterals() {}

    /**
     * One necessary literal per top-level alternative of {@code regex} (case kept), or {@code null}.
     *
     * @param caseInsensitive whether the regex is compiled with the case-insensitive flag
     */
    static String[] of(String regex, boolean caseInsensitive) {
        if (caseInsensitive || regex.contains("\\Q")) {
            return null;
        }
        try {
            return scan(regex);
        } catch (RuntimeException e) {
            return null; // anything unexpected: no literals, never a wrong one
        }
    }

    private static String[] scan(String re) {
        Set<String> out = new LinkedHashSet<>();
        StringBuilder run = new StringBuilder();
        String best = "";
        int depth = 0;
        int n = re.length();
        int i = 0;
        while (i < n) {
            char c = re.charAt(i);
            if (c > 0x7e || c < 0x20) {
                return null;
            }
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= n) {
                        return null;
                    }
                    char e = re.charAt(i + 1);
                    if (Character.isLetterOrDigit(e)) {
                        if ("dDwWsSbBAzntrfv".indexOf(e) < 0) {
                            return null; // \x, \p, \Q, \1, \C ... : not understood
                        }
                        best = cut(run, best, depth);
                    } else if (e > 0x7e || e < 0x20) {
                        return null;
                    } else if (depth == 0) {
                        run.append(e);
                    }
                    i += 2;
                    continue;
                }
                case '[' -> {
                    best = cut(run, best, depth);
                    i = skipClass(re, i);
                    if (i < 0) {
                        return null;
                    }
                    continue;
                }
                case '(' -> {
                    if (i + 1 < n && re.charAt(i + 1) == '?' && (i + 2 >= n || re.charAt(i + 2) != ':')) {
                        return null; // inline flags or named groups
                    }
                    best = cut(run, best, depth);
                    depth++;
                }
                case ')' -> {
                    best = cut(run, best, depth);
                    depth--;
                    if (depth < 0) {
                        return null;
                    }
                }
                case '|' -> {
                    if (depth == 0) {
                        best = cut(run, best, depth);
                        if (best.length() < MIN_LENGTH) {
                            return null;
                        }
                        out.add(best);
                        best = "";
                    }
                }
                case '*', '?', '+' -> {
                    dropLast(run);
                    best = cut(run, best, depth);
                }
                case '{' -> {
                    int end = quantifierEnd(re, i);
                    dropLast(run);
                    best = cut(run, best, depth);
                    if (end > 0) {
                        i = end;
                        continue;
                    }
                }
                case '.', '^', '$', '}', ']' -> best = cut(run, best, depth);
                default -> {
                    if (depth == 0) {
                        run.append(c);
                    }
                }
            }
            i++;
        }
        if (depth != 0) {
            return null;
        }
        best = cut(run, best, depth);
        if (best.length() < MIN_LENGTH) {
            return null;
        }
        out.add(best);
        return out.toArray(new String[0]);
    }

    /** Ends the current run; returns the longer of it and {@code best}. */
    private static String cut(StringBuilder run, String best, int depth) {
        String r = run.toString();
        run.setLength(0);
        return depth == 0 && r.length() > best.length() ? r : best;
    }

    private static void dropLast(StringBuilder run) {
        if (!run.isEmpty()) {
            run.setLength(run.length() - 1);
        }
    }

    /** The index after a {@code {n}}, {@code {n,}} or {@code {n,m}} quantifier at {@code at}, or -1 if it is none. */
    private static int quantifierEnd(String re, int at) {
        int i = at + 1;
        int digits = 0;
        while (i < re.length() && Character.isDigit(re.charAt(i))) {
            i++;
            digits++;
        }
        if (digits == 0) {
            return -1;
        }
        if (i < re.length() && re.charAt(i) == ',') {
            i++;
            while (i < re.length() && Character.isDigit(re.charAt(i))) {
                i++;
            }
        }
        return i < re.length() && re.charAt(i) == '}' ? i + 1 : -1;
    }

    /** The index after the character class opening at {@code at}, or -1 when it does not close. */
    private static int skipClass(String re, int at) {
        int i = at + 1;
        int n = re.length();
        if (i < n && re.charAt(i) == '^') {
            i++;
        }
        if (i < n && re.charAt(i) == ']') {
            i++;
        }
        while (i < n) {
            char c = re.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '[' && i + 1 < n && re.charAt(i + 1) == ':') {
                int close = re.indexOf(":]", i + 2);
                if (close < 0) {
                    return -1;
                }
                i = close + 2;
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return -1;
    }
}
