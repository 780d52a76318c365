package dev.vigil.aws.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.engine.InMemoryTimerStore;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.engine.TimerStore;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.response.ActionLedger.Claim;
import dev.vigil.core.store.RuntimeStore.AppliedAction;
import dev.vigil.core.store.RuntimeStore.PendingDelivery;
import dev.vigil.testing.Moto;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB store on moto's server (real requests through the SDK, conditional writes and transactions). */
@ExtendWith(Moto.class)
class DynamoStoreTest {
    /**
     * A fixed instant, far from the wall clock: DynamoDB deletes expired items only eventually (within days), so the
     * store must itself read an item past its TTL as gone, whatever the wall clock says; moto never sweeps.
     */
    private static final Instant T0 = Instant.parse("2026-11-23T10:15:30Z");
    private static final String DAY = T0.toString().substring(0, 10);
    private static DynamoDbClient dynamo;
    private static int tables;

    private String table;
    private MutableClock clock;
    private DynamoStore store;

    @BeforeAll
    static void client(Moto moto) {
        dynamo = moto.dynamo();
    }

    @AfterAll
    static void closeClient() {
        dynamo.close();
    }

    @BeforeEach
    void freshTable() {
        table = "vigil-test-" + (++tables);
        DynamoStore.createTable(dynamo, table);
        clock = new MutableClock(T0);
        store = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock));
    }

    @Test
    void tableHasKeysAndTtl() {
        var d = dynamo.describeTable(b -> b.tableName(table)).table();
        assertThat(d.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType()).containsExactly("pk:HASH", "sk:RANGE");
        var ttl = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo("ttl");
        assertThat(ttl.timeToLiveStatusAsString()).isIn("ENABLED", "ENABLING");
    }

    @Test
    void firstClaimWinsLaterClaimsSeeTheRecordAndItsOutcome() {
        assertThat(store.claim("revoke:sg-1:22", "sg-guard", "open-ssh", T0)).isEmpty();
        Optional<Claim> second = store.claim("revoke:sg-1:22", "other", "other-rule", T0.plusSeconds(5));
        assertThat(second).contains(new Claim("revoke:sg-1:22", "sg-guard", "open-ssh", T0, "in-progress"));

        store.complete("revoke:sg-1:22", "applied");
        assertThat(store.claim("revoke:sg-1:22", "other", "other-rule", T0.plusSeconds(9)))
                .contains(new Claim("revoke:sg-1:22", "sg-guard", "open-ssh", T0, "applied"));
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("claim#revoke:sg-1:22"),
                "sk", AttributeValue.fromS("claim"))).consistentRead(true)).item();
        assertThat(item).doesNotContainKey("lease_until").containsKey("completed_at");
    }

    @Test
    void completedClaimIsNeverTakenOverEvenLongAfterTheLease() {
        store.claim("k", "p", "r", T0);
        store.complete("k", "applied");
        clock.advance(Duration.ofDays(3));
        assertThat(store.claim("k", "p2", "r2", T0)).map(Claim::status).contains("applied");
    }

    @Test
    void theClaimHoldsForTheLeaseTheFunctionsAreGiven() {
        // the lease the template sets (VIGIL_CLAIM_LEASE_SECONDS), as the functions read it
        Duration lease = dev.vigil.lambda.LambdaSettings.from(java.util.Map.of("VIGIL_CLAIM_LEASE_SECONDS", "480")::get).lease();
        assertThat(lease).isEqualTo(Duration.ofSeconds(480));
        DynamoStore holder = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock).withLease(lease));
        assertThat(holder.claim("k", "p", "r", T0)).isEmpty();
        clock.advance(lease.minusMillis(1));
        assertThat(store.claim("k", "p2", "r2", T0)).map(Claim::status).as("within the lease").contains("in-progress");
        clock.advance(Duration.ofMillis(2));
        assertThat(store.claim("k", "p2", "r2", T0)).map(Claim::status).as("past the lease").contains("interrupted");
    }

    @Test
    void releaseLetsTheNextClaimWin() {
        store.claim("k", "p", "r", T0);
        store.release("k");
        assertThat(store.claim("k", "p2", "r2", T0.plusSeconds(1))).isEmpty();
        assertThat(store.claim("k", "p3", "r3", T0.plusSeconds(2))).map(Claim::policy).contains("p2");
    }

    @Test
    void expiredLeaseCanBeReclaimedAndTheOldHolderCannotOverwrite() {
        DynamoStore crashed = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock).withLease(Duration.ofMinutes(5)));
        assertThat(crashed.claim("k", "p", "r", T0)).isEmpty();
        clock.advance(Duration.ofMinutes(4));
        assertThat(store.claim("k", "p2", "r2", T0)).map(Claim::status).contains("in-progress");
        clock.advance(Duration.ofMinutes(1).plusMillis(1));
        // past the lease: interrupted (what the holder did is unknown), taken over only by retake
        assertThat(store.claim("k", "p2", "r2", T0.plusSeconds(300))).contains(new Claim("k", "p", "r", T0, "interrupted"));
        assertThat(store.retake("k")).isTrue();

        crashed.complete("k", "applied"); // too late: not its claim any more
        crashed.release("k");
        assertThat(new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock)).claim("k", "x", "y", T0))
                .contains(new Claim("k", "p", "r", T0, "in-progress"));
        store.complete("k", "failed-then-done");
        assertThat(new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock)).claim("k", "x", "y", T0)).map(Claim::status).contains("failed-then-done");
    }

    @Test
    void twoConcurrentClaimsOfOneKeyExactlyOneWins() throws Exception {
        DynamoStore a = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock));
        DynamoStore b = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 50; i++) {
                String key = "race-" + i;
                CountDownLatch go = new CountDownLatch(1);
                Future<Optional<Claim>> fa = pool.submit(() -> { go.await(); return a.claim(key, "A", "r", T0); });
                Future<Optional<Claim>> fb = pool.submit(() -> { go.await(); return b.claim(key, "B", "r", T0); });
                go.countDown();
                Optional<Claim> ra = fa.get();
                Optional<Claim> rb = fb.get();
                assertThat(ra.isEmpty() ^ rb.isEmpty()).as("exactly one winner for %s: %s / %s", key, ra, rb).isTrue();
                String winner = ra.isEmpty() ? "A" : "B";
                Claim seenByLoser = ra.orElseGet(rb::orElseThrow);
                assertThat(seenByLoser.policy()).as("the loser sees the winner's record").isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withoutTheOldItemOnTheFailureTheClaimIsReadBackConsistently() {
        // DynamoDB returns ALL_OLD on a failed condition when asked; a client that drops it exercises the GetItem fallback
        List<String> calls = new ArrayList<>();
        DynamoDbClient stripping = (DynamoDbClient) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, m, args) -> {
                    if (args != null && args.length == 1 && args[0] instanceof java.util.function.Consumer) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, m, args); // builds the request, calls back
                    }
                    calls.add(m.getName());
                    try {
                        return m.invoke(dynamo, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        if (e.getCause() instanceof software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException c) {
                            throw software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException.builder()
                                    .message(c.getMessage()).awsErrorDetails(c.awsErrorDetails()).statusCode(400).build();
                        }
                        throw e.getCause();
                    }
                });
        DynamoStore viaProxy = new DynamoStore(stripping, table, DynamoSettings.defaults().withClock(clock));
        assertThat(store.claim("k", "p", "r", T0)).isEmpty();
        assertThat(viaProxy.claim("k", "p2", "r2", T0)).contains(new Claim("k", "p", "r", T0, "in-progress"));
        assertThat(calls).containsExactly("putItem", "getItem");
    }

    @Test
    void processedEventsDedupeAndForgetAfterRetention() {
        assertThat(store.markFirst("evt-1", T0)).isTrue();
        assertThat(store.markFirst("evt-1", T0)).isFalse();
        assertThat(store.markFirst("evt-2", T0)).isTrue();
        clock.advance(Duration.ofHours(47)); // the default retention: 2 days
        assertThat(store.markFirst("evt-1", T0)).isFalse();
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(store.markFirst("evt-1", T0)).as("past its TTL it counts as forgotten").isTrue();
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("event#evt-1"),
                "sk", AttributeValue.fromS("event")))).item();
        assertThat(Long.parseLong(item.get("ttl").n())).isEqualTo(clock.instant().plus(Duration.ofDays(2)).getEpochSecond());
    }

    @Test
    void findingSavedTwiceIsKeptOnceWithItsFirstActions() {
        Finding f = finding("open-ssh", "sg-1", T0, "e1");
        store.save(f);
        store.save(f.withActions(List.of(new ActionResult("revoke-ingress", "sg-1", ActionStatus.ALREADY_APPLIED, "again", Map.of()))));
        assertThat(store.find(f.id())).contains(f);
        assertThat(store.recent(10)).containsExactly(f);
        long items = dynamo.scan(b -> b.tableName(table)).count();
        assertThat(items).isEqualTo(2); // the by-id item and the day-partition entry
    }

    @Test
    void findingRoundTripsWhole() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("Action", "RevokeSecurityGroupIngress");
        params.put("GroupId", "sg-1");
        params.put("IpPermissions", List.of(Map.of("FromPort", 22, "IpProtocol", "tcp", "Enabled", true)));
        var action = new ActionResult("revoke-ingress", "sg-1", ActionStatus.APPLIED, "revoked 22", params, "revoke:sg-1:22",
                Map.of("Action", "AuthorizeSecurityGroupIngress", "GroupId", "sg-1"));
        Finding f = new Finding("open-ssh", "sg-guard", Severity.CRITICAL, T0.plusNanos(123_000), AccountId.of("111122223333"),
                Region.of("eu-west-1"), "sg-1", "cloudtrail", "port 22 open to the world", List.of("e1", "e2"),
                List.of(action), Map.of("who", "alice", "port", "22"));
        store.save(f);
        assertThat(store.find(f.id())).contains(f);
        Finding bare = new Finding("r", "p", Severity.INFO, T0, null, null, null, null, "s", List.of(), List.of(), null);
        store.save(bare);
        assertThat(store.find(bare.id())).contains(bare);
        assertThat(store.find("0000000000000000")).isEmpty();
    }

    @Test
    void recentIsNewestFirstAcrossDaysAndHonoursTheLimit() {
        List<Finding> saved = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // two per day over six days, saved out of order
            Instant t = T0.minus(Duration.ofHours(12L * i));
            saved.add(finding("rule-" + i, "i-" + i, t, "e" + i));
        }
        List<Finding> shuffled = new ArrayList<>(saved);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));
        shuffled.forEach(store::save);

        assertThat(store.recent(5)).containsExactlyElementsOf(saved.subList(0, 5));
        assertThat(store.recent(100)).containsExactlyElementsOf(saved);
        assertThat(store.recent(0)).isEmpty();

        DynamoStore shortLook = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock).withRecentDays(2));
        assertThat(shortLook.recent(100)).as("today and yesterday (and tomorrow, for clock skew)")
                .containsExactlyElementsOf(saved.stream().filter(f -> !f.time().isBefore(T0.truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(1)))).toList());
    }

    @Test
    void sameTimeFindingsAreAllKeptAndOrderedById() {
        Finding a = finding("a", "i-1", T0, "e1");
        Finding b = finding("b", "i-2", T0, "e2");
        store.save(a);
        store.save(b);
        assertThat(store.recent(10)).containsExactlyInAnyOrder(a, b).hasSize(2);
    }

    @Test
    void failuresNameTheOperationAndTable() {
        DynamoStore missing = new DynamoStore(dynamo, "no-such-table");
        assertThatThrownBy(() -> missing.claim("k", "p", "r", T0)).isInstanceOf(DynamoStoreException.class)
                .hasMessageContaining("claim").hasMessageContaining("no-such-table").hasMessageContaining("ResourceNotFoundException");
        assertThatThrownBy(() -> missing.recent(3)).isInstanceOf(DynamoStoreException.class).hasMessageContaining("no-such-table");
        assertThatThrownBy(() -> new DynamoStore(dynamo, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unreadableStoredFindingIsAOneLineError() {
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("finding#bad"),
                "sk", AttributeValue.fromS("finding"), "json", AttributeValue.fromS("{\"rule\":\"x\",\"severity\":\"loud\"}"))));
        assertThatThrownBy(() -> store.find("bad")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finding#bad").hasMessageContaining("severity");
    }

    // ---- the rest of the RuntimeStore port (the behaviour both stores share is in RuntimeStoreContract)

    @Test
    void timersAreTheGivenStoreOrElseKeptInTheTable() {
        TimerStore given = new InMemoryTimerStore();
        assertThat(new DynamoStore(dynamo, table, DynamoSettings.defaults(), given).timers()).isSameAs(given);
        assertThat(store.timers()).isInstanceOf(DynamoTimers.class);
        assertThat(new DynamoStore(dynamo, table).timers()).isInstanceOf(DynamoTimers.class);
        assertThat(store.name()).isEqualTo(table);
    }

    /**
     * Each target's deliveries in a queue partition of their own (a query per target: a hanging target's backlog is
     * never read for another's), the targets listed for the catch-all; an entry an older vigil wrote to the one queue
     * is still drained by the catch-all, whatever its target, and moves to its target's queue at its next failure.
     */
    @Test
    void deliveriesQueuePerTargetAndTheOlderOneQueueIsStillDrained() {
        Finding f = new Finding("open-ssh", "sg-guard", Severity.HIGH, T0, AccountId.of("111122223333"), Region.of("us-east-1"), "sg-1",
                "cloudtrail", "s", List.of("e1"), List.of(
                        new ActionResult("notify", "hook", ActionStatus.QUEUED, "queued for hook", Map.of()),
                        new ActionResult("notify", "slack", ActionStatus.FAILED, "HTTP 500", Map.of())), Map.of());
        store.save(f);
        String sk = DAY + "T10:15:30.000000000Z#" + f.id() + "#hook";
        assertThat(item("deliveries#due#hook", sk)).containsEntry("target", AttributeValue.fromS("hook"));
        assertThat(item("delivery#" + f.id(), "hook")).containsEntry("due_pk", AttributeValue.fromS("deliveries#due#hook"));
        assertThat(item("deliveries#targets", "hook")).isNotNull();
        assertThat(item("deliveries#targets", "slack")).isNotNull();
        assertThat(item("deliveries#due", sk)).as("nothing in the older one queue").isNull();
        assertThat(item("delivery#" + f.id(), "hook")).as("queued: not tried yet, as in SQLite (the same tries before it is given up)")
                .containsEntry("attempts", AttributeValue.fromN("0"));
        assertThat(item("delivery#" + f.id(), "slack")).as("failed inline: one try made").containsEntry("attempts", AttributeValue.fromN("1"));

        // as an older vigil left it: state without due_pk, entry in deliveries#due
        Finding old = new Finding("open-ssh", "sg-guard", Severity.HIGH, T0.minusSeconds(5), AccountId.of("111122223333"), Region.of("us-east-1"),
                "sg-2", "cloudtrail", "s", List.of("e2"), List.of(new ActionResult("notify", "hook", ActionStatus.QUEUED, "queued", Map.of())), Map.of());
        String oldSk = DAY + "T10:15:25.000000000Z#" + old.id() + "#hook";
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("delivery#" + old.id()), "sk", AttributeValue.fromS("hook"),
                "finding_id", AttributeValue.fromS(old.id()), "target", AttributeValue.fromS("hook"), "attempts", AttributeValue.fromN("1"),
                "next_at", AttributeValue.fromS(T0.minusSeconds(5).toString()), "last_error", AttributeValue.fromS("queued"),
                "due_sk", AttributeValue.fromS(oldSk))));
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("deliveries#due"), "sk", AttributeValue.fromS(oldSk),
                "finding_id", AttributeValue.fromS(old.id()), "target", AttributeValue.fromS("hook"), "attempts", AttributeValue.fromN("1"),
                "last_error", AttributeValue.fromS("queued"))));
        Instant later = T0.plusSeconds(60);
        assertThat(store.dueDeliveries(later, "hook", 10)).extracting(PendingDelivery::findingId).containsExactly(f.id());
        List<PendingDelivery> others = store.dueDeliveriesExcept(later, java.util.Set.of("hook", "slack"), 10);
        assertThat(others).as("the older queue's entry, oldest first").containsExactly(new PendingDelivery(old.id(), "hook", 1, "queued"));
        assertThat(store.dueDeliveriesExcept(later, java.util.Set.of("hook"), 10)).extracting(PendingDelivery::findingId)
                .containsExactly(old.id(), f.id());
        assertThat(store.dueDeliveriesExcept(later, java.util.Set.of("hook"), 1)).extracting(PendingDelivery::findingId).containsExactly(old.id());

        store.deliveryFailed(others.get(0), "timeout", T0.plusSeconds(120));
        assertThat(item("deliveries#due", oldSk)).as("moved out of the older one queue").isNull();
        assertThat(store.dueDeliveries(T0.plusSeconds(120), "hook", 10)).extracting(PendingDelivery::findingId, PendingDelivery::attempts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(f.id(), 0), org.assertj.core.groups.Tuple.tuple(old.id(), 2));
        for (PendingDelivery d : store.dueDeliveries(T0.plusSeconds(120), 10)) store.deliveryDone(d);
        assertThat(store.dueDeliveries(T0.plusSeconds(120), 10)).isEmpty();
        assertThat(item("delivery#" + old.id(), "hook")).isNull();
    }

    @Test
    void blastRadiusDeliveriesAndTimersReadByQueryNeverScan() {
        List<String> calls = new ArrayList<>();
        DynamoStore recorded = new DynamoStore(recording(calls), table, DynamoSettings.defaults().withClock(clock));
        Finding f = new Finding("open-ssh", "sg-guard", Severity.HIGH, T0, AccountId.of("111122223333"), Region.of("us-east-1"), "sg-1",
                "cloudtrail", "s", List.of("e1"), List.of(
                        new ActionResult("revoke-ingress", "sg-1", ActionStatus.APPLIED, "revoked", Map.of()),
                        new ActionResult("notify", "slack", ActionStatus.FAILED, "HTTP 500", Map.of())), Map.of());
        recorded.save(f);
        assertThat(recorded.disruptiveAppliedSince(T0.minusSeconds(60))).containsExactly(new AppliedAction("111122223333", T0));
        var due = recorded.dueDeliveries(T0.plusSeconds(30), 5);
        assertThat(due).containsExactly(new PendingDelivery(f.id(), "slack", 1, "HTTP 500"));
        recorded.deliveryFailed(due.get(0), "HTTP 503", T0.plusSeconds(90));
        recorded.deliveryDone(due.get(0));
        recorded.timers().schedule(new Timer("p", "k", T0, Map.of()));
        assertThat(recorded.timers().nextDue()).contains(T0);
        assertThat(recorded.timers().takeNextDue(T0)).isPresent();
        assertThat(calls).contains("query").doesNotContain("scan");

        // the layout docs/aws-state.md describes
        assertThat(item("applied#" + DAY, DAY + "T10:15:30.000000000Z#" + f.id() + "#0")).containsEntry("account", AttributeValue.fromS("111122223333"));
        assertThat(item("delivery#" + f.id(), "slack")).isNull(); // done
        assertThat(item("timer#p", "k")).containsKeys("version", "taken_until", "due_sk");
        assertThat(item("timers#due", DAY + "T10:15:30.000000000Z#70#k")).containsEntry("owner", AttributeValue.fromS("p"));
    }

    @Test
    void aTimerTakenByOneInstanceIsNotHandedOutByAnotherUntilItsLeaseRunsOut() {
        DynamoStore other = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock));
        Timer t = new Timer("bastion", "uptime:i-1", T0, Map.of("az", "a"));
        store.timers().schedule(t);
        assertThat(store.timers().takeNextDue(T0)).contains(t);
        assertThat(other.timers().takeNextDue(T0)).as("leased to the first").isEmpty();
        clock.advance(DynamoSettings.defaults().lease().plusMillis(1));
        assertThat(other.timers().takeNextDue(T0)).as("its taker is presumed dead").contains(t);
        store.timers().fired(t); // the first was only slow: its firing still removes the (same) timer
        assertThat(other.timers().get("bastion", "uptime:i-1")).isEmpty();
        other.timers().fired(t);
        assertThat(other.timers().nextDue()).isEmpty();
    }

    @Test
    void aRejectedBodyOverTheItemLimitIsCutAtACharacterAndDescribedWhole() throws Exception {
        String body = "\u00e9".repeat(200_000) + "tail"; // 400,004 UTF-8 bytes: over DynamoDB's item limit
        store.reject("big", "https://sqs/q", body, "no readable event");
        DynamoStore.RejectedMessage r = store.rejected("big").orElseThrow();
        assertThat(r.truncated()).isTrue();
        assertThat(r.body()).hasSize(DynamoStore.MAX_REJECTED_BODY / 2).isEqualTo(body.substring(0, DynamoStore.MAX_REJECTED_BODY / 2));
        assertThat(r.bytes()).isEqualTo(400_004);
        byte[] whole = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(r.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(whole)));
        assertThat(r.source()).isEqualTo("https://sqs/q");
        assertThat(r.at()).isEqualTo(T0);

        store.reject("small", "q", "{not json", "x".repeat(20_000));
        DynamoStore.RejectedMessage small = store.rejected("small").orElseThrow();
        assertThat(small.truncated()).isFalse();
        assertThat(small.body()).isEqualTo("{not json");
        assertThat(small.bytes()).isEqualTo(9);
        assertThat(small.error()).hasSize(DynamoStore.MAX_REJECTED_ERROR);
    }

    @Test
    void utf8CutNeverSplitsACharacter() {
        String s = "a\u00e9\u20ac\ud83d\ude00"; // 1 + 2 + 3 + 4 bytes
        assertThat(DynamoStore.cutUtf8(s, 10)).isEqualTo(s);
        assertThat(DynamoStore.cutUtf8(s, 9)).isEqualTo("a\u00e9\u20ac");
        assertThat(DynamoStore.cutUtf8(s, 3)).isEqualTo("a\u00e9");
        assertThat(DynamoStore.cutUtf8(s, 2)).isEqualTo("a");
        assertThat(DynamoStore.cutUtf8(s, 0)).isEmpty();
    }

    @Test
    void processedKeysPastTheirTtlAreNotProcessedAndForgettingIsLeftToTtl() {
        store.markFirst("evt-1", T0);
        assertThat(store.forgetProcessedBefore(T0.plusSeconds(3600))).isZero();
        assertThat(store.isProcessed("evt-1")).isTrue();
        clock.advance(Duration.ofDays(2).plusSeconds(1));
        assertThat(store.isProcessed("evt-1")).isFalse();
        store.commit(); // nothing to do, nothing to fail
    }

    @Test
    void aFindingWithMoreActionsThanATransactionHoldsRecordsThemAll() {
        List<ActionResult> actions = new ArrayList<>();
        for (int i = 0; i < 120; i++) actions.add(new ActionResult("isolate", "i-" + i, ActionStatus.APPLIED, "isolated", Map.of()));
        for (int i = 0; i < 10; i++) actions.add(new ActionResult("notify", "t-" + i, ActionStatus.FAILED, "down", Map.of()));
        Finding f = finding("mass", "vpc-1", T0, "e1").withActions(actions);
        store.save(f);
        store.save(f);
        assertThat(store.disruptiveAppliedSince(T0)).hasSize(120);
        assertThat(store.dueDeliveries(T0.plusSeconds(30), 100)).hasSize(10);
        assertThat(store.find(f.id())).contains(f);
    }

    @Test
    void failuresOfTheRestOfThePortNameTheOperationAndTable() {
        DynamoStore missing = new DynamoStore(dynamo, "no-such-table", DynamoSettings.defaults().withClock(clock));
        PendingDelivery d = new PendingDelivery("f", "t", 1, "e");
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
                () -> missing.disruptiveAppliedSince(T0),
                () -> missing.dueDeliveries(T0, 1),
                () -> missing.deliveryFailed(d, "x", T0),
                () -> missing.deliveryDone(d),
                () -> missing.reject("m", "q", "b", "e"),
                () -> missing.isProcessed("k"),
                () -> missing.timers().schedule(new Timer("p", "k", T0, Map.of())),
                () -> missing.timers().takeNextDue(T0),
                () -> missing.timers().nextDue(),
                () -> missing.save(finding("r", "x", T0, "e")));
        for (var call : calls) {
            assertThatThrownBy(call).isInstanceOf(DynamoStoreException.class)
                    .hasMessageStartingWith("dynamodb ").hasMessageContaining("on table no-such-table")
                    .hasMessageContaining("ResourceNotFoundException");
        }
        // a write DynamoDB refuses for another reason than a condition is not swallowed
        String tooLong = "k".repeat(2000);
        assertThatThrownBy(() -> store.timers().schedule(new Timer("p", tooLong, T0, Map.of())))
                .isInstanceOf(DynamoStoreException.class).hasMessageContaining("schedule timer").hasMessageContaining(table);
    }

    private Map<String, AttributeValue> item(String pk, String sk) {
        var r = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))).consistentRead(true));
        return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
    }

    /** The real client, noting the name of each call that reaches it. */
    private static DynamoDbClient recording(List<String> calls) {
        return (DynamoDbClient) java.lang.reflect.Proxy.newProxyInstance(DynamoStoreTest.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, m, args) -> {
                    if (args != null && args.length == 1 && args[0] instanceof java.util.function.Consumer) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, m, args);
                    }
                    calls.add(m.getName());
                    try {
                        return m.invoke(dynamo, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static Finding finding(String rule, String resource, Instant time, String eventId) {
        return new Finding(rule, "pol", Severity.HIGH, time, AccountId.of("111122223333"), Region.of("us-east-1"), resource,
                "cloudtrail", rule + " on " + resource, List.of(eventId),
                List.of(new ActionResult("notify", "ops", ActionStatus.APPLIED, "sent", Map.of("target_type", "sns"))),
                Map.of("who", "bob"));
    }


    /**
     * The blast radius claimed, not read (issue 16): two instances on one table race for an account's slots from 8
     * threads; exactly max take one, the rest are refused; a slot given back is taken again; a slot taken more than
     * the window ago is free.
     */
    @Test
    void blastRadiusSlotsAreTakenAtomicallyExactlyMaxOfManyRacersWin() throws Exception {
        DynamoStore other = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock));
        var a = store.blastSlots().orElseThrow();
        var b = other.blastSlots().orElseThrow();
        int max = 3;
        Duration window = Duration.ofHours(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<java.util.Optional<dev.vigil.core.response.BlastSlots.Slot>>> tries = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            var slots = i % 2 == 0 ? a : b;
            tries.add(pool.submit(() -> {
                start.await();
                return slots.take("111122223333", T0, window, max);
            }));
        }
        start.countDown();
        List<dev.vigil.core.response.BlastSlots.Slot> won = new java.util.ArrayList<>();
        for (var t : tries) t.get(60, java.util.concurrent.TimeUnit.SECONDS).ifPresent(won::add);
        pool.shutdown();
        assertThat(won).as("exactly max of 8 racers take a slot").hasSize(max);
        assertThat(won.stream().map(dev.vigil.core.response.BlastSlots.Slot::token).distinct()).hasSize(max);
        assertThat(a.take("111122223333", T0.plusSeconds(1), window, max)).as("all taken").isEmpty();
        assertThat(a.take("444455556666", T0.plusSeconds(1), window, max)).as("per account").isPresent();
        b.giveBack(won.get(0));
        assertThat(a.take("111122223333", T0.plusSeconds(2), window, max)).as("given back: free again").isPresent();
        assertThat(a.take("111122223333", T0.plus(window).plusSeconds(1), window, max)).as("past the window: free").isPresent();
    }
}
