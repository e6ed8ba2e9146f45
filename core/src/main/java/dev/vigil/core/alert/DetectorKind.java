package dev.vigil.core.alert;

/** Which kind of detector raised an alert. */
public enum DetectorKind {
    /** A Sigma detection rule over single events. */
    SIGMA,
    /** A Sigma correlation rule (event count, value count, temporal) over several events. */
    CORRELATION,
    /** A match against a threat-intelligence indicator. */
    INTEL,
    /** A behavioural anomaly (user and entity behaviour analytics). */
    ANOMALY,
    /** A network detector (flow or protocol analysis). */
    NETWORK
}
