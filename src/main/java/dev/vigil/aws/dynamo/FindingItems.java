package dev.vigil.aws.dynamo;

import static dev.vigil.aws.dynamo.DynamoStore.n;
import static dev.vigil.aws.dynamo.DynamoStore.s;
import static dev.vigil.aws.dynamo.DynamoStore.str;

import dev.vigil.core.finding.Finding;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Findings as two items written in one transaction: {@code finding#<id>} for {@code find(id)}, and an entry in the
 * finding's UTC day partition {@code findings#<yyyy-MM-dd>} sorted by time (fixed-width, so string order is time
 * order) for {@code recent(limit)}, which queries newest first from tomorrow (clock skew) back {@code recentDays}.
 * Both puts are conditional on the item not existing, so a finding made again (same {@link Finding#id()}) keeps the
 * first record, including its actions.
 */
final class FindingItems {
    private static final DateTimeFormatter SORT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int SAVE_ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoSettings settings;

    FindingItems(DynamoDbClient dynamo, String table, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = table;
        this.settings = settings;
    }

    static String dayPartition(Instant time) {
        return "findings#" + LocalDate.ofInstant(time, ZoneOffset.UTC);
    }

    void save(Finding f) {
        String id = f.id();
        String json = FindingCodec.write(f);
        long ttl = settings.clock().instant().plus(settings.findingRetention()).getEpochSecond();
        Map<String, AttributeValue> common = new HashMap<>();
        common.put("finding_id", s(id));
        common.put("rule", s(f.rule()));
        common.put("policy", s(f.policy()));
        common.put("time", s(f.time().toString()));
        common.put("json", s(json));
        common.put("ttl", n(ttl));
        Map<String, AttributeValue> byId = new HashMap<>(common);
        byId.put("pk", s("finding#" + id));
        byId.put("sk", s("finding"));
        Map<String, AttributeValue> byDay = new HashMap<>(common);
        byDay.put("pk", s(dayPartition(f.time())));
        byDay.put("sk", s(SORT_TIME.format(f.time()) + "#" + id));
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(putIfAbsent(byId), putIfAbsent(byDay)));
                return;
            } catch (TransactionCanceledException e) {
                List<String> codes = e.hasCancellationReasons()
                        ? e.cancellationReasons().stream().map(CancellationReason::code).toList() : List.of();
                if (codes.contains("ConditionalCheckFailed")) return; // saved before: keep the first record
                if (!codes.contains("TransactionConflict") || attempt >= SAVE_ATTEMPTS) {
                    throw DynamoStore.failure(table, "save finding", id, e);
                }
                // a concurrent save of the same finding: the retry sees its result
            } catch (SdkException e) {
                throw DynamoStore.failure(table, "save finding", id, e);
            }
        }
    }

    private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }

    List<Finding> recent(int limit) {
        List<Finding> out = new ArrayList<>();
        if (limit <= 0) return out;
        LocalDate day = LocalDate.ofInstant(settings.clock().instant(), ZoneOffset.UTC).plusDays(1);
        for (int i = 0; i <= settings.recentDays() && out.size() < limit; i++, day = day.minusDays(1)) {
            String pk = "findings#" + day;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                int want = limit - out.size();
                QueryResponse r;
                try {
                    r = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                            .expressionAttributeValues(Map.of(":p", s(pk)))
                            .scanIndexForward(false).limit(want).exclusiveStartKey(from));
                } catch (SdkException e) {
                    throw DynamoStore.failure(table, "query recent findings", pk, e);
                }
                for (var item : r.items()) {
                    if (out.size() < limit) out.add(FindingCodec.read(str(item, "json"), pk + " " + str(item, "sk")));
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null && out.size() < limit);
        }
        return out;
    }

    Optional<Finding> find(String id) {
        String pk = "finding#" + id;
        try {
            var r = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s(pk), "sk", s("finding"))).consistentRead(true));
            if (!r.hasItem() || r.item().isEmpty()) return Optional.empty();
            return Optional.of(FindingCodec.read(str(r.item(), "json"), pk));
        } catch (SdkException e) {
            throw DynamoStore.failure(table, "find finding", id, e);
        }
    }
}
