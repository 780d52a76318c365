package dev.vigil.aws.dynamo;

import dev.vigil.core.engine.TimerStore;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.store.RuntimeStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
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
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * vigil's live state in one DynamoDB table ({@code pk} string hash key, {@code sk} string range key, TTL on the number
 * attribute {@code ttl}), the whole {@link RuntimeStore} port of the Lambda functions: action-ledger claims by
 * conditional write, processed-event keys with a TTL, findings (see {@link FindingItems}) with the applied disruptive
 * actions ({@link AppliedItems}) and failed notifications ({@link DeliveryItems}) they leave, rejected messages, and
 * timers (given, e.g. {@link SchedulerTimers}, or else in the table: {@link DynamoTimers}). Layout and semantics:
 * {@code docs/aws-state.md}.
 *
 * <p>A claim is in progress under a lease: if its holder dies before completing, another caller may take the key over
 * once the lease has run out. Only the holder (this store instance) completes or releases its claim, so a holder that
 * lost its lease cannot overwrite the new holder's record. A claim found in progress past its lease is answered as
 * {@code interrupted} (what its holder did is unknown): the responder checks the account and takes it over with
 * {@link #retake} only to act again. (The embedded store marks such claims {@code interrupted} when it is opened
 * again; here there is no "opened again": Lambda instances come and go while others hold claims, so
 * {@link #interruptedAtOpen()} is always 0.)
 *
 * <p>Every write is durable when its call returns, so {@link #commit()} has nothing to do.
 */
public final class DynamoStore implements RuntimeStore {
    static final String IN_PROGRESS = "in-progress";
    /** How much of a rejected message's body is kept (UTF-8 bytes): well under DynamoDB's 400 KB item limit. */
    static final int MAX_REJECTED_BODY = 256 * 1024;
    static final int MAX_REJECTED_ERROR = 8 * 1024;
    private static final int CLAIM_ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoSettings settings;
    /**
     * The holder token of each claim this instance holds, made per claim: instances restored from one SnapStart
     * snapshot share every field made before it, so a token made once per instance would be shared by all of them.
     */
    private final Map<String, String> held = new java.util.concurrent.ConcurrentHashMap<>();
    private final FindingItems findings;
    private final AppliedItems applied;
    private final DeliveryItems deliveries;
    private final TimerStore timers;

    /** Default settings; timers in the table itself ({@link DynamoTimers}). */
    public DynamoStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, DynamoSettings.defaults());
    }

    /** Timers in the table itself ({@link DynamoTimers}): durable, taken under a lease, pulled by the engine. */
    public DynamoStore(DynamoDbClient dynamo, String table, DynamoSettings settings) {
        this(dynamo, table, settings, null);
    }

    /**
     * @param timers what {@link #timers()} returns: in Lambda the {@link SchedulerTimers} (EventBridge Scheduler); null
     *     for timers kept in the table ({@link DynamoTimers})
     */
    public DynamoStore(DynamoDbClient dynamo, String table, DynamoSettings settings, TimerStore timers) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        if (table == null || table.isBlank()) throw new IllegalArgumentException("DynamoDB table name is empty");
        this.table = table;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.deliveries = new DeliveryItems(dynamo, table);
        this.findings = new FindingItems(dynamo, table, settings, deliveries);
        this.applied = new AppliedItems(dynamo, table, settings);
        this.timers = timers != null ? timers : new DynamoTimers(dynamo, table, settings);
    }

    @Override
    public String name() {
        return table;
    }

    @Override
    public TimerStore timers() {
        return timers;
    }

    /** Every function instance writes this table: the blast-radius count is read again at each event. */
    @Override
    public boolean shared() {
        return true;
    }

    /** Nothing to do: each write is durable (acknowledged by DynamoDB) when its call returns. */
    @Override
    public void commit() {}

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
        return claim(key, policy, rule, at, Map.of());
    }

    /**
     * The undo known before the first attempt is kept in the claim item ({@code undo}, JSON), written with the claim
     * itself; {@link #retake} leaves it as it is, so every later attempt restores what was there before the first.
     */
    @Override
    public Optional<Claim> claim(String key, String policy, String rule, Instant at, Map<String, Object> undo) {
        String kept = undo == null || undo.isEmpty() ? null : FindingCodec.json(undo);
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            Instant now = settings.clock().instant();
            Map<String, AttributeValue> item = new HashMap<>(claimKey(key));
            item.put("policy", s(policy));
            item.put("rule", s(rule));
            item.put("claimed_at", s(at.toString()));
            item.put("status", s(IN_PROGRESS));
            item.put("lease_until", n(now.plus(settings.lease()).toEpochMilli()));
            String token = UUID.randomUUID().toString();
            item.put("holder", s(token));
            if (kept != null) item.put("undo", s(kept));
            try {
                dynamo.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                held.put(key, token);
                return Optional.empty();
            } catch (ConditionalCheckFailedException e) {
                Map<String, AttributeValue> old = e.hasItem() && !e.item().isEmpty() ? e.item() : readClaim(key);
                if (old != null) {
                    Claim c = toClaim(key, old);
                    // in progress past its lease: its holder stopped before the call answered, or is stuck; what it
                    // did is unknown until the account is checked ({@link #retake} takes it over to act again)
                    if (IN_PROGRESS.equals(c.status()) && old.containsKey("lease_until")
                            && Long.parseLong(old.get("lease_until").n()) < now.toEpochMilli()) {
                        return Optional.of(new Claim(key, c.policy(), c.findingRule(), c.at(), INTERRUPTED));
                    }
                    return Optional.of(c);
                }
                // released between our write and our read: try again
            } catch (SdkException e) {
                throw failure("claim", key, e);
            }
        }
        throw new DynamoStoreException("dynamodb claim on table " + table + " for " + key
                + ": the claim kept changing hands over " + CLAIM_ATTEMPTS + " attempts", null);
    }

    /** Takes over a claim whose lease ran out (see {@link #claim}): true when this instance now holds it. */
    @Override
    public boolean retake(String key) {
        Instant now = settings.clock().instant();
        String token = UUID.randomUUID().toString();
        try {
            dynamo.updateItem(b -> b.tableName(table).key(claimKey(key))
                    .updateExpression("SET holder = :me, lease_until = :until")
                    .conditionExpression("#s = :inprogress AND lease_until < :now")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":me", s(token), ":until", n(now.plus(settings.lease()).toEpochMilli()),
                            ":inprogress", s(IN_PROGRESS), ":now", n(now.toEpochMilli()))));
            held.put(key, token);
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // completed, released or taken over by another meanwhile
        } catch (SdkException e) {
            throw failure("retake", key, e);
        }
    }

    @Override
    public void complete(String key, String status) {
        String holder = held.remove(key);
        if (holder == null) return; // not claimed by this instance: nothing of ours to complete
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

    /** The call's outcome and the finding it answered are kept in the claim item ({@code outcome}, {@code finding_id}). */
    @Override
    public void complete(String key, String status, Outcome outcome, String findingId) {
        if (outcome == null || findingId == null) {
            complete(key, status);
            return;
        }
        String holder = held.remove(key);
        if (holder == null) return;
        Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("status", outcome.status().label());
        o.put("detail", outcome.detail() == null ? "" : outcome.detail());
        o.put("undo", outcome.undo());
        try {
            dynamo.updateItem(b -> b.tableName(table).key(claimKey(key))
                    .updateExpression("SET #s = :status, completed_at = :now, outcome = :o, finding_id = :f REMOVE lease_until")
                    .conditionExpression("holder = :me AND #s = :inprogress")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":status", s(status), ":now", s(settings.clock().instant().toString()),
                            ":me", s(holder), ":inprogress", s(IN_PROGRESS), ":o", s(FindingCodec.json(o)), ":f", s(findingId))));
        } catch (ConditionalCheckFailedException e) {
            // not ours any more: the new holder's record stands
        } catch (SdkException e) {
            throw failure("complete", key, e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Outcome> outcome(String key, String findingId) {
        if (findingId == null) return Optional.empty();
        Map<String, AttributeValue> item;
        try {
            item = readClaim(key);
        } catch (SdkException e) {
            throw failure("read claim", key, e);
        }
        if (item == null || !item.containsKey("outcome") || !findingId.equals(str(item, "finding_id"))) return Optional.empty();
        Map<String, Object> m = FindingCodec.map(item.get("outcome").s(), "claim#" + key);
        dev.vigil.core.finding.ActionStatus st = null;
        for (var x : dev.vigil.core.finding.ActionStatus.values()) if (x.label().equals(String.valueOf(m.get("status")))) st = x;
        if (st == null) return Optional.empty();
        Object undo = m.get("undo");
        return Optional.of(new Outcome(st, String.valueOf(m.get("detail")), undo instanceof Map<?, ?> u ? (Map<String, Object>) u : Map.of()));
    }

    /**
     * Blast-radius slots: one item per account, {@code blast#<account>} / {@code slots}, holding {@code taken} (a list
     * of {@code <until epoch ms>:<token>}, one per disruptive action in the window) and {@code version} (N). A take reads
     * it (consistent {@code GetItem}), drops the entries past their time, and, below {@code max}, writes it back with one
     * more entry on condition the version is unchanged ({@code attribute_not_exists(pk) OR version = :v}); a lost race
     * reads again (at most 10 times). So the check and the take are one conditional write: of two processes racing for
     * the last slot exactly one gets it. Two calls per take, whatever the count; a give-back removes its entry the same way.
     */
    private final dev.vigil.core.response.BlastSlots slots = new dev.vigil.core.response.BlastSlots() {
        @Override
        public Optional<Slot> take(String account, Instant now, java.time.Duration window, int max) {
            String token = UUID.randomUUID().toString();
            long until = now.toEpochMilli() + window.toMillis();
            Optional<Slot>[] out = new Optional[1];
            changeSlots(account, "take blast-radius slot", taken -> {
                taken.removeIf(e -> Long.parseLong(e.substring(0, e.indexOf(':'))) <= now.toEpochMilli());
                if (taken.size() >= max) {
                    out[0] = Optional.empty();
                    return false;
                }
                taken.add(until + ":" + token);
                out[0] = Optional.of(new Slot(account, taken.size() - 1, token));
                return true;
            }, until);
            return out[0];
        }

        @Override
        public void giveBack(Slot slot) {
            changeSlots(slot.account(), "give back blast-radius slot", taken -> taken.removeIf(e -> e.endsWith(":" + slot.token())), 0);
        }
    };

    /** Reads an account's slots, lets {@code change} edit them (false: nothing to write), writes them back if unchanged meanwhile. */
    private void changeSlots(String account, String op, java.util.function.Predicate<List<String>> change, long until) {
        Map<String, AttributeValue> key = Map.of("pk", s("blast#" + account), "sk", s("slots"));
        for (int attempt = 0; attempt < 10; attempt++) {
            Map<String, AttributeValue> item;
            try {
                var r = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true));
                item = r.hasItem() && !r.item().isEmpty() ? r.item() : null;
            } catch (SdkException e) {
                throw failure(op, "blast#" + account, e);
            }
            List<String> taken = new java.util.ArrayList<>();
            long version = 0;
            long ttl = until / 1000 + 86_400;
            if (item != null) {
                if (item.containsKey("taken")) taken.addAll(item.get("taken").ss());
                version = Long.parseLong(item.get("version").n());
                if (item.containsKey("ttl")) ttl = Math.max(ttl, Long.parseLong(item.get("ttl").n()));
            }
            if (!change.test(taken)) return;
            Map<String, AttributeValue> next = new HashMap<>(key);
            next.put("version", n(version + 1));
            next.put("ttl", n(ttl));
            if (!taken.isEmpty()) next.put("taken", AttributeValue.fromSs(taken));
            long v = version;
            try {
                dynamo.putItem(b -> b.tableName(table).item(next).conditionExpression("attribute_not_exists(pk) OR version = :v")
                        .expressionAttributeValues(Map.of(":v", n(v))));
                return;
            } catch (ConditionalCheckFailedException e) {
                // another process changed them meanwhile: read again
            } catch (SdkException e) {
                throw failure(op, "blast#" + account, e);
            }
        }
        throw new DynamoStoreException("dynamodb " + op + " on table " + table + " for blast#" + account + ": changed by others 10 times in a row", null);
    }

    @Override
    public Optional<dev.vigil.core.response.BlastSlots> blastSlots() {
        return Optional.of(slots);
    }

    @Override
    public void release(String key) {
        String holder = held.remove(key);
        if (holder == null) return; // not claimed by this instance
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

    /**
     * Undo re-arms: the completed claim of an undone action is deleted, whoever made it, so the next incident on the
     * same resource acts again. A claim in progress (someone acting now) is left alone.
     */
    public void rearm(String key) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(claimKey(key))
                    .conditionExpression("attribute_exists(pk) AND #s <> :inprogress")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":inprogress", s(IN_PROGRESS))));
        } catch (ConditionalCheckFailedException e) {
            // gone already, or being acted on now
        } catch (SdkException e) {
            throw failure("re-arm", key, e);
        }
    }

    /** The ledger's record for a key, read consistently, without claiming it. */
    public Optional<Claim> claimOf(String key) {
        try {
            Map<String, AttributeValue> item = readClaim(key);
            return item == null ? Optional.empty() : Optional.of(toClaim(key, item));
        } catch (SdkException e) {
            throw failure("read claim", key, e);
        }
    }

    @Override
    public Map<String, Object> kept(String key) {
        try {
            Map<String, AttributeValue> item = readClaim(key);
            return item == null || !item.containsKey("undo") ? Map.of() : FindingCodec.map(item.get("undo").s(), "claim#" + key);
        } catch (SdkException e) {
            throw failure("read claim", key, e);
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

    @Override
    public boolean isProcessed(String key) {
        try {
            var r = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s("event#" + key), "sk", s("event"))).consistentRead(true));
            if (!r.hasItem() || r.item().isEmpty()) return false;
            AttributeValue ttl = r.item().get("ttl");
            // past its TTL it counts as forgotten, as markFirst treats it
            return ttl == null || Long.parseLong(ttl.n()) >= settings.clock().instant().getEpochSecond();
        } catch (SdkException e) {
            throw failure("read processed event", key, e);
        }
    }

    /**
     * Does nothing and returns 0: processed-event items carry a TTL ({@link DynamoSettings#eventRetention()}) and
     * DynamoDB deletes them; an item past its TTL already counts as forgotten.
     */
    @Override
    public int forgetProcessedBefore(Instant cutoff) {
        return 0;
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

    @Override
    public void notifyOutcome(String findingId, String target, dev.vigil.core.finding.ActionStatus status, String detail) {
        findings.notifyOutcome(findingId, target, status, detail);
    }

    // ---- what findings leave for later

    @Override
    public List<AppliedAction> disruptiveAppliedSince(Instant from) {
        return applied.since(from);
    }

    @Override
    public List<PendingDelivery> dueDeliveries(Instant now, String target, int limit) {
        return deliveries.due(now, target, limit);
    }

    @Override
    public List<PendingDelivery> dueDeliveriesExcept(Instant now, java.util.Set<String> except, int limit) {
        return deliveries.dueExcept(now, except, limit);
    }

    @Override
    public void deliveryFailed(PendingDelivery d, String error, Instant next) {
        deliveries.failed(d, error, next);
    }

    @Override
    public void deliveryDone(PendingDelivery d) {
        deliveries.done(d);
    }

    // ---- rejected messages

    /**
     * Keeps the message as {@code rejected#<message id>} (the first time only). A body over {@link #MAX_REJECTED_BODY}
     * UTF-8 bytes is cut there (at a character boundary) and marked {@code body_truncated}; {@code body_bytes} and
     * {@code body_sha256} always describe the whole body. Kept as long as findings.
     */
    @Override
    public void reject(String messageId, String source, String body, String error) {
        String text = body == null ? "" : body;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String kept = cutUtf8(text, MAX_REJECTED_BODY);
        Instant now = settings.clock().instant();
        Map<String, AttributeValue> item = new HashMap<>(rejectedKey(messageId));
        item.put("message_id", s(messageId));
        item.put("source", s(source));
        item.put("body", s(kept));
        item.put("body_bytes", n(bytes.length));
        item.put("body_sha256", s(sha256(bytes)));
        item.put("body_truncated", AttributeValue.fromBool(kept.length() < text.length()));
        item.put("error", s(cut(error, MAX_REJECTED_ERROR)));
        item.put("at", s(now.toString()));
        item.put("ttl", n(now.plus(settings.findingRetention()).getEpochSecond()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            // rejected before: the first record stands
        } catch (SdkException e) {
            throw failure("reject message", messageId, e);
        }
    }

    /** A rejected message as {@link #reject} kept it, if it did. */
    public Optional<RejectedMessage> rejected(String messageId) {
        try {
            var r = dynamo.getItem(b -> b.tableName(table).key(rejectedKey(messageId)).consistentRead(true));
            if (!r.hasItem() || r.item().isEmpty()) return Optional.empty();
            var i = r.item();
            return Optional.of(new RejectedMessage(str(i, "message_id"), str(i, "source"), str(i, "body"),
                    Boolean.TRUE.equals(i.get("body_truncated").bool()), Long.parseLong(i.get("body_bytes").n()),
                    str(i, "body_sha256"), str(i, "error"), Instant.parse(str(i, "at"))));
        } catch (SdkException e) {
            throw failure("read rejected message", messageId, e);
        }
    }

    /**
     * A kept queue message that held no readable event.
     *
     * @param body the body, or its first {@link #MAX_REJECTED_BODY} bytes when {@code truncated}
     * @param bytes the whole body's length in UTF-8 bytes
     * @param sha256 hex SHA-256 of the whole body's UTF-8 bytes
     */
    public record RejectedMessage(String messageId, String source, String body, boolean truncated, long bytes, String sha256,
                                  String error, Instant at) {}

    private static Map<String, AttributeValue> rejectedKey(String messageId) {
        if (messageId == null || messageId.isEmpty()) throw new IllegalArgumentException("a rejected message needs an id");
        return Map.of("pk", s("rejected#" + messageId), "sk", s("rejected"));
    }

    /** The longest prefix of {@code s} whose UTF-8 encoding fits in {@code maxBytes}, never splitting a character. */
    static String cutUtf8(String s, int maxBytes) {
        if (s.length() * 3L <= maxBytes) return s;
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) return s.substring(0, i);
            bytes += len;
            i += Character.charCount(cp);
        }
        return s;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers shared with the item classes ----

    /** Fixed width, so string order is time order (sort keys). */
    static String sortTime(Instant t) {
        return FindingItems.SORT_TIME.format(t);
    }

    static String cut(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max);
    }

    /**
     * Writes {@code ops} in one transaction: true when written; false when a concurrent change got there first (the
     * caller reads again and retries, up to {@code maxAttempts}); any other failure, or a race past the last attempt,
     * is a {@link DynamoStoreException}.
     */
    static boolean transactOrRaced(DynamoDbClient dynamo, String table, List<TransactWriteItem> ops, String op, String what,
            int attempt, int maxAttempts) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(ops));
            return true;
        } catch (TransactionCanceledException e) {
            List<String> codes = cancelCodes(e);
            boolean raced = codes.contains("ConditionalCheckFailed") || codes.contains("TransactionConflict");
            if (!raced || attempt >= maxAttempts) throw failure(table, op, what, e);
            return false;
        } catch (SdkException e) {
            throw failure(table, op, what, e);
        }
    }

    static List<String> cancelCodes(TransactionCanceledException e) {
        return e.hasCancellationReasons() ? e.cancellationReasons().stream().map(CancellationReason::code).toList() : List.of();
    }

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
