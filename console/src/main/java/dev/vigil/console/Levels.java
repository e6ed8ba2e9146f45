package dev.vigil.console;

import dev.vigil.core.alert.Severity;
import java.util.ArrayList;
import java.util.List;

/** The five alert severities as the pages show and filter them (Sigma's words, least severe first). */
public final class Levels {
    /** {@code informational} to {@code critical}. */
    public static final List<String> LEVELS = names();

    private Levels() {}

    /** 0 for informational up to 4 for critical; an unknown word is refused with the list of known ones. */
    public static int rank(String level) {
        return Severity.fromSigmaLevel(level).ordinal();
    }

    private static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Severity s : Severity.values()) {
            out.add(s.sigmaLevel());
        }
        return List.copyOf(out);
    }
}
