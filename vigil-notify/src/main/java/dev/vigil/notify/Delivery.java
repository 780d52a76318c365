package dev.vigil.notify;

/**
 * What became of one delivery to one target: sent or not, and one line saying why. The detail never holds a secret
 * (webhook URL, header value, password): notifiers build it from status codes and exception class names only.
 */
public record Delivery(boolean ok, String detail, int attempts) {
    static Delivery sent(String detail, int attempts) {
        return new Delivery(true, detail, attempts);
    }

    static Delivery failed(String detail, int attempts) {
        return new Delivery(false, Escape.oneLine(detail), attempts);
    }
}
