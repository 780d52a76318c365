package dev.vigil.core.response;

/**
 * What a look-up in the account says of an action whose call was interrupted (the process stopped before the
 * service answered): its change is in place, not in place, or the look-up could not tell.
 */
public sealed interface ChangeCheck {
    /** The change is there: the claim is completed with what the look-up saw. */
    record InPlace(String seen) implements ChangeCheck {}

    /** The change is not there: the action is applied again. */
    record NotInPlace(String seen) implements ChangeCheck {}

    /** The look-up failed or there is none for this action: held and reported, never assumed done. */
    record Unknown(String why) implements ChangeCheck {}
}
