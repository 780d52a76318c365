package dev.vigil.deploy;

import java.time.Duration;

/**
 * The three times a deployment must keep in order, derived from one setting (the policy's
 * {@code live.function-timeout}): the functions' timeout; the queue's visibility timeout, 6 times that (Lambda's
 * guidance for SQS event sources, so a message is not delivered again while a batch is still being worked on); and
 * the claim lease of the DynamoDB store, the longest: the visibility timeout plus twice the function timeout, so a
 * claim outlives the attempt that made it, the redelivery after it times out, and that redelivery's own attempt.
 * Only a claim whose holder is certainly gone (Lambda stopped it at its timeout) is ever read as interrupted.
 */
public record Timeouts(Duration function) {
    /** Lambda's own bounds for a function's timeout. */
    public static final Duration MIN = Duration.ofSeconds(3);
    public static final Duration MAX = Duration.ofMinutes(15);
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(60));

    public Timeouts {
        if (function.compareTo(MIN) < 0 || function.compareTo(MAX) > 0 || function.toMillisPart() != 0) {
            throw new IllegalArgumentException("function timeout must be whole seconds between " + MIN.toSeconds() + " s and " + MAX.toSeconds() + " s: " + function);
        }
    }

    /** The queue's visibility timeout: 6 x the function timeout. */
    public Duration visibility() {
        return function.multipliedBy(6);
    }

    /** The claim lease: visibility timeout + 2 x function timeout (8 x the function timeout), longer than any redelivery. */
    public Duration lease() {
        return visibility().plus(function.multipliedBy(2));
    }
}
