package dev.vigil.core.store;

import java.time.Instant;

/**
 * Events a live runtime has handled, by key (the event's id, or a digest of a log line), so that a message delivered
 * again after a crash does its work once. Entries older than a retention (a day by default) may be forgotten.
 */
public interface ProcessedEvents {
    /** True when this is the first time the key is seen (and remembers it); false when already processed. */
    boolean markFirst(String key, Instant eventTime);
}
