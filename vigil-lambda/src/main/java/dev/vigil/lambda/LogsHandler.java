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

    /** Lambda's own limit on a synchronous invocation's payload: a larger input is not one Lambda delivers. */
    static final int MAX_INPUT = 6 * 1024 * 1024;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        // read no more than Lambda can deliver; what awslogs.data decompresses to is capped by the decoder
        byte[] body = input.readNBytes(MAX_INPUT + 1);
        if (body.length > MAX_INPUT) throw new IOException("input larger than " + MAX_INPUT + " bytes: not a payload Lambda delivers");
        Invocations.write(output, invocations.single("logs", "cloudwatch-logs", Invocations.requestId(context), body));
    }
}
