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
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Notifications to send or retry, as two items changed together in one transaction: the state
 * {@code delivery#<finding id>} / {@code <target>} (attempts, next try, last error, and the key of its queue entry),
 * and a queue entry in the target's partition {@code deliveries#due#<target>} sorted by next try
 * ({@code <time>#<finding id>#<target>}), so a target's due deliveries are one {@code Query} oldest first and a target
 * that hangs never holds up another's. Each target with a queue has an item {@code deliveries#targets} /
 * {@code <target>} (put, never conditional), which the catch-all reads to find the queues of targets no longer
 * configured. Entries an older vigil wrote to the one queue {@code deliveries#due} (no {@code due_pk} in their state)
 * are read by the catch-all for every target, and move to their target's queue at their next failure.
 * {@code attempts} guards every change (optimistic concurrency): a change that lost a race reads the state again and
 * retries.
 */
final class DeliveryItems {
    /** The one queue of every target, as an older vigil wrote it: still read by the catch-all. */
    static final String DUE = "deliveries#due";
    static final String TARGETS = "deliveries#targets";
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

    /** The queue partition of {@code target}'s deliveries. */
    static String duePk(String target) {
        return DUE + "#" + target;
    }

    /** Targets this process has put in {@code deliveries#targets} already (those items are never deleted). */
    private final Set<String> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Makes {@code target}'s queue known to the catch-all, before an entry is written to it (once per process). */
    void register(String target) {
        if (registered.contains(target)) return;
        try {
            dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s(TARGETS), "sk", s(target), "target", s(target))));
        } catch (SdkException e) {
            throw DynamoStore.failure(table, "register delivery target", target, e);
        }
        registered.add(target);
    }

    static String dueSk(Instant next, String findingId, String target) {
        return sortTime(next) + "#" + findingId + "#" + target;
    }

    /**
     * The two items of a notification to send or retry, due at {@code next}; written only if absent, after
     * {@link #register} of the target.
     */
    static List<Map<String, AttributeValue>> pending(String findingId, String target, int attempts, String error, Instant next) {
        String dueSk = dueSk(next, findingId, target);
        return List.of(state(findingId, target, attempts, next, error, dueSk), entry(dueSk, findingId, target, attempts, error));
    }

    private static Map<String, AttributeValue> state(String findingId, String target, int attempts, Instant next, String error, String dueSk) {
        Map<String, AttributeValue> item = new HashMap<>(stateKey(findingId, target));
        item.put("finding_id", s(findingId));
        item.put("target", s(target));
        item.put("attempts", n(attempts));
        item.put("next_at", s(next.toString()));
        item.put("last_error", s(cut(error, MAX_ERROR)));
        item.put("due_pk", s(duePk(target)));
        item.put("due_sk", s(dueSk));
        return item;
    }

    private static Map<String, AttributeValue> entry(String dueSk, String findingId, String target, int attempts, String error) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(duePk(target)));
        item.put("sk", s(dueSk));
        item.put("finding_id", s(findingId));
        item.put("target", s(target));
        item.put("attempts", n(attempts));
        item.put("last_error", s(cut(error, MAX_ERROR)));
        return item;
    }

    /** {@code target}'s deliveries due at {@code now}, oldest first. */
    List<PendingDelivery> due(Instant now, String target, int limit) {
        List<PendingDelivery> out = new ArrayList<>();
        for (var item : queue(duePk(target), now, limit)) out.add(delivery(item));
        return out;
    }

    /**
     * The deliveries due at {@code now} to targets not in {@code except} (their queues found through
     * {@code deliveries#targets}), and every entry of the older one queue, oldest first.
     */
    List<PendingDelivery> dueExcept(Instant now, Set<String> except, int limit) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        if (limit <= 0) return List.of();
        for (String target : targets()) {
            if (!except.contains(target)) items.addAll(queue(duePk(target), now, limit));
        }
        items.addAll(queue(DUE, now, limit));
        items.sort(java.util.Comparator.comparing(i -> str(i, "sk")));
        List<PendingDelivery> out = new ArrayList<>();
        for (var item : items.subList(0, Math.min(limit, items.size()))) out.add(delivery(item));
        return out;
    }

    private static PendingDelivery delivery(Map<String, AttributeValue> item) {
        return new PendingDelivery(str(item, "finding_id"), str(item, "target"), Integer.parseInt(item.get("attempts").n()), str(item, "last_error"));
    }

    /** The targets that have (or had) a queue. */
    private List<String> targets() {
        List<String> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r;
            try {
                r = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                        .expressionAttributeValues(Map.of(":p", s(TARGETS))).consistentRead(true).exclusiveStartKey(from));
            } catch (SdkException e) {
                throw DynamoStore.failure(table, "query delivery targets", TARGETS, e);
            }
            for (var item : r.items()) out.add(str(item, "sk"));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** The entries of the queue partition {@code pk} due at {@code now}, oldest first, at most {@code limit}. */
    private List<Map<String, AttributeValue>> queue(String pk, Instant now, int limit) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        if (limit <= 0) return out;
        String bound = sortTime(now) + "$"; // '$' sorts after '#': every entry due at or before now
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            int want = limit - out.size();
            QueryResponse r;
            try {
                r = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :p AND sk < :b")
                        .expressionAttributeValues(Map.of(":p", s(pk), ":b", s(bound)))
                        .consistentRead(true).scanIndexForward(true).limit(want).exclusiveStartKey(from));
            } catch (SdkException e) {
                throw DynamoStore.failure(table, "query due deliveries", pk, e);
            }
            for (var item : r.items()) {
                if (out.size() < limit) out.add(item);
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
            String oldPk = duePkOf(old);
            register(d.target()); // moving from the older one queue, say
            String oldSk = str(old, "due_sk");
            String newPk = duePk(d.target());
            String newSk = dueSk(next, d.findingId(), d.target());
            List<TransactWriteItem> ops = new ArrayList<>();
            ops.add(put(state(d.findingId(), d.target(), attempts, next, error, newSk), old.get("attempts")));
            if (!newSk.equals(oldSk) || !newPk.equals(oldPk)) ops.add(deleteEntry(oldPk, oldSk));
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
                    deleteEntry(duePkOf(old), str(old, "due_sk")));
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

    private TransactWriteItem deleteEntry(String duePk, String dueSk) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(Map.of("pk", s(duePk), "sk", s(dueSk))).build()).build();
    }

    /** The queue partition a delivery's entry is in: its target's, or the older one queue when its state names none. */
    private static String duePkOf(Map<String, AttributeValue> state) {
        String pk = str(state, "due_pk");
        return pk == null || pk.isEmpty() ? DUE : pk;
    }

    private boolean transact(List<TransactWriteItem> ops, String op, String what, int attempt) {
        return DynamoStore.transactOrRaced(dynamo, table, ops, op, what, attempt, ATTEMPTS);
    }
}
