package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.testing.Moto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;

/** {@code vigil replay s3://bucket/prefix}: listed and streamed with the SDK from moto's S3, as a local folder would be read. */
@ExtendWith(Moto.class)
class ReplayFromS3Test {
    @Test
    void aPrefixReplaysAsTheSameFilesDoLocally(Moto moto) throws Exception {
        Path local = Path.of("examples/cloudtrail/AWSLogs");
        try (var s3 = moto.s3(Region.US_EAST_1); Stream<Path> files = Files.walk(local)) {
            s3.createBucket(b -> b.bucket("trail-bucket"));
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                s3.putObject(b -> b.bucket("trail-bucket").key("AWSLogs/" + local.relativize(f).toString().replace('\\', '/')), RequestBody.fromFile(f));
            }
            s3.putObject(b -> b.bucket("trail-bucket").key("AWSLogs/notes.md"), RequestBody.fromString("not an input"));
            s3.putObject(b -> b.bucket("trail-bucket").key("other/x.json"), RequestBody.fromString("{}"));
            s3.putObject(b -> b.bucket("trail-bucket").key("AWSLogsOld/x.json"), RequestBody.fromString("not even JSON")); // not under AWSLogs/
        }
        String was = System.getProperty("aws.accessKeyId");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "example-secret");
        try {
            ReplayCommandTest.Run fromS3 = ReplayCommandTest.run("replay", "--format", "json", "--endpoint-url", moto.endpoint().toString(),
                    "--region", "us-east-1", "s3://trail-bucket/AWSLogs/");
            ReplayCommandTest.Run fromDisk = ReplayCommandTest.run("replay", "--format", "json", local.toString());
            assertThat(fromS3.code()).as(fromS3.err()).isZero();
            assertThat(fromS3.err()).isEmpty();
            List<JsonNode> a = fromS3.lines();
            List<JsonNode> b = fromDisk.lines();
            assertThat(a).hasSizeGreaterThan(1);
            // the same findings (origins name s3://... rather than the local path), the same counts
            assertThat(a.subList(0, a.size() - 1)).extracting(n -> n.get("rule").asText() + " " + n.get("resource").asText() + " " + n.get("time").asText())
                    .containsExactlyElementsOf(b.subList(0, b.size() - 1).stream().map(n -> n.get("rule").asText() + " " + n.get("resource").asText()
                            + " " + n.get("time").asText()).toList());
            assertThat(a.getLast().get("summary")).isEqualTo(b.getLast().get("summary"));

            // a prefix with nothing under it, and a bucket that does not exist: said, and --strict makes them exit 2
            ReplayCommandTest.Run empty = ReplayCommandTest.run("replay", "--endpoint-url", moto.endpoint().toString(), "s3://trail-bucket/nothing/");
            assertThat(empty.err()).contains("vigil: s3://trail-bucket/nothing: no objects under this prefix");
            ReplayCommandTest.Run none = ReplayCommandTest.run("replay", "--strict", "--endpoint-url", moto.endpoint().toString(), "s3://no-such-bucket/x");
            assertThat(none.code()).isEqualTo(2);
            assertThat(none.err()).contains("vigil: s3://no-such-bucket/x: cannot list (ListObjectsV2:").doesNotContain("\tat ");
        } finally {
            if (was == null) System.clearProperty("aws.accessKeyId");
            else System.setProperty("aws.accessKeyId", was);
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
