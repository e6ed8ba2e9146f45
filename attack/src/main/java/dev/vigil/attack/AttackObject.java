package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An active ATT&CK object other than a tactic or technique: a group, a piece of software, a mitigation, a data
 * source or component, a campaign or a detection strategy.
 *
 * @param stixId the STIX id
 * @param kind what it is
 * @param attackId the ATT&CK id ({@code G0016}, {@code S0002}, {@code M1042}, {@code DC0001}, {@code C0001}, {@code DET0001}), or an
 *     empty string for objects that have none
 * @param name the display name
 * @param aliases other names it is known by (groups and software), without the name itself
 * @param url its page on the ATT&CK site, or an empty string
 */
public record AttackObject(String stixId, Kind kind, String attackId, String name, List<String> aliases, String url) {
    public AttackObject {
        requireNonNull(stixId, "stixId");
        requireNonNull(kind, "kind");
        requireNonNull(attackId, "attackId");
        requireNonNull(name, "name");
        aliases = List.copyOf(aliases);
        requireNonNull(url, "url");
    }

    /** The kinds of {@link AttackObject}, with the STIX type each is read from. */
    public enum Kind {
        GROUP("intrusion-set"),
        MALWARE("malware"),
        TOOL("tool"),
        MITIGATION("course-of-action"),
        DATA_SOURCE("x-mitre-data-source"),
        DATA_COMPONENT("x-mitre-data-component"),
        CAMPAIGN("campaign"),
        DETECTION_STRATEGY("x-mitre-detection-strategy");

        private final String stixType;

        Kind(String stixType) {
            this.stixType = stixType;
        }

        public String stixType() {
            return stixType;
        }

        /** Malware and tools are both ATT&CK "software" ({@code S} ids). */
        public boolean isSoftware() {
            return this == MALWARE || this == TOOL;
        }
    }
}
