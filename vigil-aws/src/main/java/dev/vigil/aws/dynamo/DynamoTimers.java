package dev.vigil.aws.dynamo;

import static dev.vigil.aws.dynamo.DynamoStore.cancelCodes;
import static dev.vigil.aws.dynamo.DynamoStore.n;
import static dev.vigil.aws.dynamo.DynamoStore.s;
import static dev.vigil.aws.dynamo.DynamoStore.sortTime;
import static dev.vigil.aws.dynamo.DynamoStore.str;

import dev.vigil.core.engine.Timer;
import dev.vigil.core.engine.TimerStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Durable timers in the state table, for a {@link DynamoStore} given no other {@link TimerStore}. Each timer is two
 * items changed together in one transaction: its state {@code timer#<owner>} / {@code <key>} (due, data, a random
 * {@code version} replaced on every schedule, the sort key of its queue entry) and a queue entry in the partition
 * {@code timers#due} sorted by due time ({@code <due>#<hex of owner's UTF-8>#<key>}: ties by owner then key, as the
 * embedded store orders them), so the earliest due is one {@code Query}.
 *
 * <p>As in the embedded store, a timer {@link #takeNextDue} hands out stays stored until {@link #fired}, so a crash
 * while it fires makes it fire again. Taking it sets a lease ({@code taken_until}, {@link DynamoSettings#lease()}) on
 * the state by conditional update, so of several concurrent runtimes one takes it; if the taker dies, another takes it
 * once the lease ran out. {@link #fired} deletes only the version it took: a timer set again while firing is kept.
 */
final class DynamoTimers implements TimerStore {
    static final String DUE = "timers#due";
    private static final int ATTEMPTS = 5;
    private static final int PAGE = 25;

    private record Taken(String version, String dueSk) {}

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoSettings settings;
    private final Map<String, Taken> inFlight = new HashMap<>();

    DynamoTimers(DynamoDbClient dynamo, String table, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = table;
        this.settings = settings;
    }

    static Map<String, AttributeValue> stateKey(String owner, String key) {
        return Map.of("pk", s("timer#" + owner), "sk", s(key));
    }

    static String dueSk(Instant due, String owner, String key) {
        return sortTime(due) + "#" + HexFormat.of().formatHex(owner.getBytes(StandardCharsets.UTF_8)) + "#" + key;
    }

    private static String id(String owner, String key) {
        return owner + '\u0000' + key;
    }

    @Override
    public void schedule(Timer t) {
        requireKey(t.owner(), t.key());
        String newSk = dueSk(t.due(), t.owner(), t.key());
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> old = read(t.owner(), t.key(), "schedule timer");
            Map<String, AttributeValue> state = new HashMap<>(stateKey(t.owner(), t.key()));
            state.put("owner", s(t.owner()));
            state.put("key", s(t.key()));
            state.put("due", s(t.due().toString()));
            Map<String, AttributeValue> data = new HashMap<>();
            t.data().forEach((k, v) -> data.put(k, s(v)));
            state.put("data", AttributeValue.fromM(data));
            String version = UUID.randomUUID().toString();
            state.put("version", s(version));
            state.put("due_sk", s(newSk));
            Put.Builder put = Put.builder().tableName(table).item(state);
            if (old == null) {
                put.conditionExpression("attribute_not_exists(pk)");
            } else {
                put.conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", old.get("version")));
            }
            List<TransactWriteItem> ops = new ArrayList<>();
            ops.add(TransactWriteItem.builder().put(put.build()).build());
            if (old != null && !newSk.equals(str(old, "due_sk"))) ops.add(deleteEntry(str(old, "due_sk")));
            ops.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(Map.of("pk", s(DUE), "sk", s(newSk),
                    "owner", s(t.owner()), "key", s(t.key()), "version", s(version))).build()).build());
            if (transact(ops, "schedule timer", t.owner() + " " + t.key(), attempt)) return;
        }
    }

    @Override
    public void cancel(String owner, String key) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> old = read(owner, key, "cancel timer");
            if (old == null) return;
            if (transact(deleteBoth(owner, key, old.get("version"), str(old, "due_sk")), "cancel timer", owner + " " + key, attempt)) return;
        }
    }

    @Override
    public Optional<Timer> get(String owner, String key) {
        Map<String, AttributeValue> item = read(owner, key, "get timer");
        return item == null ? Optional.empty() : Optional.of(timer(item));
    }

    @Override
    public synchronized Optional<Timer> takeNextDue(Instant upTo) {
        String bound = sortTime(upTo) + "$"; // '$' sorts after '#': every entry due at or before upTo
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r;
            try {
                r = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :p AND sk < :b")
                        .expressionAttributeValues(Map.of(":p", s(DUE), ":b", s(bound)))
                        .consistentRead(true).scanIndexForward(true).limit(PAGE).exclusiveStartKey(from));
            } catch (SdkException e) {
                throw DynamoStore.failure(table, "query due timers", DUE, e);
            }
            for (var entry : r.items()) {
                String owner = str(entry, "owner");
                String key = str(entry, "key");
                Taken mine = inFlight.get(id(owner, key));
                if (mine != null && mine.version().equals(str(entry, "version"))) continue; // handed out already, not fired yet
                Optional<Timer> t = take(owner, key, entry.get("version"), str(entry, "sk"));
                if (t.isPresent()) return t;
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return Optional.empty();
    }

    /** Leases the timer's current version to this store; empty when another has it, or it changed meanwhile. */
    private Optional<Timer> take(String owner, String key, AttributeValue version, String dueSk) {
        Instant now = settings.clock().instant();
        try {
            var r = dynamo.updateItem(b -> b.tableName(table).key(stateKey(owner, key))
                    .updateExpression("SET taken_until = :until, taker = :me")
                    .conditionExpression("version = :v AND (attribute_not_exists(taken_until) OR taken_until < :now)")
                    .expressionAttributeValues(Map.of(":until", n(now.plus(settings.lease()).toEpochMilli()), ":me", s(UUID.randomUUID().toString()), // per take: informational, and never shared by restored snapshots
                           
                            ":v", version, ":now", n(now.toEpochMilli())))
                    .returnValues(ReturnValue.ALL_NEW));
            inFlight.put(id(owner, key), new Taken(version.s(), dueSk));
            return Optional.of(timer(r.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw DynamoStore.failure(table, "take timer", owner + " " + key, e);
        }
    }

    @Override
    public synchronized void fired(Timer t) {
        Taken taken = inFlight.remove(id(t.owner(), t.key()));
        if (taken == null) return;
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(
                        deleteBoth(t.owner(), t.key(), s(taken.version()), taken.dueSk())));
                return;
            } catch (TransactionCanceledException e) {
                List<String> codes = cancelCodes(e);
                if (codes.contains("ConditionalCheckFailed")) return; // set again, or cancelled, meanwhile: that stands
                if (!codes.contains("TransactionConflict") || attempt >= ATTEMPTS) {
                    throw DynamoStore.failure(table, "timer fired", t.owner() + " " + t.key(), e);
                }
            } catch (SdkException e) {
                throw DynamoStore.failure(table, "timer fired", t.owner() + " " + t.key(), e);
            }
        }
    }

    @Override
    public Optional<Instant> nextDue() {
        QueryResponse r;
        try {
            r = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", s(DUE))).consistentRead(true).scanIndexForward(true).limit(1));
        } catch (SdkException e) {
            throw DynamoStore.failure(table, "query next due timer", DUE, e);
        }
        if (r.items().isEmpty()) return Optional.empty();
        var entry = r.items().get(0);
        String sk = str(entry, "sk");
        return Optional.of(Instant.parse(sk.substring(0, sk.indexOf('#'))));
    }

    private List<TransactWriteItem> deleteBoth(String owner, String key, AttributeValue version, String dueSk) {
        return List.of(TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(stateKey(owner, key))
                        .conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", version)).build()).build(),
                deleteEntry(dueSk));
    }

    private TransactWriteItem deleteEntry(String dueSk) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(Map.of("pk", s(DUE), "sk", s(dueSk))).build()).build();
    }

    private Map<String, AttributeValue> read(String owner, String key, String op) {
        requireKey(owner, key);
        try {
            var r = dynamo.getItem(b -> b.tableName(table).key(stateKey(owner, key)).consistentRead(true));
            return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
        } catch (SdkException e) {
            throw DynamoStore.failure(table, op, owner + " " + key, e);
        }
    }

    private static Timer timer(Map<String, AttributeValue> item) {
        Map<String, String> data = new HashMap<>();
        AttributeValue d = item.get("data");
        if (d != null && d.hasM()) d.m().forEach((k, v) -> data.put(k, v.s()));
        return new Timer(str(item, "owner"), str(item, "key"), Instant.parse(str(item, "due")), data);
    }

    private static void requireKey(String owner, String key) {
        if (owner == null || owner.isEmpty() || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a timer needs a non-empty owner and key: " + owner + " / " + key);
        }
    }

    private boolean transact(List<TransactWriteItem> ops, String op, String what, int attempt) {
        return DynamoStore.transactOrRaced(dynamo, table, ops, op, what, attempt, ATTEMPTS);
    }
}
