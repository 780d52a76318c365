package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that ended in OutOfMemoryError under {@code -Xmx256m}: lines and values of tens of megabytes, gzip bombs in a
 * CloudWatch Logs payload and in a CloudTrail file. {@code vigil replay} runs in a JVM of its own with that heap,
 * exits 0 with each one counted, and still answers the good file beside them.
 */
class SmallHeapTest {
    @TempDir
    Path dir;

    private static void fill(OutputStream out, byte c, long n) throws IOException {
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, c);
        for (long left = n; left > 0; left -= chunk.length) out.write(chunk, 0, (int) Math.min(left, chunk.length));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hugeInputsUnder256MegabytesOfHeapAreCountedAndTheGoodFileStillAnswers() throws Exception {
        Path good = Files.createDirectories(dir.resolve("good"));
        Files.copy(Path.of("examples/sg-guard/eventbridge-sg-calls.json"), good.resolve("sg.json"));
        Path bad = Files.createDirectories(dir.resolve("bad"));
        long mb = 1 << 20;
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(bad.resolve("huge.log")))) {
            o.write(utf8("Jul  2 12:00:00 h sshd[1]: "));
            fill(o, (byte) 'x', 80 * mb);
            o.write(utf8("\nJul  2 12:00:01 h sshd[1]: after\n"));
        }
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(bad.resolve("huge.jsonl")))) {
            o.write(utf8("{\"detail-type\":\"x\",\"pad\":\""));
            fill(o, (byte) 'y', 80 * mb);
            o.write(utf8("\"}\n{\"version\":\"0\",\"id\":\"s1\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"time\":\"2024-07-02T12:00:00Z\",\"detail\":{}}\n"));
        }
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(bad.resolve("value.json")))) {
            o.write(utf8("{\"Records\":[{\"eventVersion\":\"1.08\",\"eventName\":\"AuthorizeSecurityGroupIngress\",\"eventSource\":\"ec2.amazonaws.com\","
                    + "\"eventTime\":\"2024-07-02T12:00:00Z\",\"requestParameters\":{\"groupId\":\""));
            fill(o, (byte) 'z', 60 * mb);
            o.write(utf8("\"}}]}"));
        }
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bomb)) {
            z.write(utf8("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"message\":\""));
            fill(z, (byte) 'a', 400 * mb);
            z.write(utf8("\"}]}"));
        }
        Files.writeString(bad.resolve("bomb.json"), "{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(bomb.toByteArray()) + "\"}}");
        try (OutputStream o = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(bad.resolve("trail.json.gz"))))) {
            o.write(utf8("{\"Records\":[{\"eventVersion\":\"1.08\",\"eventName\":\"A\",\"eventTime\":\"2024-07-02T12:00:00Z\",\"x\":\""));
            fill(o, (byte) 'b', 300 * mb);
            o.write(utf8("\"},{\"eventVersion\":\"1.08\",\"eventName\":\"B\",\"eventTime\":\"2024-07-02T12:00:01Z\"}]}"));
        }

        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dev.vigil.cli.Main", "replay", "--format", "json", "--policy", "examples/policy.yaml", "--inventory",
                "examples/sg-guard/describe-security-groups.json", "--", good.toString(), bad.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile()).start();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("finished").isTrue();
        String out = Files.readString(dir.resolve("out"));
        String err = Files.readString(dir.resolve("err"));
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err).doesNotContain("OutOfMemoryError").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(err).contains("huge.log:1: line of", "huge.jsonl:1: line of", "value.json record 1: past a JSON limit: String value length",
                "bomb.json record 1: awslogs.data decompresses to more than", "trail.json.gz record 1: record larger than");
        assertThat(out).contains("\"rule\":\"sg-open-to-world\"").contains("\"errors\":5");
        assertThat(out.lines().filter(l -> l.contains("\"rule\":")).count()).isGreaterThanOrEqualTo(3);
    }
}
