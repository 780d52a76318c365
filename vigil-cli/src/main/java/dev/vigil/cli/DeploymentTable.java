package dev.vigil.cli;

import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.aws.dynamo.RecordedActions;
import dev.vigil.aws.dynamo.StateClients;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The Lambda deployment's DynamoDB table, opened for the operations commands ({@code --table} or {@code --stack}). */
final class DeploymentTable implements AutoCloseable {
    final DynamoStore store;
    final RecordedActions actions;
    private final DynamoDbClient client;

    private DeploymentTable(DynamoDbClient client, String table) {
        this.client = client;
        this.store = new DynamoStore(client, table);
        this.actions = new RecordedActions(store);
    }

    static DeploymentTable open(StoreOptions s, AwsOptions aws) {
        Region region = Region.of(aws.region);
        String table = s.table;
        if (table == null) {
            var b = CloudFormationClient.builder().region(region).credentialsProvider(aws.credentials())
                    .httpClient(UrlConnectionHttpClient.create());
            if (aws.endpoint != null) b.endpointOverride(aws.endpoint);
            try (CloudFormationClient cfn = b.build()) {
                table = StackOutputs.value(cfn, s.stack, StackOutputs.STATE_TABLE);
            }
        }
        return new DeploymentTable(StateClients.dynamo(region, aws.endpoint, aws.credentials()), table);
    }

    @Override
    public void close() {
        client.close();
    }
}
