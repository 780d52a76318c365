package dev.vigil.core.event;

import java.util.regex.Pattern;

/** An EC2 security group id. */
public record SecurityGroupId(String value) implements Comparable<SecurityGroupId> {
    private static final Pattern FORM = Pattern.compile("sg-[0-9a-zA-Z]{1,32}");

    public SecurityGroupId {
        Ids.require(value, FORM, "security group id");
    }

    public static SecurityGroupId of(String value) {
        return new SecurityGroupId(value);
    }

    /** Null when the value is null or blank, the id otherwise (invalid values still throw). */
    public static SecurityGroupId orNull(String value) {
        return value == null || value.isBlank() ? null : new SecurityGroupId(value);
    }

    @Override
    public int compareTo(SecurityGroupId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
