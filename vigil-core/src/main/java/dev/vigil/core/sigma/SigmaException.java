package dev.vigil.core.sigma;

/**
 * A Sigma rule that cannot be loaded: a syntax error, or a construct this engine does not evaluate. The message names
 * file, line and construct; such a rule is rejected at load, never evaluated approximately.
 */
public final class SigmaException extends RuntimeException {
    private final String file;
    private final int line;
    private final String construct;

    public SigmaException(String file, int line, String construct, String reason) {
        super(file + ":" + line + ": " + construct + ": " + reason);
        this.file = file;
        this.line = line;
        this.construct = construct;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String construct() {
        return construct;
    }
}
