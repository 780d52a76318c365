package dev.vigil.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.InputDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * CloudTrail log objects announced by S3: which objects a queue message names, and their contents streamed from S3.
 * Three message forms are read: S3's event notification ({@code {"Records": [{"eventSource": "aws:s3", "s3":
 * {"bucket": {"name"}, "object": {"key"}}}]}}, keys URL-encoded with {@code +} for a space), the same wrapped in an
 * SNS notification ({@code {"Type": "Notification", "Message": "<that JSON as a string>"}}), and EventBridge's
 * "Object Created" event ({@code detail.bucket.name}, {@code detail.object.key}, keys as they are). S3's
 * {@code s3:TestEvent} names no object.
 */
public final class S3LogObjects {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One object. */
    public record S3Ref(String bucket, String key) {
        @Override
        public String toString() {
            return "s3://" + bucket + "/" + key;
        }
    }

    /** The objects a message names, or why it could not be read ({@code error} null when it could). */
    public record Parsed(List<S3Ref> refs, String error) {
        public Parsed {
            refs = List.copyOf(refs);
        }

        public boolean ok() {
            return error == null;
        }

        static Parsed error(String why) {
            return new Parsed(List.of(), why);
        }
    }

    private final S3Client s3;

    public S3LogObjects(S3Client s3) {
        this.s3 = s3;
    }

    /** Reads a queue message body; never throws. */
    public static Parsed parse(String message) {
        JsonNode root;
        try {
            root = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            return Parsed.error("not JSON: " + Ec2Errors.oneLine(e.getOriginalMessage()) + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null || !root.isObject()) return Parsed.error("not a JSON object");
        if ("Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
            Parsed inner = parse(root.path("Message").asText());
            return inner.ok() ? inner : Parsed.error("SNS notification " + root.path("MessageId").asText("?") + ": " + inner.error());
        }
        if ("s3:TestEvent".equals(root.path("Event").asText())) return new Parsed(List.of(), null);
        if (root.has("Records")) return records(root.path("Records"));
        if ("aws.s3".equals(root.path("source").asText()) && root.has("detail")) {
            if (!"Object Created".equals(root.path("detail-type").asText())) return new Parsed(List.of(), null);
            String bucket = root.path("detail").path("bucket").path("name").asText(null);
            String key = root.path("detail").path("object").path("key").asText(null);
            if (bucket == null || key == null) return Parsed.error("EventBridge Object Created event " + root.path("id").asText("?") + " without detail.bucket.name or detail.object.key");
            return new Parsed(List.of(new S3Ref(bucket, key)), null);
        }
        return Parsed.error("names no S3 object: neither an S3 event notification, an SNS notification of one, nor an EventBridge Object Created event");
    }

    private static Parsed records(JsonNode records) {
        if (!records.isArray()) return Parsed.error("Records is not a list");
        List<S3Ref> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            if (!"aws:s3".equals(r.path("eventSource").asText())) continue; // not S3's: someone else's record
            String event = r.path("eventName").asText("");
            if (!event.isEmpty() && !event.startsWith("ObjectCreated:")) continue; // a deletion names nothing to read
            String bucket = r.path("s3").path("bucket").path("name").asText(null);
            String key = r.path("s3").path("object").path("key").asText(null);
            if (bucket == null || key == null) return Parsed.error("Records[" + i + "] without s3.bucket.name or s3.object.key");
            try {
                out.add(new S3Ref(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                return Parsed.error("Records[" + i + "]: key is not URL-encoded: " + Ec2Errors.oneLine(e.getMessage()));
            }
        }
        return new Parsed(out, null);
    }

    /**
     * The object's bytes as S3 sends them (gzip for CloudTrail), streamed: nothing is buffered beyond the HTTP
     * client's own buffer. The caller closes the stream.
     *
     * @throws IOException one line naming the object and S3's error code (NoSuchKey, AccessDenied, ...)
     */
    public InputStream open(S3Ref ref) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(ref.bucket()).key(ref.key()));
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
            throw new IOException(ref + ": " + code + (code.equals("AccessDenied") ? " (vigil's role needs s3:GetObject on it)" : ""), null);
        } catch (SdkException e) {
            throw new IOException(ref + ": no usable answer from S3: " + Ec2Errors.oneLine(e.getMessage()), null);
        }
    }

    /** Streams the object through the decoder (gzip detected), its events to the listener; a failure is one error line. */
    public void decode(S3Ref ref, InputDecoder decoder, DecodeListener listener) {
        try (InputStream in = open(ref)) {
            decoder.decode(ref.toString(), in, listener);
        } catch (IOException e) {
            String where = ref.toString();
            String msg = e.getMessage().startsWith(where + ": ") ? e.getMessage().substring(where.length() + 2) : e.getMessage();
            listener.onInput(where);
            listener.onError(where, msg);
        }
    }
}
