package dev.vigil.aws;

import dev.vigil.replay.RemoteInputs;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://bucket/prefix} as replay input: the objects under the prefix, listed with ListObjectsV2 (key order, which
 * for CloudTrail's {@code AWSLogs/...} layout is time order; the prefix is a folder: {@code s3://b/AWSLogs} is the object
 * {@code AWSLogs} and the objects under {@code AWSLogs/}) and streamed with GetObject, with the credentials of the
 * SDK's default chain (or {@code --profile}) and {@code --endpoint-url} (path-style). Keys ending in {@code /}, hidden
 * names and the policy and note files kept beside logs ({@code .yaml}, {@code .yml}, {@code .md}) are not inputs, as in
 * a local directory. At most {@link #MAX_OBJECTS} objects per prefix.
 */
public final class S3Inputs implements RemoteInputs, AutoCloseable {
    public static final int MAX_OBJECTS = 1_000_000;

    private final S3Client s3;

    public S3Inputs(S3Client s3) {
        this.s3 = s3;
    }

    public static S3Inputs create(String region, String profile, URI endpoint) {
        var creds = profile == null ? DefaultCredentialsProvider.builder().build() : DefaultCredentialsProvider.builder().profileName(profile).build();
        var b = S3Client.builder().credentialsProvider(creds)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(60)).build());
        if (region != null) b.region(Region.of(region));
        else if (System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null) b.region(Region.US_EAST_1);
        if (endpoint != null) b.endpointOverride(endpoint).forcePathStyle(true);
        return new S3Inputs(b.build());
    }

    /** True for {@code s3://...} (or {@code s3:/...}, as a Path writes it). */
    public static boolean isS3(Path input) {
        return input.toString().startsWith("s3:/");
    }

    @Override
    public boolean handles(Path input) {
        return isS3(input);
    }

    /** bucket and prefix of {@code s3://bucket/prefix}, or null. */
    static String[] location(Path input) {
        String rest = input.toString().substring(3).replaceFirst("^/+", "");
        if (rest.isEmpty()) return null;
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        return bucket.isEmpty() ? null : new String[] {bucket, prefix};
    }

    @Override
    public List<Item> list(Path input, BiConsumer<String, String> errors) {
        String[] loc = location(input);
        String shown = loc == null ? input.toString() : "s3://" + loc[0] + "/" + loc[1];
        if (loc == null) {
            errors.accept(shown, "expected s3://BUCKET/PREFIX");
            return List.of();
        }
        List<Item> out = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(loc[0]).prefix(loc[1])).contents()) {
                // a folder's semantics, whether or not the prefix ends in / (a Path drops it): "AWSLogs" is AWSLogs/..., not AWSLogsX
                boolean under = loc[1].isEmpty() || loc[1].endsWith("/") || o.key().equals(loc[1]) || o.key().startsWith(loc[1] + "/");
                if (!under || !input(o.key())) continue;
                if (out.size() >= MAX_OBJECTS) {
                    errors.accept(shown, "more than " + MAX_OBJECTS + " objects: the rest are not read (give a longer prefix)");
                    break;
                }
                out.add(new Item("s3://" + loc[0] + "/" + o.key(), o.size() == null ? 0 : o.size()));
            }
        } catch (SdkException e) {
            errors.accept(shown, "cannot list (ListObjectsV2: " + oneLine(e) + ")");
        }
        return out;
    }

    private static boolean input(String key) {
        if (key.endsWith("/")) return false;
        String name = key.substring(key.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && !name.endsWith(".yaml") && !name.endsWith(".yml") && !name.endsWith(".md");
    }

    @Override
    public InputStream open(Item item) throws IOException {
        String rest = item.name().substring("s3://".length());
        int slash = rest.indexOf('/');
        try {
            return s3.getObject(r -> r.bucket(rest.substring(0, slash)).key(rest.substring(slash + 1)));
        } catch (SdkException e) {
            throw new IOException("GetObject: " + oneLine(e), e);
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("\\s+", " ").trim();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    @Override
    public void close() {
        s3.close();
    }
}
