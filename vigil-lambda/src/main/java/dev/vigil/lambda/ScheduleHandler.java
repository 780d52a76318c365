package dev.vigil.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The daily schedule (EventBridge Scheduler, cron in the policy's zone; its default payload, a "Scheduled Event"):
 * bastion-watch's daily report and count check ({@link DailyReports}).
 */
public final class ScheduleHandler implements RequestStreamHandler {
    private final Invocations invocations;

    /** Lambda's: wired from the environment, once per cold start. */
    public ScheduleHandler() {
        this(Handlers.wire());
    }

    ScheduleHandler(Invocations invocations) {
        this.invocations = invocations;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocations.write(output, invocations.schedule(Invocations.requestId(context), input.readAllBytes()));
    }
}
