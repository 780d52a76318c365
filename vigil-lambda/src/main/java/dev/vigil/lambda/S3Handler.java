package dev.vigil.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * CloudTrail log files as S3 announces them, one notification per invocation: EventBridge "Object Created" events of the trail bucket (or S3 event notifications, {@code {"Records":[{"eventSource":"aws:s3",..}]}}); each object is streamed from S3 and decoded as it comes. An object that cannot be read throws, so Lambda retries the invocation.
 * Input that holds no readable event is kept in the store as rejected; the answer is the invocation's summary.
 */
public final class S3Handler implements RequestStreamHandler {
    private final Invocations invocations;

    /** Lambda's: wired from the environment, once per cold start. */
    public S3Handler() {
        this(Handlers.wire());
    }

    S3Handler(Invocations invocations) {
        this.invocations = invocations;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocations.write(output, invocations.single("s3", "s3", Invocations.requestId(context), input.readAllBytes()));
    }
}
