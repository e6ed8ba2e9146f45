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
 * back-references, non-ASCII text) gives no literals at all. {@code null} means "no necessary literal known"; it is
 * never wrong to return it.
 *
 * <p>Case-insensitive regexes (the {@code i} modifier or a leading {@code (?i)}) give lower-cased literals, to be looked
 * for in lower-cased text. RE2 folds case by Unicode simple folding, which differs from {@code toLowerCase} only for a
 * few letters whose folding partners lie outside ASCII ({@code k} with the Kelvin sign, {@code s} with the long s): a
 * run is cut at those letters, so a literal never contains one.
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
        return of(regex, caseInsensitive, MIN_LENGTH);
    }

    /**
     * As {@link #of(String, boolean)} with literals as short as {@code minLength}: one rare character (a backtick, a
     * quote) is too weak for the candidate index but still a cheap way to skip most texts before running the regex.
     */
    static String[] of(String regex, boolean caseInsensitive, int minLength) {
        boolean ci = caseInsensitive || isInlineCaseInsensitive(regex);
        String body = isInlineCaseInsensitive(regex) ? regex.substring(4) : regex;
        if (body.contains("\\Q")) {
            return null;
        }
        try {
            String[] found = scan(body, ci, minLength);
            if (found != null && ci) {
                for (int i = 0; i < found.length; i++) {
                    found[i] = found[i].toLowerCase(java.util.Locale.ROOT);
                }
            }
            return found;
        } catch (RuntimeException e) {
            return null; // anything unexpected: no literals, never a wrong one
        }
    }

    /** Whether the regex starts with the inline flag {@code (?i)} and nothing else. */
    static boolean isInlineCaseInsensitive(String regex) {
        return regex.startsWith("(?i)");
    }

    private static String[] scan(String re, boolean caseInsensitive, int minLength) {
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
                        if (best.length() < minLength) {
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
                    if (caseInsensitive && "kKsS".indexOf(c) >= 0) {
                        best = cut(run, best, depth); // these fold to non-ASCII letters too
                    } else if (depth == 0) {
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
        if (best.length() < minLength) {
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
