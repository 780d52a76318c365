package dev.vigil.decode;

/** A decoding problem in one record: reported with the record's position, and decoding goes on. */
final class Shape extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Shape(String message) {
        super(message, null, false, false);
    }
}
