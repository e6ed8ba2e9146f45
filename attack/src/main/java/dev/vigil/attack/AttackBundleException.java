package dev.vigil.attack;

/** The input given as an ATT&CK bundle is not a STIX bundle at all (single bad objects are reported, not thrown). */
public final class AttackBundleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AttackBundleException(String message) {
        super(message);
    }
}
