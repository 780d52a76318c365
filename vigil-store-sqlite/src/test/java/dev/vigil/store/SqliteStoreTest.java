package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.engine.Timer;
import dev.vigil.core.engine.TimerStore;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    static Finding finding(String resource, List<ActionResult> actions) {
        return new Finding("sg-open-to-world", "sg-guard", Severity.HIGH, T0, AccountId.of("111122223333"), Region.of("eu-west-1"),
                resource, "cloudtrail", "opened <to> the world", List.of("ev-" + resource), actions, Map.of("who", "alice \"x\""));
    }

    static ActionResult revoke(String sg) {
        return new ActionResult("revoke-world-open", sg, ActionStatus.APPLIED, "revoked tcp/22",
                Map.of("Action", "RevokeSecurityGroupIngress", "GroupId", sg), "revoke:" + sg,
                Map.of("Action", "AuthorizeSecurityGroupIngress", "GroupId", sg));
    }

    @Test
    void migratesAndRecordsTheSchemaVersion() throws Exception {
        Path f = dir.resolve("vigil.db");
        SqliteStore.open(f, CLOCK).close();
        SqliteStore.open(f, CLOCK).close(); // a second open finds the schema current
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + f); var rs = c.createStatement()
                .executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1");
            assertThat(rs.getInt(2)).isEqualTo(1);
            assertThat(rs.next()).as("V2: actions.follows (undo re-arms)").isTrue();
            assertThat(rs.getString(1)).isEqualTo("2");
            assertThat(rs.getInt(2)).isEqualTo(1);
            assertThat(rs.next()).as("V3: ledger.undo (the groups to restore kept with the claim)").isTrue();
            assertThat(rs.getString(1)).isEqualTo("3");
            assertThat(rs.getInt(2)).isEqualTo(1);
            assertThat(rs.next()).as("V4: the ledger keeps the call's outcome, its finding and its attempt").isTrue();
            assertThat(rs.getString(1)).isEqualTo("4");
            assertThat(rs.getInt(2)).isEqualTo(1);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void findingsAreKeptOnceAndReadBackWhole() {
        try (SqliteStore s = SqliteStore.open(dir.resolve("a.db"), CLOCK)) {
            Finding f = finding("sg-0123456789abcdef0", List.of(revoke("sg-0123456789abcdef0")));
            s.save(f);
            s.save(f.withActions(List.of(revoke("sg-0123456789abcdef0").withStatus(ActionStatus.ALREADY_APPLIED, "again"))));
            assertThat(s.findingCount()).isEqualTo(1);
            Finding back = s.find(f.id()).orElseThrow();
            assertThat(back).isEqualTo(f);
            assertThat(s.actions(10)).singleElement().satisfies(a -> {
                assertThat(a.status()).isEqualTo("applied");
                assertThat(a.undo()).containsEntry("Action", "AuthorizeSecurityGroupIngress");
                assertThat(a.disruptive()).isTrue();
                assertThat(a.findingId()).isEqualTo(f.id());
            });
        }
    }

    @Test
    void ledgerClaimsOnceAndMarksInProgressClaimsInterruptedOnReopen() {
        Path f = dir.resolve("l.db");
        try (SqliteStore s = SqliteStore.open(f, CLOCK)) {
            assertThat(s.claim("k1", "p", "r", T0)).isEmpty();
            assertThat(s.claim("k1", "p2", "r2", T0)).hasValueSatisfying(c -> {
                assertThat(c.policy()).isEqualTo("p");
                assertThat(c.status()).isEqualTo("in-progress");
            });
            s.complete("k1", "applied");
            assertThat(s.claimOf("k1").orElseThrow().status()).isEqualTo("applied");
            assertThat(s.claim("k2", "p", "r", T0)).isEmpty();
            s.release("k2");
            assertThat(s.claim("k2", "p", "r", T0)).isEmpty(); // released: can be claimed again
        }
        try (SqliteStore s = SqliteStore.open(f, CLOCK)) {
            assertThat(s.interruptedAtOpen()).isEqualTo(1);
            assertThat(s.claimOf("k2").orElseThrow().status()).isEqualTo("interrupted");
            assertThat(s.claim("k2", "p", "r", T0)).isPresent(); // never redone
            assertThat(s.claimOf("k1").orElseThrow().status()).isEqualTo("applied");
        }
    }

    @Test
    void timerHandedOutButNotFiredSurvivesAReopenAndFiresOnce() {
        Path f = dir.resolve("t.db");
        Timer t = new Timer("bastion", "uptime:i-1", T0.plusSeconds(60), Map.of("launch", "x"));
        try (SqliteStore s = SqliteStore.open(f, CLOCK)) {
            TimerStore ts = s.timers();
            ts.schedule(t);
            ts.schedule(new Timer("bastion", "uptime:i-2", T0.plusSeconds(30), Map.of()));
            assertThat(ts.nextDue()).contains(T0.plusSeconds(30));
            assertThat(ts.takeNextDue(T0.plusSeconds(10))).isEmpty();
            Timer first = ts.takeNextDue(T0.plusSeconds(100)).orElseThrow();
            assertThat(first.key()).isEqualTo("uptime:i-2");
            ts.fired(first);
            assertThat(ts.takeNextDue(T0.plusSeconds(100))).contains(t);
            assertThat(ts.takeNextDue(T0.plusSeconds(100))).isEmpty(); // in flight: not handed out twice
            // crash here: fired() never called
        }
        try (SqliteStore s = SqliteStore.open(f, CLOCK)) {
            TimerStore ts = s.timers();
            Timer again = ts.takeNextDue(T0.plusSeconds(100)).orElseThrow();
            assertThat(again).isEqualTo(t);
            ts.fired(again);
            assertThat(ts.takeNextDue(T0.plusSeconds(100))).isEmpty();
            assertThat(s.timerCount()).isZero();
        }
    }

    @Test
    void aTimerSetAgainWhileFiringIsKept() {
        try (SqliteStore s = SqliteStore.open(dir.resolve("r.db"), CLOCK)) {
            TimerStore ts = s.timers();
            ts.schedule(new Timer("daily", "report", T0, Map.of()));
            Timer t = ts.takeNextDue(T0).orElseThrow();
            ts.schedule(new Timer("daily", "report", T0.plusSeconds(86400), Map.of()));
            ts.fired(t);
            assertThat(ts.get("daily", "report")).hasValueSatisfying(x -> assertThat(x.due()).isEqualTo(T0.plusSeconds(86400)));
        }
    }

    @Test
    void processedEventsDedupeAndExpire() {
        try (SqliteStore s = SqliteStore.open(dir.resolve("p.db"), CLOCK)) {
            assertThat(s.markFirst("ev-1", T0)).isTrue();
            assertThat(s.markFirst("ev-1", T0)).isFalse();
            assertThat(s.isProcessed("ev-1")).isTrue();
            assertThat(s.forgetProcessedBefore(T0.plusSeconds(1))).isEqualTo(1);
            assertThat(s.isProcessed("ev-1")).isFalse();
        }
    }

    @Test
    void failedNotificationsArePendingUntilDoneAndUndoIsLinked() {
        try (SqliteStore s = SqliteStore.open(dir.resolve("d.db"), CLOCK)) {
            ActionResult failed = new ActionResult("notify", "slack", ActionStatus.FAILED, "HTTP 500", Map.of(), "notify:x:slack", Map.of());
            ActionResult sent = new ActionResult("notify", "mail", ActionStatus.APPLIED, "sent", Map.of(), "notify:x:mail", Map.of());
            Finding f = finding("sg-0aaaaaaaaaaaaaaaa", List.of(revoke("sg-0aaaaaaaaaaaaaaaa"), failed, sent));
            s.save(f);
            assertThat(s.dueDeliveries(T0, 10)).isEmpty(); // backoff first
            var due = s.dueDeliveries(T0.plusSeconds(60), 10);
            assertThat(due).singleElement().satisfies(d -> assertThat(d.target()).isEqualTo("slack"));
            s.deliveryFailed(due.get(0), "HTTP 503", T0.plusSeconds(120));
            assertThat(s.dueDeliveries(T0.plusSeconds(60), 10)).isEmpty();
            assertThat(s.dueDeliveries(T0.plusSeconds(120), 10).get(0).attempts()).isEqualTo(2);
            s.deliveryDone(due.get(0));
            assertThat(s.pendingDeliveries()).isZero();
            ActionResult queued = new ActionResult("notify", "hook", ActionStatus.QUEUED, "queued for hook", Map.of(), "notify:y:hook", Map.of());
            Finding g = finding("sg-0bbbbbbbbbbbbbbbb", List.of(queued));
            s.save(g);
            assertThat(s.dueDeliveries(T0, 10)).as("queued: due at once, not tried yet (DynamoStoreTest says the same)")
                    .singleElement().satisfies(d -> assertThat(d.attempts()).isZero());
            s.deliveryDone(s.dueDeliveries(T0, 10).get(0));

            ActionRecord revoke = s.actions(10).stream().filter(a -> a.type().equals("revoke-world-open")).findFirst().orElseThrow();
            assertThat(s.disruptiveActionsSince(T0.minusSeconds(1))).extracting(ActionRecord::id).containsExactly(revoke.id());
            long undoId = s.recordUndo(revoke, new ActionResult("undo", revoke.target(), ActionStatus.APPLIED, "re-authorized", Map.of()));
            assertThat(s.action(revoke.id()).orElseThrow().undoneBy()).isEqualTo(undoId);
            assertThat(s.action(undoId).orElseThrow().undoes()).isEqualTo(revoke.id());
            assertThat(s.action(undoId).orElseThrow().disruptive()).isFalse();
        }
    }
}
