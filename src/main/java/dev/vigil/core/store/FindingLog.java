package dev.vigil.core.store;

import dev.vigil.core.finding.Finding;
import java.util.List;
import java.util.Optional;

/**
 * Findings and the actions taken for them, as a live runtime keeps them. Saving is idempotent by
 * {@link Finding#id()}: a finding made again from a redelivered message is kept once.
 */
public interface FindingLog {
    void save(Finding finding);

    /** The newest findings first, at most {@code limit}. */
    List<Finding> recent(int limit);

    Optional<Finding> find(String findingId);
}
