package dev.vigil.aws;

import dev.vigil.aws.AwsClients;
import dev.vigil.aws.S3LogObjects;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Queue messages that announce CloudTrail log files (S3 event notifications, plain or through SNS, or EventBridge
 * "Object Created"): the objects are streamed from S3 with the runtime's own credentials and decoded as they come.
 */
public final class S3Objects implements ObjectSource {
    private final AwsClients aws;
    private final String region;

    /** @param region the region of the runtime's own S3 client (the trail bucket's) */
    public S3Objects(AwsClients aws, String region) {
        this.aws = aws;
        this.region = region;
    }

    @Override
    public List<Ref> refs(String body) {
        // cheap test first: most messages are EventBridge events of other services
        if (!body.contains("\"aws:s3\"") && !body.contains("s3:TestEvent") && !(body.contains("\"aws.s3\"") && body.contains("Object Created"))) {
            return null;
        }
        S3LogObjects.Parsed p = S3LogObjects.parse(body);
        if (!p.ok()) throw new IllegalArgumentException(p.error());
        return p.refs().stream().map(r -> new Ref(r.bucket(), r.key())).toList();
    }

    @Override
    public InputStream open(Ref ref) throws IOException {
        return new S3LogObjects(aws.s3(null, region)).open(new S3LogObjects.S3Ref(ref.bucket(), ref.key()));
    }
}
