package dev.vigil.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.aws.S3LogObjects.Parsed;
import dev.vigil.aws.S3LogObjects.S3Ref;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3LogObjectsTest {
    static final String BUCKET = "trail-logs";
    static final String KEY = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/23/123456789012_CloudTrail_us-east-1_20261123T0805Z_a b+c.json.gz";

    S3Proxy proxy;
    AwsClients clients;
    S3Client s3;

    @BeforeAll
    void start() throws Exception {
        proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "AKIDS3EXAMPLE", "s3-secret").build();
        proxy.start();
        for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) Thread.sleep(10);
        clients = AwsClients.create(new AwsClients.Config(Region.US_EAST_1, URI.create("http://127.0.0.1:" + proxy.getPort()), java.util.Map.of(),
                "vigil", null), StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDS3EXAMPLE", "s3-secret")));
        s3 = clients.s3(null, null);
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    void stop() throws Exception {
        clients.close();
        proxy.stop();
    }

    /** Two stratus-red-team detonation records (the corpus) as one CloudTrail log file, gzipped as CloudTrail writes it. */
    static byte[] cloudTrailGz() throws IOException {
        Path logs = Ec2Stub.CORPUS.resolve("stratus-red-team/docs/detonation-logs");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(logs), "corpus absent: skipped");
        String a = Files.readString(logs.resolve("aws.exfiltration.ec2-share-ebs-snapshot.json")).strip();
        String b = Files.readString(logs.resolve("aws.defense-evasion.cloudtrail-delete.json")).strip();
        String records = "{\"Records\":[" + a.substring(1, a.length() - 1) + "," + b.substring(1, b.length() - 1) + "]}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(records.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static final class Collect implements DecodeListener {
        final List<SecurityEvent> events = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        @Override
        public void onEvent(SecurityEvent event) {
            events.add(event);
        }

        @Override
        public void onError(String where, String message) {
            errors.add(where + ": " + message);
        }
    }

    @Test
    void aNotifiedCloudTrailFileIsStreamedThroughTheDecoder() throws IOException {
        byte[] gz = cloudTrailGz();
        s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromBytes(gz));
        String encodedKey = KEY.replace("+", "%2B").replace(" ", "+");
        Parsed p = S3LogObjects.parse("""
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2026-11-23T08:05:12.345Z",
                 "eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0","configurationId":"vigil",
                 "bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},"object":{"key":"%s","size":%d}}}]}""".formatted(BUCKET, BUCKET, encodedKey, gz.length));
        assertThat(p.ok()).isTrue();
        assertThat(p.refs()).containsExactly(new S3Ref(BUCKET, KEY));

        S3LogObjects objects = new S3LogObjects(s3);
        try (InputStream in = objects.open(p.refs().get(0))) {
            assertThat(in.readAllBytes()).isEqualTo(gz);
        }
        Collect c = new Collect();
        objects.decode(p.refs().get(0), new InputDecoder(DecodeOptions.defaults()), c);
        assertThat(c.errors).isEmpty();
        assertThat(c.events).extracting(SecurityEvent::id)
                .containsExactly(eventId("aws.exfiltration.ec2-share-ebs-snapshot.json"), eventId("aws.defense-evasion.cloudtrail-delete.json"));
    }

    private static String eventId(String file) throws IOException {
        String s = Files.readString(Ec2Stub.CORPUS.resolve("stratus-red-team/docs/detonation-logs").resolve(file));
        int i = s.indexOf("\"eventID\": \"") + "\"eventID\": \"".length();
        return s.substring(i, s.indexOf('"', i));
    }

    @Test
    void aMissingObjectIsOneErrorLineNamingIt() {
        Collect c = new Collect();
        new S3LogObjects(s3).decode(new S3Ref(BUCKET, "AWSLogs/none.json.gz"), new InputDecoder(DecodeOptions.defaults()), c);
        assertThat(c.events).isEmpty();
        assertThat(c.errors).containsExactly("s3://trail-logs/AWSLogs/none.json.gz: NoSuchKey");
    }

    @Test
    void snsWrappedNotificationsAreUnwrapped() {
        String inner = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:CompleteMultipartUpload\","
                + "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"a%3Db/c+d.json.gz\"}}},"
                + "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectRemoved:Delete\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"gone\"}}}]}";
        String sns = "{\"Type\":\"Notification\",\"MessageId\":\"22b80b92\",\"Message\":\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(inner)) + "\"}";
        assertThat(S3LogObjects.parse(sns)).isEqualTo(new Parsed(List.of(new S3Ref("b", "a=b/c d.json.gz")), null));
    }

    @Test
    void eventBridgeObjectCreatedKeysAreTakenAsTheyAre() {
        String eb = """
                {"version":"0","id":"17793124-05d4-b198-2fde-7ededc63b103","detail-type":"Object Created","source":"aws.s3",
                 "account":"123456789012","time":"2026-11-23T08:05:12Z","region":"us-east-1","resources":["arn:aws:s3:::trail-logs"],
                 "detail":{"version":"0","bucket":{"name":"trail-logs"},"object":{"key":"AWSLogs/a+b.json.gz","size":5,"etag":"x"},
                 "request-id":"N4N7GDK58NMKJ12R","requester":"cloudtrail.amazonaws.com","reason":"PutObject"}}""";
        assertThat(S3LogObjects.parse(eb).refs()).containsExactly(new S3Ref("trail-logs", "AWSLogs/a+b.json.gz"));
    }

    @Test
    void testEventsAndBadMessages() {
        assertThat(S3LogObjects.parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-23T08:00:00.000Z\",\"Bucket\":\"trail-logs\"}"))
                .isEqualTo(new Parsed(List.of(), null));
        Parsed bad = S3LogObjects.parse("{\"Records\": [\n{\"eventSource\": \"aws:s3\",");
        assertThat(bad.ok()).isFalse();
        assertThat(bad.error()).startsWith("not JSON: ").contains(" at line 2, column ").doesNotContain("\n");
        assertThat(S3LogObjects.parse("[1]").error()).isEqualTo("not a JSON object");
        assertThat(S3LogObjects.parse("{\"Records\":[{\"eventSource\":\"aws:s3\",\"s3\":{\"bucket\":{\"name\":\"b\"}}}]}").error())
                .isEqualTo("Records[0] without s3.bucket.name or s3.object.key");
        assertThat(S3LogObjects.parse("{\"Records\":[{\"eventSource\":\"aws:s3\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"%zz\"}}}]}").error())
                .startsWith("Records[0]: key is not URL-encoded: ");
        assertThat(S3LogObjects.parse("{\"detail-type\":\"AWS API Call via CloudTrail\"}").error()).startsWith("names no S3 object");
    }
}
