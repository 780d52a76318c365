package dev.vigil.core.event;

/** An identifier in an event did not have the form its type requires. */
public final class InvalidIdException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidIdException(String message) {
        super(message);
    }
}
