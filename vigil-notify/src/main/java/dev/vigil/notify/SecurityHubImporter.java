package dev.vigil.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.aws.RetryBudget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.BatchImportFindingsResponse;

/**
 * {@code BatchImportFindings} of ASFF documents: split into batches within the API's limits (100 findings and
 * 240 KB of request body), each call retried on throttling by the SDK's standard strategy within a
 * {@link RetryBudget}; findings the API rejects are reported one by one with its error code. Importing a document
 * again with the same {@code Id} updates the finding (Security Hub's own rule), so a retried batch never duplicates.
 */
public final class SecurityHubImporter implements AutoCloseable {
    public static final int MAX_FINDINGS = 100;
    /** 240 KB, less room for the request's envelope. */
    public static final int MAX_BYTES = 240 * 1024 - 64;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpointOverride;
    private final AwsCredentialsProvider credentials;
    private final RetryBudget retry;
    private final Map<String, SecurityHubClient> clients = new ConcurrentHashMap<>();

    /** What an import did: findings accepted, and one line per finding or batch that was not. */
    public record Result(int imported, int calls, List<String> failures) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /** @param endpointOverride a Security Hub-compatible endpoint (moto, a stub), or null for the region's own */
    public SecurityHubImporter(URI endpointOverride, AwsCredentialsProvider credentials, RetryBudget retry) {
        this.endpointOverride = endpointOverride;
        this.credentials = credentials;
        this.retry = retry;
    }

    /** The documents in batches of at most {@link #MAX_FINDINGS} findings and {@link #MAX_BYTES} bytes, in order. */
    public static List<List<ObjectNode>> batches(List<ObjectNode> docs) {
        List<List<ObjectNode>> out = new ArrayList<>();
        List<ObjectNode> cur = new ArrayList<>();
        int bytes = 0;
        for (ObjectNode d : docs) {
            int size = size(d) + 1;
            if (!cur.isEmpty() && (cur.size() == MAX_FINDINGS || bytes + size > MAX_BYTES)) {
                out.add(cur);
                cur = new ArrayList<>();
                bytes = 0;
            }
            cur.add(d);
            bytes += size;
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    static int size(ObjectNode d) {
        try {
            return JSON.writeValueAsString(d).getBytes(StandardCharsets.UTF_8).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Result importAll(String region, List<ObjectNode> docs) {
        int imported = 0;
        int calls = 0;
        List<String> failures = new ArrayList<>();
        for (List<ObjectNode> batch : batches(docs)) {
            if (size(batch.getFirst()) > MAX_BYTES) {
                failures.add(batch.getFirst().path("Id").asText() + ": larger than a request may be");
                continue;
            }
            List<AwsSecurityFinding> findings = batch.stream().map(AsffModel::of).toList();
            calls++;
            try {
                BatchImportFindingsResponse r = client(region).batchImportFindings(b -> b.findings(findings));
                imported += r.successCount();
                r.failedFindings().forEach(f -> failures.add(f.id() + ": " + f.errorCode()));
            } catch (AwsServiceException e) {
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                failures.add("batch of " + batch.size() + ": " + (code == null ? "error" : code) + " (HTTP " + e.statusCode() + ")");
            } catch (SdkException e) {
                failures.add("batch of " + batch.size() + ": " + e.getClass().getSimpleName());
            }
        }
        return new Result(imported, calls, List.copyOf(failures));
    }

    private SecurityHubClient client(String region) {
        return clients.computeIfAbsent(region, r -> {
            var b = SecurityHubClient.builder().region(Region.of(r)).credentialsProvider(credentials)
                    .httpClient(RetryBudget.httpClient()).overrideConfiguration(retry.clientOverrides().build());
            if (endpointOverride != null) b.endpointOverride(endpointOverride);
            return b.build();
        });
    }

    @Override
    public void close() {
        clients.values().forEach(SecurityHubClient::close);
    }
}
