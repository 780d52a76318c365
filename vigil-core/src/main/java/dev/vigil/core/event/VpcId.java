package dev.vigil.core.event;

import java.util.regex.Pattern;

/** A VPC id. */
public record VpcId(String value) implements Comparable<VpcId> {
    private static final Pattern FORM = Pattern.compile("vpc-[0-9a-zA-Z]{1,32}");

    public VpcId {
        Ids.require(value, FORM, "VPC id");
    }

    public static VpcId of(String value) {
        return new VpcId(value);
    }

    /** Null when the value is null or blank, the id otherwise (invalid values still throw). */
    public static VpcId orNull(String value) {
        return value == null || value.isBlank() ? null : new VpcId(value);
    }

    @Override
    public int compareTo(VpcId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
