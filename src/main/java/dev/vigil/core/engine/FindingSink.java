package dev.vigil.core.engine;

import dev.vigil.core.finding.Finding;

/** Where findings go: the JSON Lines or text writer, the store, notification delivery. */
@FunctionalInterface
public interface FindingSink {
    void accept(Finding finding);
}
