package dev.vigil.lambda;

import dev.vigil.aws.dynamo.TimerInput;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** What every handler's constructor does (Lambda runs it during init, once per cold start). */
final class Handlers {
    /** An EventBridge event of each common shape, decoded during a SnapStart init so the snapshot holds the loaded classes. */
    private static final String SAMPLE = """
            {"version":"0","id":"00000000-0000-0000-0000-000000000000","detail-type":"EC2 Instance State-change Notification",\
            "source":"aws.ec2","account":"111122223333","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],\
            "detail":{"instance-id":"i-0123456789abcdef0","state":"running"}}
            {"version":"0","id":"00000000-0000-0000-0000-000000000001","detail-type":"AWS API Call via CloudTrail",\
            "source":"aws.ec2","account":"111122223333","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],\
            "detail":{"eventVersion":"1.08","eventTime":"2026-01-01T00:00:00Z","eventSource":"ec2.amazonaws.com",\
            "eventName":"DescribeInstances","awsRegion":"us-east-1","eventID":"00000000-0000-0000-0000-000000000002",\
            "userIdentity":{"type":"AssumedRole","accountId":"111122223333"}}}
            """;

    private Handlers() {}

    /**
     * The function's wiring from its environment, with its SnapStart priming hook registered: under SnapStart Lambda
     * runs the hook's {@code beforeCheckpoint} before it snapshots the initialized function; with provisioned
     * concurrency (no checkpoint) the same priming runs here, during init.
     */
    static Invocations wire() {
        Invocations i = new Invocations(Wiring.fromEnvironment(), SnapStartPriming.register());
        if ("provisioned-concurrency".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) SnapStartPriming.prime();
        return i;
    }

    /**
     * Loads and warms the classes the first event needs (JSON parsing, the decoders, the timer input) with no effect
     * on the account or the store: nothing is written, nothing is sent.
     */
    static int prime() {
        int[] n = {0};
        DecodeListener count = new DecodeListener() {
            @Override
            public void onEvent(SecurityEvent event) {
                n[0]++;
            }

            @Override
            public void onError(String where, String message) {}
        };
        InputDecoder decoder = new InputDecoder(DecodeOptions.defaults());
        for (int round = 0; round < 3; round++) {
            decoder.decode("prime", new ByteArrayInputStream(SAMPLE.getBytes(StandardCharsets.UTF_8)), count);
        }
        TimerInput.read("{\"owner\":\"prime\",\"key\":\"prime\",\"due\":\"2026-01-01T00:00:00Z\",\"data\":{}}");
        return n[0];
    }
}
