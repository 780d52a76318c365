package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.SecurityEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fields whose values repeat from record to record (userAgent, awsRegion, recipientAccountId; what a decoder may be
 * tempted to keep and hand out again): each record still gets exactly its own text, whatever the order, with values
 * of one length differing in one character, long ones, and values of other types. Seeded.
 */
class RepeatedTextTest {
    @Test
    void eachRecordGetsItsOwnText() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        String[] agents = {"aws-cli/2.0 a", "aws-cli/2.0 b", "aws-cli/2.0 c", "aws-cli/2.0 d", "aws-cli/2.0 e", "aws-cli/2.0 f", "",
            "caf\u00e9 \ud83d\ude00", "x".repeat(600), "x".repeat(599) + "y"};
        String[] regions = {"eu-west-1", "eu-west-2", "eu-west-3", "us-east-1", "us-east-2", "ap-south-1"};
        String[] accounts = {"111122223333", "111122223334", "444455556666", "111122223335", "777788889999"};
        StringBuilder json = new StringBuilder("{\"Records\":[");
        List<String[]> want = new ArrayList<>();
        int n = 3000;
        for (int i = 0; i < n; i++) {
            // now and then null, or a number (read as its text)
            String agent = r.nextInt(20) == 0 ? (r.nextBoolean() ? null : "42") : agents[r.nextInt(agents.length)];
            String region = regions[r.nextInt(regions.length)];
            String account = accounts[r.nextInt(accounts.length)];
            if (i > 0) json.append(',');
            json.append("{\"eventVersion\":\"1.09\",\"eventTime\":\"2025-03-06T00:00:00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"");
            json.append(",\"userAgent\":").append(agent == null ? "null" : agent.equals("42") ? "42" : quoted(agent));
            json.append(",\"awsRegion\":").append(quoted(region)).append(",\"recipientAccountId\":").append(quoted(account)).append('}');
            want.add(new String[] {agent, region, account});
        }
        json.append("]}");
        List<SecurityEvent> out = new ArrayList<>();
        new InputDecoder(new DecodeOptions(x -> true, null, java.time.ZoneOffset.UTC)).decode("t.json",
                new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)), new DecodeListener() {
                    @Override
                    public void onEvent(SecurityEvent e) {
                        out.add(e);
                    }

                    @Override
                    public void onError(String where, String message) {
                        throw new AssertionError(where + ": " + message);
                    }
                });
        assertThat(out).as("seed %d", seed).hasSize(n);
        for (int i = 0; i < n; i++) {
            CloudTrailCall c = (CloudTrailCall) out.get(i);
            String[] w = want.get(i);
            assertThat(c.userAgent()).as("seed %d, record %d", seed, i).isEqualTo(w[0]);
            assertThat(c.region().toString()).as("seed %d, record %d", seed, i).isEqualTo(w[1]);
            assertThat(c.account().toString()).as("seed %d, record %d", seed, i).isEqualTo(w[2]);
        }
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }
}
