package dev.vigil.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * CloudWatch Logs subscription payloads, {@code {"awslogs":{"data":"<base64 gzip>"}}}: sshd lines of the log group, the instance named by the log stream. Lines are deduplicated by their log event ids.
 * Input that holds no readable event is kept in the store as rejected; the answer is the invocation's summary.
 */
public final class LogsHandler implements RequestStreamHandler {
    private final Invocations invocations;

    /** Lambda's: wired from the environment, once per cold start. */
    public LogsHandler() {
        this(Handlers.wire());
    }

    LogsHandler(Invocations invocations) {
        this.invocations = invocations;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocations.write(output, invocations.single("logs", "cloudwatch-logs", Invocations.requestId(context), input.readAllBytes()));
    }
}
