package dev.vigil.core.event;

import java.util.regex.Pattern;

/** An EC2 instance id such as i-0123456789abcdef0 (case kept: anonymised logs mix cases). */
public record InstanceId(String value) implements Comparable<InstanceId> {
    private static final Pattern FORM = Pattern.compile("i-[0-9a-zA-Z]{1,32}");

    public InstanceId {
        Ids.require(value, FORM, "instance id");
    }

    public static InstanceId of(String value) {
        return new InstanceId(value);
    }

    /** Null when the value is null or blank, the id otherwise (invalid values still throw). */
    public static InstanceId orNull(String value) {
        return value == null || value.isBlank() ? null : new InstanceId(value);
    }

    @Override
    public int compareTo(InstanceId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
