package dev.vigil.core.response;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.Principal;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.Exemptions;
import dev.vigil.core.policy.PolicyDef;
import dev.vigil.core.policy.SelfIdentity;
import dev.vigil.core.policy.TargetDef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The start-up pass re-runs the rails: a claim a crash left interrupted whose change is not in place is applied again
 * only where a fresh decision would apply it now. For each rail (the policy still in force and answering the rule with
 * the response, vigil's own principal, exemptions by id and by tag, the policy's dry-run, the global dry-run, the
 * blast radius), the same interrupted claim: held with the rail's reason, no call made, the claim released; and the
 * control: no rail in the way, applied again once.
 */
class RecheckRailsTest {
    static final Instant T0 = ResponderRailsTest.T0;
    static final String ACCOUNT = "111122223333";
    static final String ID = "0123456789abcdef0";
    static final String GROUP = "sg-" + ID;
    static final String KEY = "k:" + ID;

    final List<String> calls = new ArrayList<>();
    final List<String> lookUps = new ArrayList<>();

    /** EC2 where the rule is still there (the interrupted call never reached it): not in place. */
    final Executor ec2 = new Executor() {
        @Override
        public ActionResult execute(ActionPlan plan, Finding f, boolean dry) {
            if (dry) return ActionResult.of(plan, ActionStatus.PLANNED, "dry-run");
            calls.add(plan.target());
            return ActionResult.of(plan, ActionStatus.APPLIED, "revoked").withUndo(Map.of("Action", "AuthorizeSecurityGroupIngress"));
        }

        @Override
        public ChangeCheck check(ActionPlan plan, Finding f) {
            lookUps.add(plan.target());
            return new ChangeCheck.NotInPlace("rule still there");
        }
    };

    /** A ledger holding one claim a crash cut short, with its attempt and the principal that triggered it. */
    static ResponderRecoveryTest.KeepingLedger interrupted(Principal trigger) {
        ResponderRecoveryTest.KeepingLedger ledger = new ResponderRecoveryTest.KeepingLedger();
        FindingDraft d = ResponderRailsTest.draft(ID, ACCOUNT, T0);
        ActionPlan plan = d.proposals().get(0);
        ledger.claim(KEY, "p", "probe-rule", T0, Map.of(), new ActionLedger.Attempt(KEY, plan, d.toFinding("p", List.of()), trigger));
        ledger.crash();
        return ledger;
    }

    static Principal user(String account, String name) {
        return new Principal("IAMUser", "arn:aws:iam::" + account + ":user/" + name, account, name, null, null);
    }

    Responder responder(ActionLedger ledger, SelfIdentity self, Exemptions global, StaticInventory inventory, BlastRadius limit, boolean dryRun) {
        return new Responder(self, global, Map.of("team", new TargetDef("team", "stdout", Severity.INFO, Map.of())), ledger, ec2, inventory, limit, dryRun);
    }

    Responder plain(ActionLedger ledger) {
        return responder(ledger, new SelfIdentity(List.of(), "vigil"), Exemptions.NONE, StaticInventory.empty(), BlastRadius.NONE, false);
    }

    static PolicyDef policy(boolean dryRun, Map<String, List<String>> responses, Exemptions exemptions) {
        PolicyDef p = ResponderRailsTest.policy();
        return new PolicyDef(p.name(), p.detector(), true, dryRun, p.params(), responses, p.notifyTargets(), exemptions, p.where());
    }

    static PolicyDef policy() {
        return ResponderRailsTest.policy();
    }

    /** The pass's one line for the claim, asserting it was held and that nothing was applied. */
    String held(Responder r, ResponderRecoveryTest.KeepingLedger ledger, Optional<PolicyDef> now) {
        List<String> lines = r.recheckInterrupted(T0.plusSeconds(60), name -> now);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains(": skipped: held: interrupted, not in place, and not applied again: ");
        assertThat(calls).as("not applied again").isEmpty();
        assertThat(ledger.rows).as("released: a later decision acts once the rails allow it").doesNotContainKey(KEY);
        return lines.get(0);
    }

    @Test
    void noRailInTheWayAppliesItAgainOnce() {
        var ledger = interrupted(user(ACCOUNT, "x"));
        List<String> lines = plain(ledger).recheckInterrupted(T0.plusSeconds(60), name -> Optional.of(policy()));
        assertThat(lines).singleElement().asString().contains(": applied: revoked");
        assertThat(calls).containsExactly(GROUP);
        assertThat(ledger.rows.get(KEY).status()).isEqualTo("applied");
    }

    @Test
    void aPolicyRemovedSinceHoldsIt() {
        var ledger = interrupted(null);
        assertThat(held(plain(ledger), ledger, Optional.empty())).contains("policy p is no longer in force");
    }

    @Test
    void aPolicyThatNoLongerAnswersTheRuleWithTheResponseHoldsIt() {
        var ledger = interrupted(null);
        PolicyDef notifyOnly = policy(false, Map.of("*", List.of("notify")), Exemptions.NONE);
        assertThat(held(plain(ledger), ledger, Optional.of(notifyOnly))).contains("policy p no longer answers probe-rule with revoke-ingress");
    }

    @Test
    void vigilsOwnPrincipalHoldsIt() {
        Principal own = new Principal("AssumedRole", "arn:aws:sts::" + ACCOUNT + ":assumed-role/vigil-daemon/vigil", ACCOUNT, null,
                "arn:aws:iam::" + ACCOUNT + ":role/vigil-daemon", null);
        var ledger = interrupted(own);
        SelfIdentity self = new SelfIdentity(List.of("arn:aws:iam::" + ACCOUNT + ":role/vigil-daemon"), "vigil");
        Responder r = responder(ledger, self, Exemptions.NONE, StaticInventory.empty(), BlastRadius.NONE, false);
        assertThat(held(r, ledger, Optional.of(policy()))).contains("caused by vigil's own principal").contains("not answered");
    }

    @Test
    void anotherPrincipalIsNotTakenForVigils() {
        var ledger = interrupted(user(ACCOUNT, "x"));
        SelfIdentity self = new SelfIdentity(List.of("arn:aws:iam::" + ACCOUNT + ":role/vigil-daemon"), "vigil");
        Responder r = responder(ledger, self, Exemptions.NONE, StaticInventory.empty(), BlastRadius.NONE, false);
        assertThat(r.recheckInterrupted(T0.plusSeconds(60), name -> Optional.of(policy()))).singleElement().asString().contains(": applied: ");
        assertThat(calls).containsExactly(GROUP);
    }

    @Test
    void aResourceExemptedSinceByIdInThePolicyHoldsIt() {
        var ledger = interrupted(null);
        PolicyDef exempting = policy(false, policy().responses(), new Exemptions(Set.of(GROUP), Map.of()));
        assertThat(held(plain(ledger), ledger, Optional.of(exempting))).contains("exempt: " + GROUP + " is listed in exemptions");
    }

    @Test
    void aResourceExemptedGloballyByTagHoldsIt() {
        var ledger = interrupted(null);
        StaticInventory tagged = StaticInventory.empty().add(new dev.vigil.core.inventory.SecurityGroupInfo(
                dev.vigil.core.event.SecurityGroupId.of(GROUP), "lab", null, null, Map.of("vigil:exempt", "true")));
        Responder r = responder(ledger, new SelfIdentity(List.of(), "vigil"), new Exemptions(Set.of(), Map.of("vigil:exempt", "true")), tagged,
                BlastRadius.NONE, false);
        assertThat(held(r, ledger, Optional.of(policy()))).contains("exempt: " + GROUP + " has tag vigil:exempt=true");
    }

    @Test
    void aPolicyMadeDryRunSinceHoldsIt() {
        var ledger = interrupted(null);
        PolicyDef dry = policy(true, policy().responses(), Exemptions.NONE);
        assertThat(held(plain(ledger), ledger, Optional.of(dry))).contains("policy p is dry-run now");
    }

    @Test
    void aGlobalDryRunCallsNothingNotEvenTheLookUpAndLeavesTheClaimInterrupted() {
        var ledger = interrupted(null);
        Responder r = responder(ledger, new SelfIdentity(List.of(), "vigil"), Exemptions.NONE, StaticInventory.empty(), BlastRadius.NONE, true);
        List<String> lines = r.recheckInterrupted(T0.plusSeconds(60), name -> Optional.of(policy()));
        assertThat(lines).singleElement().asString().contains(": skipped: held: global dry-run");
        assertThat(calls).isEmpty();
        assertThat(lookUps).isEmpty();
        assertThat(ledger.rows.get(KEY).status()).as("checked at a start without --dry-run").isEqualTo(ActionLedger.INTERRUPTED);
    }

    @Test
    void theBlastRadiusReachedHoldsIt() {
        var ledger = interrupted(null);
        BlastRadius limit = new BlastRadius(1, Duration.ofHours(1));
        limit.record(dev.vigil.core.event.AccountId.of(ACCOUNT), T0.plusSeconds(30)); // one applied in the window already
        Responder r = responder(ledger, new SelfIdentity(List.of(), "vigil"), Exemptions.NONE, StaticInventory.empty(), limit, false);
        assertThat(held(r, ledger, Optional.of(policy()))).contains("approval needed: blast-radius limit of 1");
    }

    @Test
    void onASharedStoreTheBlastRadiusSlotIsTakenForTheApplyAndNoneIsLeftTakenWhenHeld() {
        ResponderRecoveryTest.MemorySlots slots = new ResponderRecoveryTest.MemorySlots();
        BlastRadius limit = BlastRadius.claimed(1, Duration.ofHours(1), java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC), slots);
        var ledger = interrupted(null);
        Responder r = responder(ledger, new SelfIdentity(List.of(), "vigil"), Exemptions.NONE, StaticInventory.empty(), limit, false);
        assertThat(r.recheckInterrupted(T0.plusSeconds(60), name -> Optional.of(policy()))).singleElement().asString().contains(": applied: ");
        assertThat(slots.taken).as("the apply holds its slot").hasSize(1);

        calls.clear();
        var second = interrupted(null);
        Responder r2 = responder(second, new SelfIdentity(List.of(), "vigil"), Exemptions.NONE, StaticInventory.empty(), limit, false);
        assertThat(held(r2, second, Optional.of(policy()))).contains("approval needed: blast-radius limit of 1");
        assertThat(slots.taken).hasSize(1);
    }

    @Test
    void inPlaceIsCompletedWhateverTheRailsSayNow() {
        // the change is a fact in the account: recorded as applied (with its undo), not held
        var ledger = interrupted(null);
        Executor inPlace = new Executor() {
            @Override
            public ActionResult execute(ActionPlan plan, Finding f, boolean dry) {
                calls.add(plan.target());
                return ActionResult.of(plan, ActionStatus.APPLIED, "revoked");
            }

            @Override
            public ChangeCheck check(ActionPlan plan, Finding f) {
                return new ChangeCheck.InPlace("rule gone");
            }
        };
        Responder r = new Responder(new SelfIdentity(List.of(), "vigil"), Exemptions.NONE, Map.of(), ledger, inPlace, StaticInventory.empty(),
                BlastRadius.NONE, false);
        PolicyDef dry = policy(true, policy().responses(), Exemptions.NONE);
        assertThat(r.recheckInterrupted(T0.plusSeconds(60), name -> Optional.of(dry))).singleElement().asString().contains(": applied: ");
        assertThat(calls).isEmpty();
        assertThat(ledger.rows.get(KEY).status()).isEqualTo("applied");
    }
}
