package dev.vigil.store;

/** The store could not be read or written: one line naming the file and what went wrong. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
