package dev.vigil.aws.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.response.ActionLedger.Claim;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:15:30Z");
    private static DynamoLocal local;
    private static DynamoDbClient dynamo;
    private static int tables;

    private String table;
    private MutableClock clock;
    private DynamoStore store;

    @BeforeAll
    static void startDynamo() throws Exception {
        local = DynamoLocal.start();
        dynamo = local.client();
    }

    @AfterAll
    static void stopDynamo() throws Exception {
        dynamo.close();
        local.close();
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
    void releaseLetsTheNextClaimWin() {
        store.claim("k", "p", "r", T0);
        store.release("k");
        assertThat(store.claim("k", "p2", "r2", T0.plusSeconds(1))).isEmpty();
        assertThat(store.claim("k", "p3", "r3", T0.plusSeconds(2))).map(Claim::policy).contains("p2");
    }

    @Test
    void expiredLeaseCanBeReclaimedAndTheOldHolderCannotOverwrite() {
        DynamoStore crashed = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock));
        assertThat(crashed.claim("k", "p", "r", T0)).isEmpty();
        clock.advance(Duration.ofMinutes(4));
        assertThat(store.claim("k", "p2", "r2", T0)).map(Claim::status).contains("in-progress");
        clock.advance(Duration.ofMinutes(1).plusMillis(1));
        assertThat(store.claim("k", "p2", "r2", T0.plusSeconds(300))).isEmpty();

        crashed.complete("k", "applied"); // too late: not its claim any more
        crashed.release("k");
        assertThat(new DynamoStore(dynamo, table).claim("k", "x", "y", T0))
                .contains(new Claim("k", "p2", "r2", T0.plusSeconds(300), "in-progress"));
        store.complete("k", "failed-then-done");
        assertThat(new DynamoStore(dynamo, table).claim("k", "x", "y", T0)).map(Claim::status).contains("failed-then-done");
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
        // DynamoDB Local returns ALL_OLD on a failed condition; a client that drops it exercises the GetItem fallback
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
        clock.advance(Duration.ofHours(23));
        assertThat(store.markFirst("evt-1", T0)).isFalse();
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(store.markFirst("evt-1", T0)).as("past its TTL it counts as forgotten").isTrue();
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("event#evt-1"),
                "sk", AttributeValue.fromS("event")))).item();
        assertThat(Long.parseLong(item.get("ttl").n())).isEqualTo(clock.instant().plus(Duration.ofDays(1)).getEpochSecond());
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
                .containsExactlyElementsOf(saved.stream().filter(f -> !f.time().isBefore(Instant.parse("2026-11-22T00:00:00Z"))).toList());
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

    static Finding finding(String rule, String resource, Instant time, String eventId) {
        return new Finding(rule, "pol", Severity.HIGH, time, AccountId.of("111122223333"), Region.of("us-east-1"), resource,
                "cloudtrail", rule + " on " + resource, List.of(eventId),
                List.of(new ActionResult("notify", "ops", ActionStatus.APPLIED, "sent", Map.of("target-type", "sns"))),
                Map.of("who", "bob"));
    }

}
