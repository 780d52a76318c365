package dev.vigil.scenario.audit;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Small value helpers for findings. */
final class Sources {
    // CloudTrail's sourceIPAddress is an address, or a service name ("autoscaling.amazonaws.com") when AWS called.
    private static final Pattern ADDRESS = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private Sources() {}

    /** The source address of a call, or null when the call came from an AWS service. */
    static String ip(String sourceIp) {
        return sourceIp != null && ADDRESS.matcher(sourceIp).matches() ? sourceIp : null;
    }

    /** The value, or null when building it throws (an invalid id carried in old timer data). */
    static <T> T orNull(Supplier<T> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A duration as policies write it: "10m", "1h30m", "45s". */
    static String human(Duration d) {
        StringBuilder b = new StringBuilder();
        if (d.toDays() > 0) b.append(d.toDays()).append('d');
        if (d.toHoursPart() > 0) b.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0) b.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0 || b.isEmpty()) b.append(d.toSecondsPart()).append('s');
        return b.toString();
    }
}
