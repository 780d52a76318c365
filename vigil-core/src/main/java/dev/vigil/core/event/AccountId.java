package dev.vigil.core.event;

import java.util.regex.Pattern;

/** A twelve-digit AWS account id. */
public record AccountId(String value) implements Comparable<AccountId> {
    private static final Pattern FORM = Pattern.compile("[0-9]{12}");

    public AccountId {
        Ids.require(value, FORM, "account id");
    }

    public static AccountId of(String value) {
        return new AccountId(value);
    }

    /** Null when the value is null or blank, the id otherwise (invalid values still throw). */
    public static AccountId orNull(String value) {
        return value == null || value.isBlank() ? null : new AccountId(value);
    }

    @Override
    public int compareTo(AccountId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
