package dev.vigil.notify;

import dev.vigil.core.finding.Finding;
import java.time.Instant;
import java.util.Objects;

/**
 * One notification: the finding, and how many findings of the same rule on the same resource were grouped (counted,
 * not sent) since the previous notification for them, which started at {@code groupedSince} (null when none).
 */
public record Notice(Finding finding, int groupedBefore, Instant groupedSince) {
    public Notice {
        Objects.requireNonNull(finding, "finding");
        if (groupedBefore < 0) throw new IllegalArgumentException("groupedBefore < 0");
    }

    public static Notice of(Finding f) {
        return new Notice(f, 0, null);
    }
}
