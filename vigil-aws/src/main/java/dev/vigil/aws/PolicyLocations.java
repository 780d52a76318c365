package dev.vigil.aws;

import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.policy.Policies;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Where a deployed function reads its policy, so that one artifact serves every policy: {@code ssm:NAME} (an SSM
 * parameter, String or SecureString, decrypted), {@code s3://BUCKET/KEY} (an S3 object, at most {@link #MAX_BYTES}),
 * else a file path (e.g. one packed into the jar). Read once, at cold start; a failure is a {@link PolicyException}
 * naming the location.
 */
public final class PolicyLocations {
    /** A policy file larger than this is refused (a policy is a few KB; an SSM advanced parameter holds 8 KB). */
    public static final int MAX_BYTES = 1 << 20;

    private PolicyLocations() {}

    public static PolicySet load(String location, Region region, URI endpoint, AwsCredentialsProvider credentials) {
        if (location.startsWith("ssm:")) {
            String name = location.substring(4);
            try (SdkHttpClient http = http(); SsmClient ssm = ssm(region, endpoint, credentials, http)) {
                String text = ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
                return Policies.parse(location, text);
            } catch (SdkException e) {
                throw new PolicyException(location + ": cannot read the SSM parameter (GetParameter: " + oneLine(e) + ")");
            }
        }
        if (location.startsWith("s3:/")) {
            String rest = location.substring(3).replaceFirst("^/+", "");
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) throw new PolicyException(location + ": expected s3://BUCKET/KEY");
            String bucket = rest.substring(0, slash);
            String key = rest.substring(slash + 1);
            String name = "s3://" + bucket + "/" + key;
            try (SdkHttpClient http = http(); S3Client s3 = s3(region, endpoint, credentials, http);
                 InputStream in = s3.getObject(r -> r.bucket(bucket).key(key))) {
                byte[] b = in.readNBytes(MAX_BYTES + 1);
                if (b.length > MAX_BYTES) throw new PolicyException(name + ": larger than " + MAX_BYTES + " bytes: not a policy file");
                return Policies.parse(name, new String(b, StandardCharsets.UTF_8));
            } catch (SdkException | IOException e) {
                throw new PolicyException(name + ": cannot read the S3 object (GetObject: " + oneLine(e) + ")");
            }
        }
        return Policies.load(Path.of(location));
    }

    private static SdkHttpClient http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3)).socketTimeout(Duration.ofSeconds(10)).build();
    }

    private static SsmClient ssm(Region region, URI endpoint, AwsCredentialsProvider credentials, SdkHttpClient http) {
        var b = SsmClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
        if (endpoint != null) b.endpointOverride(endpoint);
        return b.build();
    }

    private static S3Client s3(Region region, URI endpoint, AwsCredentialsProvider credentials, SdkHttpClient http) {
        var b = S3Client.builder().region(region).credentialsProvider(credentials).httpClient(http);
        if (endpoint != null) b.endpointOverride(endpoint).forcePathStyle(true);
        return b.build();
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("\\s+", " ").trim();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }
}
