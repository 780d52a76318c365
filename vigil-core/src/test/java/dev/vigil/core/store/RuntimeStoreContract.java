package dev.vigil.core.store;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RuntimeStore} does, so the daemon's embedded store and the Lambda functions' DynamoDB store behave
 * alike under the live use case. A subclass opens its store on fresh storage with {@link #clock} as wall clock, and
 * says how its store comes back after a crash.
 */
public abstract class RuntimeStoreContract {
    /** A fixed instant: a store reads an item past its TTL as gone itself (DynamoDB sweeps only eventually; moto never). */
    protected static final Instant T0 = Instant.parse("2026-11-23T10:15:30Z");
    protected static final AccountId ACCOUNT_A = AccountId.of("111122223333");
    protected static final AccountId ACCOUNT_B = AccountId.of("444455556666");

    protected final StoreClock clock = new StoreClock(T0);
    protected RuntimeStore store;

    /** A message kept by {@link RuntimeStore#reject}, as read back from the storage. */
    public record Rejected(String source, String body, String error) {}

    /** A store on fresh, empty storage, on {@link #clock}. */
    protected abstract RuntimeStore openFresh() throws Exception;

    /** Another handle on the same storage, as a second runtime has it (or the same store, where one process owns the storage). */
    protected abstract RuntimeStore otherHandle();

    /**
     * The runtime using {@link #store} dies mid-work (its writes so far were committed); returns the store the next
     * runtime uses: the same storage reopened, or another instance once leases ran out (the clock may move).
     */
    protected abstract RuntimeStore afterCrash();

    /** True when a claim a crash left in progress is taken over by a later claim; false when it is marked interrupted. */
    protected abstract boolean crashedClaimsAreTakenOver();

    protected abstract Optional<Rejected> rejected(String messageId);

    @BeforeEach
    void open() throws Exception {
        store = openFresh();
    }

    @AfterEach
    void close() throws Exception {
        if (store instanceof AutoCloseable c) c.close();
    }

    // ---- fixtures

    protected static Finding finding(String resource, Instant time, AccountId account, List<ActionResult> actions) {
        return new Finding("sg-open-to-world", "sg-guard", Severity.HIGH, time, account, Region.of("eu-west-1"), resource,
                "cloudtrail", "opened " + resource + " to the world", List.of("ev-" + resource + "-" + time), actions, Map.of("who", "alice"));
    }

    protected static ActionResult revoke(String sg, ActionStatus status) {
        return new ActionResult("revoke-world-open", sg, status, "revoked tcp/22", Map.of("Action", "RevokeSecurityGroupIngress", "GroupId", sg),
                "revoke:" + sg, Map.of("Action", "AuthorizeSecurityGroupIngress", "GroupId", sg));
    }

    protected static ActionResult notify(String target, ActionStatus status, String detail) {
        return new ActionResult("notify", target, status, detail, Map.of(), "notify:x:" + target, Map.of());
    }

    // ---- name

    @Test
    public void namesWhereItIs() {
        assertThat(store.name()).isNotBlank();
    }

    // ---- ledger

    @Test
    public void firstClaimWinsAndLaterClaimsSeeItsRecordAndOutcome() {
        assertThat(store.claim("revoke:sg-1", "sg-guard", "open-ssh", T0)).isEmpty();
        assertThat(store.claim("revoke:sg-1", "other", "other-rule", T0.plusSeconds(5)))
                .contains(new Claim("revoke:sg-1", "sg-guard", "open-ssh", T0, "in-progress"));
        store.complete("revoke:sg-1", "applied");
        assertThat(store.claim("revoke:sg-1", "other", "other-rule", T0.plusSeconds(9)))
                .contains(new Claim("revoke:sg-1", "sg-guard", "open-ssh", T0, "applied"));
        assertThat(otherHandle().claim("revoke:sg-1", "third", "r", T0)).map(Claim::status).contains("applied");
        assertThat(store.claim("revoke:sg-2", "sg-guard", "open-ssh", T0)).as("another key is free").isEmpty();
    }

    @Test
    public void releaseLetsTheNextClaimWin() {
        assertThat(store.claim("k", "p", "r", T0)).isEmpty();
        store.release("k");
        assertThat(store.claim("k", "p2", "r2", T0.plusSeconds(1))).isEmpty();
        assertThat(store.claim("k", "p3", "r3", T0.plusSeconds(2))).map(Claim::policy).contains("p2");
    }

    @Test
    public void aCompletedClaimOutlivesACrash() {
        store.claim("k", "p", "r", T0);
        store.complete("k", "applied");
        store.commit();
        store = afterCrash();
        assertThat(store.claim("k", "p2", "r2", T0.plusSeconds(60))).contains(new Claim("k", "p", "r", T0, "applied"));
        assertThat(store.interruptedAtOpen()).isZero();
    }

    @Test
    public void aCompletedClaimKeepsItsCallsOutcomeForItsOwnFindingOnly() {
        store.claim("k", "p", "r", T0, java.util.Map.of("Action", "AuthorizeSecurityGroupIngress"));
        store.complete("k", "applied", new dev.vigil.core.response.ActionLedger.Outcome(ActionStatus.APPLIED, "revoked ingress on sg-1",
                java.util.Map.of("Action", "AuthorizeSecurityGroupIngress", "GroupId", "sg-1")), "finding-1");
        store.commit();
        store = afterCrash();
        var o = store.outcome("k", "finding-1");
        assertThat(o).as("the same finding made again after a crash reads what the call did").isPresent();
        assertThat(o.get().status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(o.get().detail()).isEqualTo("revoked ingress on sg-1");
        assertThat(o.get().undo()).containsEntry("GroupId", "sg-1");
        assertThat(store.outcome("k", "finding-2")).as("another finding's claim is not its own").isEmpty();
        assertThat(store.outcome("nothing", "finding-1")).isEmpty();
    }

    @Test
    public void aClaimACrashLeftInProgressIsNotLeftInProgressForever() {
        assertThat(store.claim("k", "p", "r", T0)).isEmpty();
        store.commit();
        store = afterCrash();
        Optional<Claim> again = store.claim("k", "p2", "r2", T0.plusSeconds(600));
        // interrupted means unknown: answered as interrupted (once the lease ran out, or when reopened), taken over only
        // by retake (after the account showed the change not in place), and then by one caller only
        assertThat(again).as("interrupted, not taken for done nor redone unasked").contains(new Claim("k", "p", "r", T0, "interrupted"));
        assertThat(store.interruptedAtOpen()).isEqualTo(crashedClaimsAreTakenOver() ? 0 : 1);
        assertThat(store.retake("k")).isTrue();
        assertThat(otherHandle().retake("k")).as("one caller takes it over").isFalse();
        store.complete("k", "applied");
        store.commit();
        assertThat(otherHandle().claim("k", "x", "y", T0)).map(Claim::status).contains("applied");
    }

    @Test
    public void theUndoKeptWithAClaimOutlivesACrashAndARetakeAndGoesWithARelease() {
        Map<String, Object> before = Map.of("Action", "ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", "eni-1",
                "SecurityGroupId", List.of("sg-web", "sg-ssh"));
        assertThat(store.claim("k", "p", "r", T0, before)).isEmpty();
        store.commit();
        store = afterCrash();
        // a later claim (the retry) changes nothing of it, whatever it would keep
        Map<String, Object> seenNow = Map.of("Action", "ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", "eni-1", "SecurityGroupId", List.of("sg-isolation"));
        assertThat(store.claim("k", "p", "r", T0.plusSeconds(600), seenNow)).map(Claim::status).contains("interrupted");
        assertThat(store.kept("k")).isEqualTo(before);
        assertThat(store.retake("k")).isTrue();
        assertThat(otherHandle().kept("k")).as("kept across attempts, for every handle").isEqualTo(before);
        store.release("k");
        store.commit();
        assertThat(otherHandle().kept("k")).isEmpty();
        assertThat(store.claim("k", "p", "r", T0.plusSeconds(700))).isEmpty();
        assertThat(store.kept("k")).as("a claim without an undo keeps none").isEmpty();
    }

    @Test
    public void twoConcurrentClaimsOfOneKeyExactlyOneWins() throws Exception {
        RuntimeStore a = store;
        RuntimeStore b = otherHandle();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 30; i++) {
                String key = "race-" + i;
                CountDownLatch go = new CountDownLatch(1);
                Future<Optional<Claim>> fa = pool.submit(() -> { go.await(); return a.claim(key, "A", "r", T0); });
                Future<Optional<Claim>> fb = pool.submit(() -> { go.await(); return b.claim(key, "B", "r", T0); });
                go.countDown();
                Optional<Claim> ra = fa.get();
                Optional<Claim> rb = fb.get();
                assertThat(ra.isEmpty() ^ rb.isEmpty()).as("exactly one winner for %s: %s / %s", key, ra, rb).isTrue();
                String winner = ra.isEmpty() ? "A" : "B";
                assertThat(ra.orElseGet(rb::orElseThrow).policy()).as("the loser sees the winner's record").isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- processed events

    @Test
    public void processedEventsAreMarkedOnce() {
        assertThat(store.isProcessed("ev-1")).isFalse();
        assertThat(store.markFirst("ev-1", T0)).isTrue();
        assertThat(store.markFirst("ev-1", T0)).isFalse();
        assertThat(store.isProcessed("ev-1")).isTrue();
        assertThat(store.isProcessed("ev-2")).isFalse();
        store.commit();
        assertThat(otherHandle().markFirst("ev-1", T0)).as("seen by another handle").isFalse();
        assertThat(store.forgetProcessedBefore(T0.minus(Duration.ofHours(1)))).isZero();
        assertThat(store.isProcessed("ev-1")).as("seen after the cutoff: kept").isTrue();
    }

    // ---- findings

    @Test
    public void aFindingSavedTwiceIsKeptOnceWithItsFirstActions() {
        Finding f = finding("sg-1", T0, ACCOUNT_A, List.of(revoke("sg-1", ActionStatus.APPLIED)));
        store.save(f);
        store.save(f.withActions(List.of(revoke("sg-1", ActionStatus.ALREADY_APPLIED))));
        store.commit();
        assertThat(store.find(f.id())).contains(f);
        assertThat(store.recent(10)).containsExactly(f);
        assertThat(store.find("0000000000000000")).isEmpty();
    }

    @Test
    public void recentIsNewestFirstAndHonoursTheLimit() {
        List<Finding> saved = new ArrayList<>();
        for (int i = 0; i < 6; i++) saved.add(finding("sg-" + i, T0.minus(Duration.ofHours(7L * i)), ACCOUNT_A, List.of()));
        List<Finding> shuffled = new ArrayList<>(saved);
        java.util.Collections.shuffle(shuffled, new java.util.Random(3));
        shuffled.forEach(store::save);
        store.commit();
        assertThat(store.recent(4)).containsExactlyElementsOf(saved.subList(0, 4));
        assertThat(store.recent(100)).containsExactlyElementsOf(saved);
        assertThat(store.recent(0)).isEmpty();
    }

    // ---- blast radius

    @Test
    public void appliedDisruptiveActionsAreCountedOnceOldestFirstAcrossMidnight() {
        Instant first = clock.instant();
        Finding a = finding("sg-a", T0, ACCOUNT_A, List.of(revoke("sg-a", ActionStatus.APPLIED), notify("ops", ActionStatus.APPLIED, "sent")));
        store.save(a);
        clock.advance(Duration.ofHours(14)); // the next UTC day
        Instant second = clock.instant();
        Finding b = finding("sg-b", T0.plusSeconds(1), ACCOUNT_B, List.of(
                revoke("sg-b", ActionStatus.APPLIED),
                revoke("sg-c", ActionStatus.FAILED),
                revoke("sg-d", ActionStatus.ALREADY_APPLIED),
                revoke("sg-e", ActionStatus.SKIPPED),
                revoke("sg-f", ActionStatus.PLANNED),
                new ActionResult("undo", "sg-a", ActionStatus.APPLIED, "re-authorized", Map.of())));
        store.save(b);
        store.save(a); // made again: not counted again
        clock.advance(Duration.ofMinutes(5));
        Instant third = clock.instant();
        store.save(finding("sg-g", T0.plusSeconds(2), null, List.of(revoke("sg-g", ActionStatus.APPLIED))));
        store.commit();

        assertThat(store.disruptiveAppliedSince(first.minusSeconds(1))).containsExactly(
                new AppliedAction(ACCOUNT_A.value(), first), new AppliedAction(ACCOUNT_B.value(), second), new AppliedAction(null, third));
        assertThat(store.disruptiveAppliedSince(first.plusSeconds(1)))
                .containsExactly(new AppliedAction(ACCOUNT_B.value(), second), new AppliedAction(null, third));
        assertThat(store.disruptiveAppliedSince(second)).as("from is inclusive")
                .containsExactly(new AppliedAction(ACCOUNT_B.value(), second), new AppliedAction(null, third));
        assertThat(store.disruptiveAppliedSince(third.plusMillis(1))).isEmpty();
    }

    // ---- deliveries

    @Test
    public void failedNotificationsAreRetriedWithBackoffUntilDone() {
        Finding f = finding("sg-1", T0, ACCOUNT_A, List.of(
                revoke("sg-1", ActionStatus.APPLIED),
                notify("slack", ActionStatus.FAILED, "HTTP 500"),
                notify("mail", ActionStatus.APPLIED, "sent"),
                notify("pager", ActionStatus.FAILED, "timeout"),
                notify("slack", ActionStatus.FAILED, "HTTP 502"))); // the same target twice: one delivery
        store.save(f);
        store.commit();
        assertThat(store.dueDeliveries(T0, 10)).as("not before its first backoff").isEmpty();
        List<PendingDelivery> due = store.dueDeliveries(T0.plusSeconds(30), 10);
        assertThat(due).containsExactlyInAnyOrder(new PendingDelivery(f.id(), "slack", 1, "HTTP 500"),
                new PendingDelivery(f.id(), "pager", 1, "timeout"));
        PendingDelivery slack = due.stream().filter(d -> d.target().equals("slack")).findFirst().orElseThrow();
        PendingDelivery pager = due.stream().filter(d -> d.target().equals("pager")).findFirst().orElseThrow();

        store.deliveryFailed(slack, "HTTP 503", T0.plusSeconds(120));
        store.commit();
        assertThat(store.dueDeliveries(T0.plusSeconds(60), 10)).containsExactly(pager);
        assertThat(store.dueDeliveries(T0.plusSeconds(120), 10)).as("oldest first")
                .containsExactly(pager, new PendingDelivery(f.id(), "slack", 2, "HTTP 503"));
        assertThat(store.dueDeliveries(T0.plusSeconds(120), 1)).containsExactly(pager);

        store.deliveryDone(pager);
        store.commit();
        assertThat(store.dueDeliveries(T0.plusSeconds(3600), 10)).containsExactly(new PendingDelivery(f.id(), "slack", 2, "HTTP 503"));
        store.deliveryFailed(pager, "late", T0.plusSeconds(200)); // done already: nothing comes back
        store.deliveryDone(slack);
        store.deliveryDone(slack);
        store.save(f); // made again: its failures were recorded the first time
        store.commit();
        assertThat(store.dueDeliveries(T0.plus(Duration.ofDays(1)), 10)).isEmpty();
    }

    @Test
    public void dueDeliveriesAreTakenPerTargetAndTheRestByTheCatchAll() {
        Finding one = finding("sg-1", T0, ACCOUNT_A, List.of(notify("hook", ActionStatus.QUEUED, "queued"),
                notify("slack", ActionStatus.QUEUED, "queued"), notify("gone", ActionStatus.QUEUED, "queued")));
        Finding two = finding("sg-2", T0.plusSeconds(1), ACCOUNT_A, List.of(notify("hook", ActionStatus.QUEUED, "queued"),
                notify("old", ActionStatus.FAILED, "HTTP 500")));
        store.save(one);
        clock.advance(Duration.ofSeconds(1));
        store.save(two);
        store.commit();
        Instant later = T0.plusSeconds(60);
        assertThat(store.dueDeliveries(later, "hook", 10)).as("oldest first, this target's only")
                .extracting(PendingDelivery::findingId, PendingDelivery::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(one.id(), "hook"), org.assertj.core.groups.Tuple.tuple(two.id(), "hook"));
        assertThat(store.dueDeliveries(later, "hook", 1)).extracting(PendingDelivery::findingId).containsExactly(one.id());
        assertThat(store.dueDeliveries(later, "slack", 10)).extracting(PendingDelivery::findingId).containsExactly(one.id());
        assertThat(store.dueDeliveries(later, "nobody", 10)).isEmpty();
        assertThat(store.dueDeliveriesExcept(later, java.util.Set.of("hook", "slack"), 10)).as("targets not configured")
                .extracting(PendingDelivery::target).containsExactlyInAnyOrder("gone", "old");
        assertThat(store.dueDeliveriesExcept(later, java.util.Set.of("hook", "slack", "gone", "old"), 10)).isEmpty();
        assertThat(store.dueDeliveries(later, 10)).as("every target").hasSize(5);

        // one target's failures move its deliveries, not another's
        PendingDelivery first = store.dueDeliveries(later, "hook", 1).get(0);
        store.deliveryFailed(first, "timeout", later.plusSeconds(300));
        store.commit();
        assertThat(store.dueDeliveries(later, "hook", 10)).extracting(PendingDelivery::findingId).containsExactly(two.id());
        assertThat(store.dueDeliveries(later, "slack", 10)).hasSize(1);
        assertThat(store.dueDeliveries(later.plusSeconds(300), "hook", 10)).extracting(PendingDelivery::findingId, PendingDelivery::lastError)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(two.id(), "queued"), org.assertj.core.groups.Tuple.tuple(one.id(), "timeout"));
        for (PendingDelivery d : store.dueDeliveries(later.plusSeconds(300), 10)) store.deliveryDone(d);
        store.commit();
        assertThat(store.dueDeliveries(later.plusSeconds(300), 10)).isEmpty();
        assertThat(store.dueDeliveriesExcept(later.plusSeconds(300), java.util.Set.of(), 10)).isEmpty();
    }

    // ---- the finding's notify state

    @Test
    public void aNotificationsOutcomeIsWrittenBackIntoItsFinding() {
        Finding f = finding("sg-1", T0, ACCOUNT_A, List.of(revoke("sg-1", ActionStatus.APPLIED),
                notify("hook", ActionStatus.QUEUED, "queued for hook"), notify("slack", ActionStatus.QUEUED, "queued for slack"),
                notify("pager", ActionStatus.FAILED, "HTTP 500")));
        store.save(f);
        store.commit();
        store.notifyOutcome(f.id(), "hook", ActionStatus.DELIVERED, "notified hook (webhook: HTTP 200)");
        store.notifyOutcome(f.id(), "pager", ActionStatus.GIVEN_UP, "given up on pager after 11 tries: HTTP 500");
        store.commit();
        Finding read = otherHandle().find(f.id()).orElseThrow();
        assertThat(read.actions()).extracting(ActionResult::type, ActionResult::target, ActionResult::status, ActionResult::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("revoke-world-open", "sg-1", ActionStatus.APPLIED, "revoked tcp/22"),
                org.assertj.core.groups.Tuple.tuple("notify", "hook", ActionStatus.DELIVERED, "notified hook (webhook: HTTP 200)"),
                org.assertj.core.groups.Tuple.tuple("notify", "slack", ActionStatus.QUEUED, "queued for slack"),
                org.assertj.core.groups.Tuple.tuple("notify", "pager", ActionStatus.GIVEN_UP, "given up on pager after 11 tries: HTTP 500"));
        assertThat(read.actions().get(0)).as("the rest of the record stands").isEqualTo(f.actions().get(0));
        assertThat(otherHandle().recent(10)).as("the newest-first list says the same").containsExactly(read);

        // the same outcome again changes nothing; a finding that is not there is no error
        store.notifyOutcome(f.id(), "hook", ActionStatus.DELIVERED, "notified hook (webhook: HTTP 200)");
        store.notifyOutcome("no-such-finding", "hook", ActionStatus.DELIVERED, "x");
        store.save(f); // made again from a redelivered message: the outcome written back stays
        store.commit();
        assertThat(otherHandle().find(f.id())).contains(read);
        assertThat(otherHandle().find("no-such-finding")).isEmpty();
    }

    @Test
    public void twoTargetsOutcomesWrittenAtOnceBothLand() throws Exception {
        List<ActionResult> actions = new ArrayList<>();
        for (int i = 0; i < 6; i++) actions.add(notify("t" + i, ActionStatus.QUEUED, "queued"));
        Finding f = finding("sg-1", T0, ACCOUNT_A, actions);
        store.save(f);
        store.commit();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String target = "t" + i;
                RuntimeStore handle = i % 2 == 0 ? store : otherHandle();
                done.add(pool.submit(() -> {
                    go.await();
                    handle.notifyOutcome(f.id(), target, ActionStatus.DELIVERED, "notified " + target);
                    handle.commit();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> d : done) d.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(otherHandle().find(f.id()).orElseThrow().actions()).extracting(ActionResult::target, ActionResult::status)
                .containsExactly(java.util.stream.IntStream.range(0, 6)
                        .mapToObj(i -> org.assertj.core.groups.Tuple.tuple("t" + i, ActionStatus.DELIVERED)).toArray(org.assertj.core.groups.Tuple[]::new));
    }

    // ---- rejected messages

    @Test
    public void aRejectedMessageIsKeptTheFirstTime() {
        store.reject("m-1", "queue-a", "not an event {", "no readable event");
        store.reject("m-1", "queue-b", "something else", "other error");
        store.reject("m-2", "queue-a", "", "empty");
        store.commit();
        assertThat(rejected("m-1")).contains(new Rejected("queue-a", "not an event {", "no readable event"));
        assertThat(rejected("m-2")).contains(new Rejected("queue-a", "", "empty"));
        assertThat(rejected("m-3")).isEmpty();
    }

    // ---- timers

    @Test
    public void timersAreSetReplacedReadAndCancelled() {
        TimerStore t = store.timers();
        assertThat(t.get("bastion", "uptime:i-1")).isEmpty();
        assertThat(t.nextDue()).isEmpty();
        t.schedule(new Timer("bastion", "uptime:i-1", T0.plusSeconds(60), Map.of("launch", "x", "az", "eu-west-1a")));
        t.schedule(new Timer("bastion", "uptime:i-2", T0.plusSeconds(90), Map.of()));
        assertThat(t.get("bastion", "uptime:i-1")).contains(new Timer("bastion", "uptime:i-1", T0.plusSeconds(60),
                Map.of("launch", "x", "az", "eu-west-1a")));
        assertThat(t.nextDue()).contains(T0.plusSeconds(60));

        t.schedule(new Timer("bastion", "uptime:i-1", T0.plusSeconds(120), Map.of("launch", "y")));
        assertThat(t.get("bastion", "uptime:i-1")).contains(new Timer("bastion", "uptime:i-1", T0.plusSeconds(120), Map.of("launch", "y")));
        assertThat(t.nextDue()).as("the old time is gone").contains(T0.plusSeconds(90));

        t.cancel("bastion", "uptime:i-2");
        t.cancel("bastion", "never-set");
        store.commit();
        assertThat(t.get("bastion", "uptime:i-2")).isEmpty();
        assertThat(t.nextDue()).contains(T0.plusSeconds(120));
        assertThat(t.takeNextDue(T0.plusSeconds(100))).isEmpty();
    }

    @Test
    public void dueTimersAreHandedOutOnceEarliestFirstAndGoneWhenFired() {
        TimerStore t = store.timers();
        Timer late = new Timer("b-policy", "k", T0.plusSeconds(30), Map.of("n", "3"));
        Timer tieB = new Timer("b-policy", "a", T0.plusSeconds(10), Map.of());
        Timer tieA = new Timer("a-policy", "z", T0.plusSeconds(10), Map.of());
        Timer notYet = new Timer("a-policy", "later", T0.plusSeconds(3600), Map.of());
        List.of(late, notYet, tieB, tieA).forEach(t::schedule);
        store.commit();

        assertThat(t.takeNextDue(T0.plusSeconds(9))).isEmpty();
        assertThat(t.takeNextDue(T0.plusSeconds(60))).as("ties by owner").contains(tieA);
        assertThat(t.takeNextDue(T0.plusSeconds(60))).contains(tieB);
        assertThat(t.takeNextDue(T0.plusSeconds(60))).contains(late);
        assertThat(t.takeNextDue(T0.plusSeconds(60))).as("each handed out once").isEmpty();
        assertThat(t.get("b-policy", "k")).as("stored until fired").contains(late);

        List.of(tieA, tieB, late).forEach(t::fired);
        store.commit();
        assertThat(t.get("b-policy", "k")).isEmpty();
        assertThat(t.nextDue()).contains(notYet.due());
        assertThat(t.takeNextDue(T0.plusSeconds(60))).isEmpty();
        assertThat(t.takeNextDue(notYet.due())).contains(notYet);
    }

    @Test
    public void aTimerHandedOutButNotFiredFiresAgainAfterACrashOnce() {
        Timer t = new Timer("bastion", "uptime:i-1", T0.plusSeconds(60), Map.of("launch", "x"));
        store.timers().schedule(t);
        store.commit();
        assertThat(store.timers().takeNextDue(T0.plusSeconds(100))).contains(t);
        // the runtime dies before fired()
        store = afterCrash();
        TimerStore again = store.timers();
        assertThat(again.takeNextDue(T0.plusSeconds(100))).contains(t);
        assertThat(again.takeNextDue(T0.plusSeconds(100))).isEmpty();
        again.fired(t);
        store.commit();
        assertThat(again.get("bastion", "uptime:i-1")).isEmpty();
        assertThat(again.nextDue()).isEmpty();
    }

    @Test
    public void aTimerSetAgainWhileFiringIsKept() {
        TimerStore t = store.timers();
        t.schedule(new Timer("daily", "report", T0, Map.of()));
        Timer firing = t.takeNextDue(T0).orElseThrow();
        Timer tomorrow = new Timer("daily", "report", T0.plus(Duration.ofDays(1)), Map.of("run", "2"));
        t.schedule(tomorrow);
        t.fired(firing);
        store.commit();
        assertThat(t.get("daily", "report")).contains(tomorrow);
        assertThat(t.nextDue()).contains(tomorrow.due());
        assertThat(t.takeNextDue(T0.plusSeconds(60))).isEmpty();
        assertThat(t.takeNextDue(tomorrow.due())).contains(tomorrow);
    }

    @Test
    public void aCancelledTimerThatWasHandedOutIsNotHandedOutAgain() {
        TimerStore t = store.timers();
        Timer x = new Timer("p", "x", T0, Map.of());
        t.schedule(x);
        assertThat(t.takeNextDue(T0)).contains(x);
        t.cancel("p", "x");
        t.fired(x);
        store.commit();
        assertThat(t.get("p", "x")).isEmpty();
        assertThat(t.nextDue()).isEmpty();
    }
}
