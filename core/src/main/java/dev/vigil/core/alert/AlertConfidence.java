package dev.vigil.core.alert;

import java.util.Locale;

/**
 * How much an alert is to be believed, 0 to 100 (100: certainly what it says). Used as a multiplier of risk when alerts
 * are grouped into incidents.
 *
 * <p>For Sigma rules, the rule's {@code status} says how well tested it is and its {@code level} how specific its
 * authors judged it (SigmaHQ reserves high and critical for rules with few false positives):
 *
 * <table>
 *   <caption>Sigma confidence</caption>
 *   <tr><th>status</th><th>base</th><th>level</th><th>adjustment</th></tr>
 *   <tr><td>stable</td><td>80</td><td>critical</td><td>+15</td></tr>
 *   <tr><td>test</td><td>65</td><td>high</td><td>+10</td></tr>
 *   <tr><td>experimental, missing or unknown</td><td>50</td><td>medium</td><td>0</td></tr>
 *   <tr><td>deprecated, unsupported</td><td>30</td><td>low</td><td>−10</td></tr>
 *   <tr><td></td><td></td><td>informational</td><td>−20</td></tr>
 * </table>
 *
 * The sum is clamped to 5..100. Indicator matches take the indicator's own confidence ({@link #clamp}).
 */
public final class AlertConfidence {
    public static final int MIN = 0;
    public static final int MAX = 100;

    private AlertConfidence() {}

    public static int sigma(String status, String level) {
        int base = switch (status == null ? "" : status.strip().toLowerCase(Locale.ROOT)) {
            case "stable" -> 80;
            case "test" -> 65;
            case "deprecated", "unsupported" -> 30;
            default -> 50;
        };
        int adjustment = switch (level == null ? "" : level.strip().toLowerCase(Locale.ROOT)) {
            case "critical" -> 15;
            case "high" -> 10;
            case "low" -> -10;
            case "informational" -> -20;
            default -> 0;
        };
        return Math.max(5, Math.min(MAX, base + adjustment));
    }

    /** A confidence from another scale clamped to 0..100 (an indicator's STIX confidence is already 0..100). */
    public static int clamp(int confidence) {
        return Math.max(MIN, Math.min(MAX, confidence));
    }
}
