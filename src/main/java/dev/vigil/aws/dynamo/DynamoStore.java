package dev.vigil.aws.dynamo;

import dev.vigil.core.finding.Finding;
import dev.vigil.core.response.ActionLedger;
import dev.vigil.core.store.FindingLog;
import dev.vigil.core.store.ProcessedEvents;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * vigil's live state in one DynamoDB table ({@code pk} string hash key, {@code sk} string range key, TTL on the number
 * attribute {@code ttl}): action-ledger claims by conditional write, processed-event keys with a TTL, and findings
 * (see {@link FindingItems}). Layout and semantics: {@code docs/aws-state.md}.
 *
 * <p>A claim is in progress under a lease: if its holder dies before completing, another caller may take the key over
 * once the lease has run out. Only the holder (this store instance) completes or releases its claim, so a holder that
 * lost its lease cannot overwrite the new holder's record.
 */
public final class DynamoStore implements ActionLedger, ProcessedEvents, FindingLog {
    static final String IN_PROGRESS = "in-progress";
    private static final int CLAIM_ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoSettings settings;
    private final String holder = UUID.randomUUID().toString();
    private final FindingItems findings;

    public DynamoStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, DynamoSettings.defaults());
    }

    public DynamoStore(DynamoDbClient dynamo, String table, DynamoSettings settings) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        if (table == null || table.isBlank()) throw new IllegalArgumentException("DynamoDB table name is empty");
        this.table = table;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.findings = new FindingItems(dynamo, table, settings);
    }

    /**
     * Creates the table as the deployment template declares it (on-demand billing, TTL on {@code ttl}) and waits until
     * it is active. For tests and first-time setup; the template is the normal way.
     */
    public static void createTable(DynamoDbClient dynamo, String table) {
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
        dynamo.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(t -> t.attributeName("ttl").enabled(true)));
    }

    // ---- ActionLedger ----

    @Override
    public Optional<Claim> claim(String key, String policy, String rule, Instant at) {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            Instant now = settings.clock().instant();
            Map<String, AttributeValue> item = new HashMap<>(claimKey(key));
            item.put("policy", s(policy));
            item.put("rule", s(rule));
            item.put("claimed_at", s(at.toString()));
            item.put("status", s(IN_PROGRESS));
            item.put("lease_until", n(now.plus(settings.lease()).toEpochMilli()));
            item.put("holder", s(holder));
            try {
                dynamo.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(pk) OR (#s = :inprogress AND lease_until < :now)")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":inprogress", s(IN_PROGRESS), ":now", n(now.toEpochMilli())))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return Optional.empty();
            } catch (ConditionalCheckFailedException e) {
                Map<String, AttributeValue> old = e.hasItem() && !e.item().isEmpty() ? e.item() : readClaim(key);
                if (old != null) return Optional.of(toClaim(key, old));
                // released between our write and our read: try again
            } catch (SdkException e) {
                throw failure("claim", key, e);
            }
        }
        throw new DynamoStoreException("dynamodb claim on table " + table + " for " + key
                + ": the claim kept changing hands over " + CLAIM_ATTEMPTS + " attempts", null);
    }

    @Override
    public void complete(String key, String status) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(claimKey(key))
                    .updateExpression("SET #s = :status, completed_at = :now REMOVE lease_until")
                    .conditionExpression("holder = :me AND #s = :inprogress")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":status", s(status), ":now", s(settings.clock().instant().toString()),
                            ":me", s(holder), ":inprogress", s(IN_PROGRESS))));
        } catch (ConditionalCheckFailedException e) {
            // not ours any more (lease lost and taken over, or released): the new holder's record stands
        } catch (SdkException e) {
            throw failure("complete", key, e);
        }
    }

    @Override
    public void release(String key) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(claimKey(key))
                    .conditionExpression("holder = :me AND #s = :inprogress")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":me", s(holder), ":inprogress", s(IN_PROGRESS))));
        } catch (ConditionalCheckFailedException e) {
            // gone already, or another holder's now
        } catch (SdkException e) {
            throw failure("release", key, e);
        }
    }

    private Map<String, AttributeValue> readClaim(String key) {
        var r = dynamo.getItem(b -> b.tableName(table).key(claimKey(key)).consistentRead(true));
        return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
    }

    private static Claim toClaim(String key, Map<String, AttributeValue> item) {
        return new Claim(key, str(item, "policy"), str(item, "rule"), Instant.parse(str(item, "claimed_at")), str(item, "status"));
    }

    private static Map<String, AttributeValue> claimKey(String key) {
        return Map.of("pk", s("claim#" + key), "sk", s("claim"));
    }

    // ---- ProcessedEvents ----

    @Override
    public boolean markFirst(String key, Instant eventTime) {
        Instant now = settings.clock().instant();
        Map<String, AttributeValue> item = Map.of("pk", s("event#" + key), "sk", s("event"),
                "event_time", s(eventTime.toString()),
                "ttl", n(now.plus(settings.eventRetention()).getEpochSecond()));
        try {
            // an entry past its TTL counts as forgotten even before DynamoDB's sweeper deletes it
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR #t < :now")
                    .expressionAttributeNames(Map.of("#t", "ttl"))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw failure("mark processed event", key, e);
        }
    }

    // ---- FindingLog ----

    @Override
    public void save(Finding finding) {
        findings.save(finding);
    }

    @Override
    public List<Finding> recent(int limit) {
        return findings.recent(limit);
    }

    @Override
    public Optional<Finding> find(String findingId) {
        return findings.find(findingId);
    }

    // ---- helpers shared with FindingItems ----

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v == null ? "" : v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static DynamoStoreException failure(String table, String op, String key, SdkException e) {
        String why = e instanceof AwsServiceException a && a.awsErrorDetails() != null
                ? a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new DynamoStoreException("dynamodb " + op + " on table " + table + " for " + key + ": " + why, e);
    }

    private DynamoStoreException failure(String op, String key, SdkException e) {
        return failure(table, op, key, e);
    }
}
