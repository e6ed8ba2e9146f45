package dev.vigil.core.alert;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ATT&amp;CK tactics and techniques of Sigma tags: {@code attack.execution} and {@code attack.ta0002} name a tactic,
 * {@code attack.t1059.001} a technique (written {@code T1059.001}). Other tags ({@code attack.g0007} groups, {@code
 * attack.s0002} software, {@code cve.*}, {@code detection.*}) are ignored.
 *
 * @param tactics in kill-chain order, without duplicates
 * @param techniques upper-case ids in the order first seen, without duplicates
 */
public record AttackTags(List<AttackTactic> tactics, List<String> techniques) {
    private static final Pattern TECHNIQUE = Pattern.compile("t(\\d{4})(?:\\.(\\d{3}))?");

    public AttackTags {
        tactics = List.copyOf(tactics);
        techniques = List.copyOf(techniques);
    }

    public static AttackTags parse(List<String> tags) {
        Set<AttackTactic> tactics = EnumSet.noneOf(AttackTactic.class);
        Set<String> techniques = new LinkedHashSet<>();
        for (String tag : tags) {
            if (tag == null) {
                continue;
            }
            String t = tag.strip().toLowerCase(Locale.ROOT);
            if (!t.startsWith("attack.")) {
                continue;
            }
            String rest = t.substring("attack.".length());
            Matcher m = TECHNIQUE.matcher(rest);
            if (m.matches()) {
                techniques.add("T" + m.group(1) + (m.group(2) == null ? "" : "." + m.group(2)));
            } else {
                AttackTactic.parse(rest).ifPresent(tactics::add);
            }
        }
        return new AttackTags(new ArrayList<>(tactics), new ArrayList<>(techniques));
    }
}
