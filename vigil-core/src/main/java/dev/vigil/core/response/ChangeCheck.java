package dev.vigil.core.response;

/**
 * What a look-up in the account says of an action whose call was interrupted (the process stopped before the
 * service answered): its change is in place, not in place, or the look-up could not tell.
 */
public sealed interface ChangeCheck {
    /**
     * The change is there: the claim is completed with what the look-up saw, and {@code undo} (the plan's own, taken
     * before the first attempt, when it is complete; else empty) is recorded so that it can be undone.
     */
    record InPlace(String seen, java.util.Map<String, Object> undo) implements ChangeCheck {
        public InPlace {
            undo = undo == null ? java.util.Map.of() : undo;
        }

        public InPlace(String seen) {
            this(seen, java.util.Map.of());
        }
    }

    /** The change is not there: the action is applied again. */
    record NotInPlace(String seen) implements ChangeCheck {}

    /** The look-up failed or there is none for this action: held and reported, never assumed done. */
    record Unknown(String why) implements ChangeCheck {}
}
