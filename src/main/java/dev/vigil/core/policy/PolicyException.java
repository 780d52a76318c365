package dev.vigil.core.policy;

/** A policy file error; the message is one line naming file, line, key path and what was expected. */
public final class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PolicyException(PolicyNode at, String message) {
        super(at.where() + ": " + (at.path().isEmpty() ? "" : at.path() + ": ") + message);
    }

    public PolicyException(String message) {
        super(message);
    }
}
