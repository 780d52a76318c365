package dev.vigil.scenario.bastion;

import java.time.Duration;
import java.time.Instant;

/**
 * When a run of an instance began, and how vigil knows it.
 *
 * @param source {@link #RUN_INSTANCES}, {@link #INVENTORY} or {@link #EVENT_TIME}
 */
record Launch(Instant time, String source) {
    static final String RUN_INSTANCES = "RunInstances (CloudTrail)";
    static final String INVENTORY = "inventory (DescribeInstances)";
    static final String EVENT_TIME = "time of the running state-change (launch time unknown)";

    /**
     * How long before a running notification the launch may lie to be this run's: an instance is pending for seconds
     * to a few minutes. An older launch time is a previous run's (stopped and started since), a later one a later run's
     * (an inventory taken after the events).
     */
    static final Duration PENDING_WINDOW = Duration.ofMinutes(15);
    /** Clock skew between the EC2 API and the notification. */
    static final Duration SKEW = Duration.ofMinutes(1);

    /** True when {@code t} can be the launch of a run that reached running at {@code running}. */
    static boolean fits(Instant t, Instant running) {
        return t != null && !t.isBefore(running.minus(PENDING_WINDOW)) && !t.isAfter(running.plus(SKEW));
    }
}
