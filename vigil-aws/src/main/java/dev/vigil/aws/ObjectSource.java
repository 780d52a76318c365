package dev.vigil.aws;

import java.io.InputStream;
import java.util.List;

/** Where a queue message that announces objects (S3 notifications of CloudTrail log files) gets them from. */
public interface ObjectSource {
    record Ref(String bucket, String key) {
        @Override
        public String toString() {
            return "s3://" + bucket + "/" + key;
        }
    }

    /** The objects the message announces; null when it is not such a notification, empty for a test event. */
    List<Ref> refs(String body);

    /** The object's content, streamed. */
    InputStream open(Ref ref) throws java.io.IOException;

    ObjectSource NONE = new ObjectSource() {
        @Override
        public List<Ref> refs(String body) {
            return null;
        }

        @Override
        public InputStream open(Ref ref) {
            throw new UnsupportedOperationException("no S3 access configured");
        }
    };
}
