package dev.vigil.aws.dynamo;

import static dev.vigil.aws.dynamo.DynamoStore.n;
import static dev.vigil.aws.dynamo.DynamoStore.s;
import static dev.vigil.aws.dynamo.DynamoStore.str;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Findings as two items written in one transaction: {@code finding#<id>} for {@code find(id)}, and an entry in the
 * finding's UTC day partition {@code findings#<yyyy-MM-dd>} sorted by time (fixed-width, so string order is time
 * order) for {@code recent(limit)}, which queries newest first from tomorrow (clock skew) back {@code recentDays}.
 * Both puts are conditional on the item not existing, so a finding made again (same {@link Finding#id()}) keeps the
 * first record, including its actions. The same transaction records what the actions leave for later, as the embedded
 * store does: each applied disruptive action ({@link AppliedItems}) and each notification target that failed
 * ({@link DeliveryItems}, first retry 30 s later).
 */
final class FindingItems {
    static final DateTimeFormatter SORT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int SAVE_ATTEMPTS = 3;
    /** DynamoDB's limit of items in one {@code TransactWriteItems}. */
    static final int MAX_TRANSACTION = 100;
    /** A failed notification is tried again this long after it was recorded (as the embedded store does). */
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoSettings settings;

    private final DeliveryItems deliveries;

    FindingItems(DynamoDbClient dynamo, String table, DynamoSettings settings, DeliveryItems deliveries) {
        this.deliveries = deliveries;
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
        Instant now = settings.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        long ttl = now.plus(settings.findingRetention()).getEpochSecond();
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

        // what the finding's actions leave for later, in groups that must be written together
        List<List<Map<String, AttributeValue>>> side = new ArrayList<>();
        Set<String> failedTargets = new HashSet<>();
        for (int seq = 0; seq < f.actions().size(); seq++) {
            ActionResult a = f.actions().get(seq);
            if (AppliedItems.counts(a)) side.add(List.of(AppliedItems.item(f, seq, a, now, ttl)));
            if ("notify".equals(a.type()) && a.status() == ActionStatus.FAILED && failedTargets.add(a.target())) {
                side.add(DeliveryItems.pending(id, a.target(), 1, a.detail(), now.plus(FIRST_RETRY)));
            } else if ("notify".equals(a.type()) && a.status() == ActionStatus.QUEUED && failedTargets.add(a.target())) {
                side.add(DeliveryItems.pending(id, a.target(), 0, a.detail(), now)); // a daemon's delivery worker: due at once, not tried yet (as in SQLite)
            }
        }
        for (String target : failedTargets) deliveries.register(target); // the catch-all finds the target's queue even if we crash next
        List<List<TransactWriteItem>> batches = new ArrayList<>();
        List<TransactWriteItem> first = new ArrayList<>(List.of(putIfAbsent(byId), putIfAbsent(byDay)));
        batches.add(first);
        for (var group : side) {
            List<TransactWriteItem> current = batches.get(batches.size() - 1);
            if (current.size() + group.size() > MAX_TRANSACTION) batches.add(current = new ArrayList<>());
            for (var item : group) current.add(putIfAbsent(item));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(first));
                break;
            } catch (TransactionCanceledException e) {
                List<String> codes = DynamoStore.cancelCodes(e);
                if (codes.contains("ConditionalCheckFailed")) return; // saved before: keep the first record
                if (!codes.contains("TransactionConflict") || attempt >= SAVE_ATTEMPTS) {
                    throw DynamoStore.failure(table, "save finding", id, e);
                }
                // a concurrent save of the same finding: the retry sees its result
            } catch (SdkException e) {
                throw DynamoStore.failure(table, "save finding", id, e);
            }
        }
        // only a finding with more than 98 such items gets here: the rest follow the finding (see docs/aws-state.md)
        for (var batch : batches.subList(1, batches.size())) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(batch));
            } catch (TransactionCanceledException e) {
                if (!DynamoStore.cancelCodes(e).contains("ConditionalCheckFailed")) {
                    throw DynamoStore.failure(table, "save finding's actions", id, e);
                }
            } catch (SdkException e) {
                throw DynamoStore.failure(table, "save finding's actions", id, e);
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

    /**
     * Rewrites the finding's JSON in both its items with the notification's outcome, in one transaction guarded by the
     * {@code rev} the by-id item was read with (absent: never rewritten), so two targets' workers (in two processes,
     * say) writing the same finding at once both land: the one that lost the race reads again and retries.
     */
    /** Each target's worker may write the same finding at once: enough tries for every one of them to land in turn. */
    private static final int OUTCOME_ATTEMPTS = 20;
    private static final Map<String, String> NAMES = Map.of("#j", "json", "#r", "rev");

    void notifyOutcome(String id, String target, ActionStatus status, String detail) {
        Map<String, AttributeValue> byIdKey = Map.of("pk", s("finding#" + id), "sk", s("finding"));
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item;
            try {
                var r = dynamo.getItem(b -> b.tableName(table).key(byIdKey).consistentRead(true));
                if (!r.hasItem() || r.item().isEmpty()) return; // gone (its retention ran out): nothing to say it on
                item = r.item();
            } catch (SdkException e) {
                throw DynamoStore.failure(table, "read finding", id, e);
            }
            Finding f = FindingCodec.read(str(item, "json"), "finding#" + id);
            Finding updated = dev.vigil.core.store.FindingLog.withNotifyOutcome(f, target, status, detail);
            if (updated.equals(f)) return;
            AttributeValue rev = item.get("rev");
            long next = rev == null ? 1 : Long.parseLong(rev.n()) + 1;
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":j", s(FindingCodec.write(updated)), ":n", n(next)));
            String guard;
            if (rev == null) {
                guard = "attribute_not_exists(#r)";
            } else {
                guard = "#r = :r";
                values.put(":r", rev);
            }
            Map<String, AttributeValue> byDayKey = Map.of("pk", s(dayPartition(f.time())), "sk", s(SORT_TIME.format(f.time()) + "#" + id));
            List<TransactWriteItem> ops = List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(table).key(byIdKey)
                            .updateExpression("SET #j = :j, #r = :n").conditionExpression(guard).expressionAttributeNames(NAMES)
                            .expressionAttributeValues(values).build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(table).key(byDayKey)
                            .updateExpression("SET #j = :j, #r = :n").conditionExpression("attribute_exists(pk)").expressionAttributeNames(NAMES)
                            .expressionAttributeValues(Map.of(":j", values.get(":j"), ":n", values.get(":n"))).build()).build());
            if (DynamoStore.transactOrRaced(dynamo, table, ops, "record notify outcome", id + " " + target, attempt, OUTCOME_ATTEMPTS)) return;
        }
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
