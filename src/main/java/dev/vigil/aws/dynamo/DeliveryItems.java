package dev.vigil.aws.dynamo;

import static dev.vigil.aws.dynamo.DynamoStore.cut;
import static dev.vigil.aws.dynamo.DynamoStore.n;
import static dev.vigil.aws.dynamo.DynamoStore.s;
import static dev.vigil.aws.dynamo.DynamoStore.sortTime;
import static dev.vigil.aws.dynamo.DynamoStore.str;

import dev.vigil.core.store.RuntimeStore.PendingDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Notifications to retry, as two items changed together in one transaction: the state {@code delivery#<finding id>} /
 * {@code <target>} (attempts, next try, last error, and the sort key of its queue entry), and a queue entry in the
 * partition {@code deliveries#due} sorted by next try ({@code <time>#<finding id>#<target>}), so the due ones are one
 * {@code Query} oldest first. {@code attempts} guards every change (optimistic concurrency): a change that lost a race
 * reads the state again and retries.
 */
final class DeliveryItems {
    static final String DUE = "deliveries#due";
    static final int MAX_ERROR = 8 * 1024;
    private static final int ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String table;

    DeliveryItems(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static Map<String, AttributeValue> stateKey(String findingId, String target) {
        return Map.of("pk", s("delivery#" + findingId), "sk", s(target));
    }

    static String dueSk(Instant next, String findingId, String target) {
        return sortTime(next) + "#" + findingId + "#" + target;
    }

    /** The two items of a notification that failed its first try: due again at {@code next}. */
    static List<Map<String, AttributeValue>> firstFailure(String findingId, String target, String error, Instant next) {
        String dueSk = dueSk(next, findingId, target);
        return List.of(state(findingId, target, 1, next, error, dueSk), entry(dueSk, findingId, target, 1, error));
    }

    private static Map<String, AttributeValue> state(String findingId, String target, int attempts, Instant next, String error, String dueSk) {
        Map<String, AttributeValue> item = new HashMap<>(stateKey(findingId, target));
        item.put("finding_id", s(findingId));
        item.put("target", s(target));
        item.put("attempts", n(attempts));
        item.put("next_at", s(next.toString()));
        item.put("last_error", s(cut(error, MAX_ERROR)));
        item.put("due_sk", s(dueSk));
        return item;
    }

    private static Map<String, AttributeValue> entry(String dueSk, String findingId, String target, int attempts, String error) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(DUE));
        item.put("sk", s(dueSk));
        item.put("finding_id", s(findingId));
        item.put("target", s(target));
        item.put("attempts", n(attempts));
        item.put("last_error", s(cut(error, MAX_ERROR)));
        return item;
    }

    List<PendingDelivery> due(Instant now, int limit) {
        List<PendingDelivery> out = new ArrayList<>();
        if (limit <= 0) return out;
        String bound = sortTime(now) + "$"; // '$' sorts after '#': every entry due at or before now
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            int want = limit - out.size();
            QueryResponse r;
            try {
                r = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :p AND sk < :b")
                        .expressionAttributeValues(Map.of(":p", s(DUE), ":b", s(bound)))
                        .consistentRead(true).scanIndexForward(true).limit(want).exclusiveStartKey(from));
            } catch (SdkException e) {
                throw DynamoStore.failure(table, "query due deliveries", DUE, e);
            }
            for (var item : r.items()) {
                if (out.size() < limit) {
                    out.add(new PendingDelivery(str(item, "finding_id"), str(item, "target"),
                            Integer.parseInt(item.get("attempts").n()), str(item, "last_error")));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && out.size() < limit);
        return out;
    }

    /** Counts one more failed try and moves the entry to {@code next}; nothing when the delivery is done already. */
    void failed(PendingDelivery d, String error, Instant next) {
        String what = d.findingId() + " " + d.target();
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> old = read(d, "delivery failed");
            if (old == null) return;
            int attempts = Integer.parseInt(old.get("attempts").n()) + 1;
            String oldSk = str(old, "due_sk");
            String newSk = dueSk(next, d.findingId(), d.target());
            List<TransactWriteItem> ops = new ArrayList<>();
            ops.add(put(state(d.findingId(), d.target(), attempts, next, error, newSk), old.get("attempts")));
            if (!newSk.equals(oldSk)) ops.add(deleteEntry(oldSk));
            ops.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                    .item(entry(newSk, d.findingId(), d.target(), attempts, error)).build()).build());
            if (transact(ops, "delivery failed", what, attempt)) return;
        }
    }

    /** Forgets the delivery (sent, or given up); nothing when it is gone already. */
    void done(PendingDelivery d) {
        String what = d.findingId() + " " + d.target();
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> old = read(d, "delivery done");
            if (old == null) return;
            List<TransactWriteItem> ops = List.of(
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(stateKey(d.findingId(), d.target()))
                            .conditionExpression("attempts = :a").expressionAttributeValues(Map.of(":a", old.get("attempts"))).build()).build(),
                    deleteEntry(str(old, "due_sk")));
            if (transact(ops, "delivery done", what, attempt)) return;
        }
    }

    private Map<String, AttributeValue> read(PendingDelivery d, String op) {
        try {
            var r = dynamo.getItem(b -> b.tableName(table).key(stateKey(d.findingId(), d.target())).consistentRead(true));
            return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
        } catch (SdkException e) {
            throw DynamoStore.failure(table, op, d.findingId() + " " + d.target(), e);
        }
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, AttributeValue oldAttempts) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attempts = :a").expressionAttributeValues(Map.of(":a", oldAttempts)).build()).build();
    }

    private TransactWriteItem deleteEntry(String dueSk) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(Map.of("pk", s(DUE), "sk", s(dueSk))).build()).build();
    }

    private boolean transact(List<TransactWriteItem> ops, String op, String what, int attempt) {
        return DynamoStore.transactOrRaced(dynamo, table, ops, op, what, attempt, ATTEMPTS);
    }
}
