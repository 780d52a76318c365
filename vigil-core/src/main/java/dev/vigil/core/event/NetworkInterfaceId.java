package dev.vigil.core.event;

import java.util.regex.Pattern;

/** An elastic network interface id. */
public record NetworkInterfaceId(String value) implements Comparable<NetworkInterfaceId> {
    private static final Pattern FORM = Pattern.compile("eni-[0-9a-zA-Z]{1,32}");

    public NetworkInterfaceId {
        Ids.require(value, FORM, "network interface id");
    }

    public static NetworkInterfaceId of(String value) {
        return new NetworkInterfaceId(value);
    }

    /** Null when the value is null or blank, the id otherwise (invalid values still throw). */
    public static NetworkInterfaceId orNull(String value) {
        return value == null || value.isBlank() ? null : new NetworkInterfaceId(value);
    }

    @Override
    public int compareTo(NetworkInterfaceId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
