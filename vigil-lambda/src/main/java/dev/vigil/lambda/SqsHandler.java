package dev.vigil.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * SQS batches of the event queue (CloudTrail calls through EventBridge; a body may also be an S3 notification or an
 * SNS envelope holding either). Answers Lambda's partial batch response, {@code {"batchItemFailures":[{"itemIdentifier":
 * "<messageId>"}]}}, naming only the messages to retry; the event source mapping has {@code ReportBatchItemFailures}.
 */
public final class SqsHandler implements RequestStreamHandler {
    private final Invocations invocations;

    /** Lambda's: wired from the environment, once per cold start. */
    public SqsHandler() {
        this(Handlers.wire());
    }

    SqsHandler(Invocations invocations) {
        this.invocations = invocations;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocations.write(output, invocations.sqs(Invocations.requestId(context), input.readAllBytes()));
    }
}
