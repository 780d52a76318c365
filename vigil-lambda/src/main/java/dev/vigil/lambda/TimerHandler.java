package dev.vigil.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A timer's one-time schedule fired: EventBridge Scheduler invokes this function with the timer as its input,
 * {@code {"owner":..,"key":..,"due":..,"data":{..}}} ({@code dev.vigil.aws.dynamo.TimerInput}). The timer is handed
 * to the timer store and fired once through the engine; a repeated delivery does nothing.
 */
public final class TimerHandler implements RequestStreamHandler {
    private final Invocations invocations;

    /** Lambda's: wired from the environment, once per cold start. */
    public TimerHandler() {
        this(Handlers.wire());
    }

    TimerHandler(Invocations invocations) {
        this.invocations = invocations;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocations.write(output, invocations.timer(Invocations.requestId(context), input.readAllBytes()));
    }
}
