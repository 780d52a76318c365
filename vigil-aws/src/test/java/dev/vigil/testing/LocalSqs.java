package dev.vigil.testing;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** ElasticMQ (the real SQS protocol) in-process on 127.0.0.1, a random port, and a client for it. */
public final class LocalSqs implements AutoCloseable {
    public static final StaticCredentialsProvider CREDS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));

    private final SQSRestServer server;
    public final URI endpoint;
    public final SqsClient client;

    public LocalSqs() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        client = SqsClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint).credentialsProvider(CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Creates a queue with this visibility timeout (seconds) and returns its URL. */
    public String queue(String name, int visibilitySeconds) {
        return client.createQueue(r -> r.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds))))
                .queueUrl();
    }

    public void send(String queueUrl, List<String> bodies) {
        for (int i = 0; i < bodies.size(); i += 10) {
            List<String> part = bodies.subList(i, Math.min(bodies.size(), i + 10));
            int base = i;
            var entries = new java.util.ArrayList<SendMessageBatchRequestEntry>();
            for (int j = 0; j < part.size(); j++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + (base + j)).messageBody(part.get(j)).build());
            }
            var resp = client.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            if (!resp.failed().isEmpty()) throw new IllegalStateException("send failed: " + resp.failed());
        }
    }

    /** Visible plus in-flight messages. */
    public int remaining(String queueUrl) {
        var a = client.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
