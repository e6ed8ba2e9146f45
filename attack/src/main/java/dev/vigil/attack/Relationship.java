package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

/**
 * A STIX relationship between two active objects of the knowledge base, e.g. a group {@code uses} a technique, a
 * mitigation {@code mitigates} one, a sub-technique is {@code subtechnique-of} its parent.
 *
 * @param type the relationship type ({@code uses}, {@code mitigates}, {@code subtechnique-of}, {@code detects},
 *     {@code attributed-to} …)
 * @param sourceRef the STIX id of the source object
 * @param targetRef the STIX id of the target object
 */
public record Relationship(String type, String sourceRef, String targetRef) {
    public Relationship {
        requireNonNull(type, "type");
        requireNonNull(sourceRef, "sourceRef");
        requireNonNull(targetRef, "targetRef");
    }
}
