package dev.vigil.core.event;

import java.util.regex.Pattern;

/** An AWS region name; unknown and anonymised regions are accepted if they have the usual form. */
public record Region(String value) implements Comparable<Region> {
    private static final Pattern FORM = Pattern.compile("[a-z]{2}(-[a-z0-9]+){1,4}");

    public Region {
        Ids.require(value, FORM, "region");
    }

    public static Region of(String value) {
        return new Region(value);
    }

    /** Null when the value is null or blank, the id otherwise (invalid values still throw). */
    public static Region orNull(String value) {
        return value == null || value.isBlank() ? null : new Region(value);
    }

    @Override
    public int compareTo(Region other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
