package dev.vigil.core.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.Exemptions;
import dev.vigil.core.policy.SelfIdentity;
import dev.vigil.core.policy.TargetDef;
import dev.vigil.core.finding.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16's gaps the fault table found, in the responder: the start-up pass over interrupted claims, the call's outcome
 * kept with its claim for the same finding made again, a call that threw checked in the account, and a claim of ours
 * not yet called when a fault came between.
 */
class ResponderRecoveryTest {
    static final Instant T0 = ResponderRailsTest.T0;
    final List<String> calls = new ArrayList<>();

    /** A ledger that keeps what the durable stores keep: status, undo, outcome, finding id, attempt. */
    static final class KeepingLedger implements ActionLedger {
        record Row(String status, Outcome outcome, String finding, Attempt attempt) {}

        final Map<String, Row> rows = new HashMap<>();
        final Map<String, Map<String, Object>> undos = new HashMap<>();

        @Override
        public Map<String, Object> kept(String key) {
            return undos.getOrDefault(key, Map.of());
        }
        int failClaimAfterCommit;

        @Override
        public Optional<Claim> claim(String key, String policy, String rule, Instant at) {
            return claim(key, policy, rule, at, Map.of(), null);
        }

        @Override
        public Optional<Claim> claim(String key, String policy, String rule, Instant at, Map<String, Object> undo, Attempt attempt) {
            ActionPlan plan = attempt == null ? null : attempt.plan();
            Finding finding = attempt == null ? null : attempt.finding();
            Row r = rows.get(key);
            if (r != null) return Optional.of(new Claim(key, policy, rule, at, r.status()));
            if (undo != null && !undo.isEmpty()) undos.put(key, undo);
            rows.put(key, new Row("in-progress", null, finding == null ? null : finding.id(), plan == null ? null : attempt));
            if (failClaimAfterCommit-- > 0) throw new IllegalStateException("database is locked (after the claim's commit)");
            return Optional.empty();
        }

        @Override
        public void complete(String key, String status) {
            complete(key, status, null, null);
        }

        @Override
        public void complete(String key, String status, Outcome outcome, String findingId) {
            Row r = rows.get(key);
            rows.put(key, new Row(status, outcome, findingId != null ? findingId : r == null ? null : r.finding(), r == null ? null : r.attempt()));
        }

        @Override
        public Optional<Outcome> outcome(String key, String findingId) {
            Row r = rows.get(key);
            return r == null || r.outcome() == null || !findingId.equals(r.finding()) ? Optional.empty() : Optional.of(r.outcome());
        }

        @Override
        public void release(String key) {
            rows.remove(key);
            undos.remove(key);
        }

        @Override
        public boolean retake(String key) {
            Row r = rows.get(key);
            if (r == null || !INTERRUPTED.equals(r.status())) return false;
            rows.put(key, new Row("in-progress", null, r.finding(), r.attempt()));
            return true;
        }

        @Override
        public List<Attempt> interruptedAttempts() {
            return rows.values().stream().filter(r -> INTERRUPTED.equals(r.status()) && r.attempt() != null).map(Row::attempt).toList();
        }

        /** A crash: claims in progress become interrupted. */
        void crash() {
            rows.replaceAll((k, r) -> "in-progress".equals(r.status()) ? new Row(INTERRUPTED, null, r.finding(), r.attempt()) : r);
        }
    }

    Executor ec2(String seen, boolean throwAfterApplying) {
        return new Executor() {
            @Override
            public ActionResult execute(ActionPlan plan, Finding f, boolean dry) {
                if (plan.type().equals("notify")) return ActionResult.of(plan, ActionStatus.APPLIED, "sent");
                calls.add(plan.target());
                if (throwAfterApplying) throw new IllegalStateException("read timed out");
                return ActionResult.of(plan, ActionStatus.APPLIED, "revoked").withUndo(Map.of("Action", "AuthorizeSecurityGroupIngress", "GroupId", plan.target()));
            }

            @Override
            public ChangeCheck check(ActionPlan plan, Finding f) {
                return switch (seen) {
                    case "in-place" -> new ChangeCheck.InPlace("rule gone");
                    case "not-in-place" -> new ChangeCheck.NotInPlace("rule still there");
                    default -> new ChangeCheck.Unknown("DescribeSecurityGroupRules timed out");
                };
            }
        };
    }

    Responder responder(KeepingLedger ledger, Executor ec2) {
        return new Responder(new SelfIdentity(List.of(), "vigil"), Exemptions.NONE, Map.of("team", new TargetDef("team", "stdout", Severity.INFO, Map.of())),
                ledger, ec2, StaticInventory.empty(), BlastRadius.NONE, false);
    }

    static ActionResult revoke(Finding f) {
        return f.actions().stream().filter(a -> a.type().equals("revoke-ingress")).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-place", "not-in-place", "unknown"})
    void atStartEveryInterruptedClaimIsCheckedAndTheFindingMadeAgainRecordsIt(String seen) {
        KeepingLedger ledger = new KeepingLedger();
        FindingDraft d = ResponderRailsTest.draft("a", "111122223333", T0);
        // the first run claims and is killed before its call answers
        ActionPlan plan = d.proposals().get(0);
        ledger.claim(plan.idempotencyKey(), "p", "probe-rule", T0, Map.of("Action", "AuthorizeSecurityGroupIngress", "GroupId", "sg-a"),
                new ActionLedger.Attempt(plan.idempotencyKey(), plan, d.toFinding("p", List.of()))); // with the undo known before the attempt
        ledger.crash();

        Responder r = responder(ledger, ec2(seen, false));
        List<String> lines = r.recheckInterrupted(T0.plusSeconds(5), name -> Optional.of(ResponderRailsTest.policy()));
        assertThat(lines).hasSize(1);
        String status = ledger.rows.get("k:a").status();
        switch (seen) {
            case "in-place" -> {
                assertThat(calls).as("in place: not called again").isEmpty();
                assertThat(status).isEqualTo("applied");
            }
            case "not-in-place" -> {
                assertThat(calls).as("not in place: applied again, once").containsExactly("sg-a");
                assertThat(status).isEqualTo("applied");
            }
            default -> {
                assertThat(calls).isEmpty();
                assertThat(status).as("held, left interrupted for its event").isEqualTo(ActionLedger.INTERRUPTED);
            }
        }
        // the event comes back: the finding records the outcome, no call is made again
        Finding f = r.respond(d, ResponderRailsTest.policy(), T0.plusSeconds(10));
        ActionResult revoke = revoke(f);
        if (seen.equals("unknown")) {
            assertThat(revoke.status()).isEqualTo(ActionStatus.SKIPPED);
            assertThat(revoke.detail()).startsWith("held: interrupted");
        } else {
            assertThat(revoke.status()).isEqualTo(ActionStatus.APPLIED);
            assertThat(revoke.undo()).as("with its undo").isNotEmpty();
        }
        assertThat(calls).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aNotificationAnotherHolderHasInProgressIsNeitherSentTwiceNorReadAsSentAndIsSentOnceItsLeaseHasRunOut() {
        KeepingLedger ledger = new KeepingLedger();
        FindingDraft d = ResponderRailsTest.draft("a", "111122223333", T0);
        String key = "notify:" + d.toFinding(ResponderRailsTest.policy().name(), List.of()).id() + ":team";
        ledger.rows.put(key, new KeepingLedger.Row("in-progress", null, null, null)); // a Lambda instance killed mid-send, under its lease
        assertThatThrownBy(() -> responder(ledger, ec2("in-place", false)).respond(d, ResponderRailsTest.policy(), T0))
                .as("the message comes back; 'already notified' would lose the notification").isInstanceOf(ClaimHeldElsewhere.class);
        assertThat(ledger.rows.get(key).status()).as("the other holder's claim is left as it was").isEqualTo("in-progress");
        ledger.crash(); // its lease runs out: interrupted
        Finding f = responder(ledger, ec2("in-place", false)).respond(d, ResponderRailsTest.policy(), T0.plusSeconds(600));
        ActionResult notify = f.actions().stream().filter(a -> a.type().equals("notify")).findFirst().orElseThrow();
        assertThat(notify.status()).as("sent again: at least once").isEqualTo(ActionStatus.APPLIED);
        assertThat(ledger.rows.get(key).status()).isEqualTo("applied");
        assertThat(revoke(f).status()).as("the revoke, done before the notification was met, is recorded once").isEqualTo(ActionStatus.APPLIED);
        assertThat(calls).as("revoked once in all").hasSize(1);
    }

    @Test
    void theSameFindingMadeAgainAfterACrashRecordsWhatItsCallDidAnotherFindingSeesAlreadyApplied() {
        KeepingLedger ledger = new KeepingLedger();
        FindingDraft d = ResponderRailsTest.draft("a", "111122223333", T0);
        assertThat(revoke(responder(ledger, ec2("in-place", false)).respond(d, ResponderRailsTest.policy(), T0)).status()).isEqualTo(ActionStatus.APPLIED);
        // killed before the finding was recorded: a new process answers the same draft
        Finding again = responder(ledger, ec2("in-place", false)).respond(d, ResponderRailsTest.policy(), T0.plusSeconds(30));
        assertThat(revoke(again).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(revoke(again).detail()).isEqualTo("revoked");
        assertThat(revoke(again).undo()).containsEntry("GroupId", "sg-a");
        assertThat(calls).containsExactly("sg-a");
        // a different finding on the same key (another event) is answered already-applied
        FindingDraft other = ResponderRailsTest.draft("a", "111122223333", T0.plusSeconds(60));
        assertThat(revoke(responder(ledger, ec2("in-place", false)).respond(other, ResponderRailsTest.policy(), T0.plusSeconds(60))).status())
                .isEqualTo(ActionStatus.ALREADY_APPLIED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-place", "not-in-place"})
    void aCallThatThrowsIsCheckedInTheAccount(String seen) {
        KeepingLedger ledger = new KeepingLedger();
        Finding f = responder(ledger, ec2(seen, true)).respond(ResponderRailsTest.draft("a", "111122223333", T0), ResponderRailsTest.policy(), T0);
        if (seen.equals("in-place")) {
            assertThat(revoke(f).status()).isEqualTo(ActionStatus.APPLIED);
            assertThat(revoke(f).detail()).contains("read timed out").contains("in place (rule gone)");
            assertThat(ledger.rows.get("k:a").status()).isEqualTo("applied");
        } else {
            assertThat(revoke(f).status()).isEqualTo(ActionStatus.FAILED);
            assertThat(ledger.rows).as("released: a later event may try again").doesNotContainKey("k:a");
        }
    }

    @Test
    void aClaimOfOursNotYetCalledWhenAFaultCameIsCalledWhenTheDraftIsAnsweredAgain() {
        KeepingLedger ledger = new KeepingLedger();
        ledger.failClaimAfterCommit = 1;
        Responder r = responder(ledger, ec2("in-place", false));
        FindingDraft d = ResponderRailsTest.draft("a", "111122223333", T0);
        assertThatThrownBy(() -> r.respond(d, ResponderRailsTest.policy(), T0)).hasMessageContaining("database is locked");
        assertThat(calls).isEmpty();
        Finding f = r.respond(d, ResponderRailsTest.policy(), T0); // the use case answers the draft again
        assertThat(revoke(f).status()).as("called under our own claim, not read as someone else's").isEqualTo(ActionStatus.APPLIED);
        assertThat(calls).containsExactly("sg-a");
    }

    /** Slots in memory, as a shared store's: taken atomically (synchronized), given back. */
    static final class MemorySlots implements BlastSlots {
        final List<String> taken = new ArrayList<>();
        int gaveBack;

        @Override
        public synchronized Optional<Slot> take(String account, Instant now, java.time.Duration window, int max) {
            if (taken.size() >= max) return Optional.empty();
            String t = "t" + taken.size() + "-" + gaveBack;
            taken.add(t);
            return Optional.of(new Slot(account, taken.size() - 1, t));
        }

        @Override
        public synchronized void giveBack(Slot slot) {
            gaveBack++;
            taken.remove(slot.token());
        }
    }

    @Test
    void onASharedStoreTheBlastRadiusSlotIsTakenBeforeTheCallAndGivenBackWhenNothingWasApplied() {
        MemorySlots slots = new MemorySlots();
        BlastRadius limit = BlastRadius.claimed(1, java.time.Duration.ofHours(1), java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC), slots);
        KeepingLedger ledger = new KeepingLedger();
        ledger.rows.put("k:b", new KeepingLedger.Row("applied", null, "someone-else", null)); // b was done by another finding
        Responder r = new Responder(new SelfIdentity(List.of(), "vigil"), Exemptions.NONE, Map.of("team", new TargetDef("team", "stdout", Severity.INFO, Map.of())),
                ledger, ec2("in-place", false), StaticInventory.empty(), limit, false);
        assertThat(revoke(r.respond(ResponderRailsTest.draft("b", "111122223333", T0), ResponderRailsTest.policy(), T0)).status())
                .isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(slots.taken).as("already applied: its slot given back").isEmpty();
        assertThat(slots.gaveBack).isEqualTo(1);
        assertThat(revoke(r.respond(ResponderRailsTest.draft("a", "111122223333", T0), ResponderRailsTest.policy(), T0)).status())
                .isEqualTo(ActionStatus.APPLIED);
        assertThat(slots.taken).hasSize(1);
        Finding held = r.respond(ResponderRailsTest.draft("c", "111122223333", T0), ResponderRailsTest.policy(), T0);
        assertThat(revoke(held).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(revoke(held).detail()).startsWith("approval needed: blast-radius limit of 1");
        assertThat(calls).containsExactly("sg-a");
    }
}
