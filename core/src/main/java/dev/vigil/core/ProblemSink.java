package dev.vigil.core;

/** Receives the problems a reader or loader meets; nothing is skipped without passing through one. */
@FunctionalInterface
public interface ProblemSink {
    void report(Problem problem);
}
