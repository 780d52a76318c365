package dev.vigil.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * EventBridge events, one per invocation (EC2 state changes, GuardDuty findings): {@code {"version":"0","id":..,"detail-type":..}}.
 * Input that holds no readable event is kept in the store as rejected; the answer is the invocation's summary.
 */
public final class EventsHandler implements RequestStreamHandler {
    private final Invocations invocations;

    /** Lambda's: wired from the environment, once per cold start. */
    public EventsHandler() {
        this(Handlers.wire());
    }

    EventsHandler(Invocations invocations) {
        this.invocations = invocations;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocations.write(output, invocations.single("events", "eventbridge", Invocations.requestId(context), input.readAllBytes()));
    }
}
