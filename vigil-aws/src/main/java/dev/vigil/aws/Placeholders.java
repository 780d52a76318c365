package dev.vigil.aws;

/**
 * Values the scenarios write where an id is known only at execution: {@code (created)} for the id an earlier
 * Create step returns, {@code (association of subnet-..., looked up at execution)}, {@code (isolation-group not set)}.
 * A placeholder that is still there when a call is built stops the call.
 */
final class Placeholders {
    static final String CREATED = "(created)";
    static final String ASSOCIATION_PREFIX = "(association of ";

    private Placeholders() {}

    static boolean isPlaceholder(String s) {
        return s != null && s.startsWith("(") && s.endsWith(")");
    }
}
