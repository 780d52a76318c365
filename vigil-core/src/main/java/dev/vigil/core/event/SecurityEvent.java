package dev.vigil.core.event;

import java.time.Instant;
import java.util.List;

/**
 * A normalized event. Decoders turn every input format into one of these records; rules see nothing else.
 * {@link #account()} and {@link #region()} may be null when the input does not say.
 */
public sealed interface SecurityEvent
        permits CloudTrailCall, InstanceStateChange, GuardDutyFinding, SshLogLine, ScheduledTick, GenericEvent {

    /** The event's own id (EventBridge id, CloudTrail eventID, finding id), or one derived from its origin. */
    String id();

    Instant time();

    AccountId account();

    Region region();

    Origin origin();

    /** A short stable name of the event's type, as printed by {@code vigil events}. */
    String kind();

    /** The resource ids this event concerns, for output and debugging. */
    List<String> resourceIds();
}
