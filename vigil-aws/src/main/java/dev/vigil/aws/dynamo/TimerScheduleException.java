package dev.vigil.aws.dynamo;

/** An EventBridge Scheduler call that failed; the message names the call, the schedule and AWS's error code. */
public final class TimerScheduleException extends RuntimeException {
    TimerScheduleException(String message, Throwable cause) {
        super(message, cause);
    }
}
