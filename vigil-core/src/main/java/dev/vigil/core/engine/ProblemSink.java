package dev.vigil.core.engine;

/** One-line problems (bad input, a rule that threw): reported, counted, never fatal to the run. */
@FunctionalInterface
public interface ProblemSink {
    /** @param where file:line, "policy X" or similar; never null */
    void problem(String where, String message);
}
