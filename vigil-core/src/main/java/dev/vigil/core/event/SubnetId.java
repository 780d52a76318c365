package dev.vigil.core.event;

import java.util.regex.Pattern;

/** A VPC subnet id. */
public record SubnetId(String value) implements Comparable<SubnetId> {
    private static final Pattern FORM = Pattern.compile("subnet-[0-9a-zA-Z]{1,32}");

    public SubnetId {
        Ids.require(value, FORM, "subnet id");
    }

    public static SubnetId of(String value) {
        return new SubnetId(value);
    }

    /** Null when the value is null or blank, the id otherwise (invalid values still throw). */
    public static SubnetId orNull(String value) {
        return value == null || value.isBlank() ? null : new SubnetId(value);
    }

    @Override
    public int compareTo(SubnetId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
