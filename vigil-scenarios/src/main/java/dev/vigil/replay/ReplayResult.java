package dev.vigil.replay;

import dev.vigil.output.RunSummary;

/** What a replay did; {@code exitCode} follows the output contract (0 done, 1 finding at or above --fail-on, 2 bad input under --strict). */
public record ReplayResult(RunSummary summary, boolean failOnHit, long inputErrors, int exitCode) {}
