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

    private final java.util.List<String> all = new java.util.ArrayList<>();

    /** Several errors of one file: the message is the first (and how many more); {@link #errors()} has each. */
    public static PolicyException of(java.util.List<PolicyException> errors) {
        if (errors.size() == 1) return errors.get(0);
        PolicyException e = new PolicyException(errors.get(0).getMessage() + " (and " + (errors.size() - 1) + " more error"
                + (errors.size() > 2 ? "s" : "") + ": 'vigil policy validate' lists them)");
        for (PolicyException x : errors) e.all.addAll(x.errors());
        return e;
    }

    /** Every error, one line each (one, unless the file had several). */
    public java.util.List<String> errors() {
        return all.isEmpty() ? java.util.List.of(getMessage()) : java.util.List.copyOf(all);
    }
}
