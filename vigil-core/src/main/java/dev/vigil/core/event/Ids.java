package dev.vigil.core.event;

import java.util.regex.Pattern;

/** Validation helpers shared by the id value types. */
final class Ids {
    private Ids() {}

    static String require(String value, Pattern pattern, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidIdException("not a valid " + what + ": " + (value == null ? "null" : "'" + abbreviate(value) + "'"));
        }
        return value;
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
