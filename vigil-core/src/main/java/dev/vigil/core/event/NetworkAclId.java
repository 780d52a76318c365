package dev.vigil.core.event;

import java.util.regex.Pattern;

/** A network ACL id. */
public record NetworkAclId(String value) implements Comparable<NetworkAclId> {
    private static final Pattern FORM = Pattern.compile("acl-[0-9a-zA-Z]{1,32}");

    public NetworkAclId {
        Ids.require(value, FORM, "network ACL id");
    }

    public static NetworkAclId of(String value) {
        return new NetworkAclId(value);
    }

    /** Null when the value is null or blank, the id otherwise (invalid values still throw). */
    public static NetworkAclId orNull(String value) {
        return value == null || value.isBlank() ? null : new NetworkAclId(value);
    }

    @Override
    public int compareTo(NetworkAclId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
