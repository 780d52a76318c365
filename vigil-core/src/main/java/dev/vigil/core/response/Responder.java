package dev.vigil.core.response;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.inventory.LearnedTags;
import dev.vigil.core.policy.Exemptions;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicyDef;
import dev.vigil.core.policy.SelfIdentity;
import dev.vigil.core.policy.TargetDef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a rule's draft into a finding with action results: the policy's responses for the rule select among the
 * rule's proposals; then, in order, the safety rails: a call made by vigil itself is never answered, exempt
 * resources are never acted on, a rule's "no action" reason (failed call, sample finding) holds, dry-run plans
 * only, and the ledger makes each change happen once.
 */
public final class Responder {
    private final SelfIdentity self;
    private final Exemptions global;
    private final Map<String, TargetDef> targets;
    private final ActionLedger ledger;
    private final Executor executor;
    /** The inventory's tags with those learnt from the stream: the one view every exemption check reads. */
    private final LearnedTags inventory;
    private final BlastRadius blastRadius;
    private final boolean globalDryRun;
    /**
     * Results of calls made under a claim this process holds whose completion the ledger failed to record (the store
     * threw after the call): when the same key comes again (the message redelivered) the claim is completed with the
     * result then, rather than the call being taken for someone else's ("already applied") or made twice.
     */
    private final Map<String, ActionResult> uncompleted = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Keys this process claimed whose call has not been made yet: a fault between the claim and the call (the store,
     * say, after the claim committed) leaves the claim in progress and ours; the draft answered again calls under it
     * rather than reading its own claim as someone else's ("already applied", with nothing done).
     */
    private final java.util.Set<String> claimed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final String IN_PROGRESS = "in-progress";

    public Responder(SelfIdentity self, Exemptions global, Map<String, TargetDef> targets, ActionLedger ledger,
                     Executor executor, Inventory inventory) {
        this(self, global, targets, ledger, executor, inventory, BlastRadius.NONE, false);
    }

    /**
     * @param blastRadius the per-account limit of disruptive actions (live runtimes), {@link BlastRadius#NONE} for none
     * @param globalDryRun every response is checked and never carried out, whatever each policy says
     */
    public Responder(SelfIdentity self, Exemptions global, Map<String, TargetDef> targets, ActionLedger ledger,
                     Executor executor, Inventory inventory, BlastRadius blastRadius, boolean globalDryRun) {
        this.blastRadius = blastRadius;
        this.globalDryRun = globalDryRun;
        this.self = self;
        this.global = global;
        this.targets = Map.copyOf(targets);
        this.ledger = ledger;
        this.executor = executor;
        this.inventory = inventory instanceof LearnedTags l ? l : new LearnedTags(inventory);
    }

    /**
     * Learns what an event says of tags (CreateTags, DeleteTags, CreateSecurityGroup, RunInstances) before any
     * response to it or to a later event, so that exemptions by tag follow the account as the stream tells it.
     */
    public void learn(SecurityEvent event) {
        inventory.learn(event);
    }

    /**
     * Notifications go last, so that a message shows what became of the other responses (applied, held for
     * approval, failed). Each delivery is claimed in the ledger under the finding's id and the target, so a finding
     * made again from a redelivered message is not sent twice.
     */
    public Finding respond(FindingDraft draft, PolicyDef policy, Instant now) {
        FaultPoints.at(FaultPoints.Step.DECIDE);
        Finding bare = null; // made when a plan needs it: most findings carry none
        List<ActionResult> results = new ArrayList<>();
        String selfReason = draft.trigger() instanceof CloudTrailCall c && self.matches(c.principal())
                ? "caused by vigil's own principal " + c.principal().display() + ": not answered" : null;
        boolean notify = false;
        for (String response : policy.responsesFor(draft.rule())) {
            if (PolicyCompiler.NOTIFY.equals(response)) {
                notify = true;
                continue;
            }
            List<ActionPlan> plans = draft.proposals().stream().filter(a -> a.type().equals(response)).toList();
            if (plans.isEmpty()) {
                results.add(new ActionResult(response, draft.resource() == null ? "-" : draft.resource(), ActionStatus.SKIPPED,
                        draft.noActionReason() != null ? draft.noActionReason() : "not applicable to this finding", Map.of()));
                continue;
            }
            if (bare == null) bare = draft.toFinding(policy.name(), List.of());
            for (ActionPlan plan : plans) results.add(act(plan, draft, policy, bare, now, selfReason));
        }
        if (notify) {
            Finding sofar = draft.toFinding(policy.name(), results);
            for (String t : policy.notifyTargets()) results.add(notify(sofar, policy, t, now));
        }
        return draft.toFinding(policy.name(), results);
    }

    private ActionResult notify(Finding f, PolicyDef policy, String targetName, Instant now) {
        TargetDef t = targets.get(targetName);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("target_type", t == null ? "unknown" : t.type());
        String id = f.id(); // a SHA-256 of the finding's key fields: made once for the claim and its record
        String key = "notify:" + id + ":" + targetName;
        ActionPlan plan = new ActionPlan(PolicyCompiler.NOTIFY, targetName, params, "notify " + targetName, key, false);
        if (t != null && !f.severity().atLeast(t.minSeverity())) {
            return ActionResult.of(plan, ActionStatus.SKIPPED, "below " + targetName + "'s minimum severity " + t.minSeverity().label());
        }
        if (globalDryRun || policy.dryRun()) return executor.execute(plan, f, true);
        ActionResult held = uncompleted.get(key);
        if (held != null) return settle(key, held, id);
        boolean again = !claimed.add(key); // a fault came between this process's claim and the delivery's record
        Optional<ActionLedger.Claim> existing = ledger.claim(key, policy.name(), f.rule(), now);
        if (again && existing.isPresent() && IN_PROGRESS.equals(existing.get().status())) existing = Optional.empty(); // ours: sent again
        if (existing.isPresent() && ActionLedger.INTERRUPTED.equals(existing.get().status()) && ledger.retake(key)) {
            existing = Optional.empty(); // an interrupted delivery is sent again: at least once (the finding id lets receivers dedupe)
        }
        if (existing.isPresent() && IN_PROGRESS.equals(existing.get().status())) {
            // another holder's, under its lease: sending now, or killed before its record (a Lambda instance cut short mid-send);
            // not "already notified", which would lose it: the message comes back, and once the lease has run out the
            // interrupted delivery is sent again
            claimed.remove(key);
            throw new ClaimHeldElsewhere(key, existing.get());
        }
        if (existing.isPresent()) {
            claimed.remove(key);
            return ActionResult.of(plan, ActionStatus.ALREADY_APPLIED, "already notified " + targetName + " at " + existing.get().at()
                    + " (" + existing.get().status() + ")");
        }
        ActionResult r;
        try {
            r = executor.execute(plan, f, false);
            if (r.status() != ActionStatus.QUEUED) FaultPoints.at(FaultPoints.Step.NOTIFY);
        } catch (RuntimeException e) {
            r = ActionResult.of(plan, ActionStatus.FAILED, e.getClass().getSimpleName());
        }
        uncompleted.put(key, r);
        return settle(key, r, id);
    }

    /**
     * Records a claimed call's result in the ledger, with its outcome and the finding it answered (a failure releases
     * the claim); throws, keeping it, if the store does.
     */
    private ActionResult settle(String key, ActionResult r, String findingId) {
        if (r.status() == ActionStatus.FAILED || r.status() == ActionStatus.QUEUED) ledger.release(key); // queued: the delivery worker claims it
        else ledger.complete(key, r.status().label(), new ActionLedger.Outcome(r.status(), r.detail(), r.undo()), findingId);
        uncompleted.remove(key);
        claimed.remove(key);
        return r;
    }

    /** What a call that threw did is not known: the account is asked, as for an interrupted call. */
    private ActionResult failedOrInPlace(ActionPlan plan, Finding bare, RuntimeException e) {
        String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        ChangeCheck check;
        try {
            check = executor.check(plan, bare);
        } catch (RuntimeException x) {
            check = new ChangeCheck.Unknown(x.getClass().getSimpleName());
        }
        if (check instanceof ChangeCheck.InPlace p) {
            return ActionResult.of(plan, ActionStatus.APPLIED, "the call ended in " + why + "; checked in the account: in place (" + p.seen() + ")")
                    .withUndo(p.undo().isEmpty() ? plan.undo() : p.undo());
        }
        return ActionResult.of(plan, ActionStatus.FAILED, why);
    }

    /**
     * The start-up pass: every claim a crash left interrupted whose attempt the ledger kept is checked against the
     * account before anything else is processed. In place: completed with what the look-up saw. The look-up fails:
     * held, left interrupted for its event. Not in place: applied again only past the rails a fresh decision passes
     * now ({@link #railsRefuse}: the policy and its response still there, vigil's own principal, exemptions, the
     * policy's dry-run, the blast radius); refused, the claim is released (a later decision is free to act once the
     * rails allow it) and held, with the reason, in the line returned, and the finding made again from the event's
     * redelivery meets the same rails. Each claim then holds its outcome, which that finding records. Notifications are
     * left to their deliveries (sent again). Under a global dry-run nothing is called, not even the look-up: each
     * claim is held, left interrupted for a start without it.
     *
     * @param policies the policies now in force, by name (a policy removed since: empty)
     * @return one line per claim checked
     */
    public List<String> recheckInterrupted(Instant now, java.util.function.Function<String, Optional<PolicyDef>> policies) {
        List<String> out = new ArrayList<>();
        for (ActionLedger.Attempt a : ledger.interruptedAttempts()) {
            if (a.key().startsWith("notify:")) continue;
            ActionPlan plan = withKeptUndo(a.plan(), a.key());
            Finding bare = a.finding();
            ActionResult r;
            if (globalDryRun) {
                r = ActionResult.of(plan, ActionStatus.SKIPPED, "held: global dry-run: neither checked in the account nor applied again;"
                        + " left interrupted for a start without --dry-run");
            } else {
                r = interrupted(plan, bare.account(), bare, a.key(), now);
            }
            if (r == null) { // not in place, and the claim retaken: applied again now, if a fresh decision would
                String refused = railsRefuse(plan, a, policies.apply(bare.policy()).orElse(null));
                if (refused == null && plan.disruptive()) refused = blastRadius.refusal(bare.account(), now); // on a shared store: takes a slot
                if (refused != null) {
                    ledger.release(a.key()); // no call made under it; a later decision acts once the rails allow it
                    claimed.remove(a.key());
                    r = ActionResult.of(plan, ActionStatus.SKIPPED, "held: interrupted, not in place, and not applied again: " + refused);
                } else {
                    try {
                        r = executor.execute(plan, bare, false);
                    } catch (RuntimeException e) {
                        r = failedOrInPlace(plan, bare, e);
                    }
                    if (plan.disruptive()) {
                        if (r.status() == ActionStatus.APPLIED) blastRadius.record(bare.account(), now);
                        else blastRadius.unused(bare.account());
                    }
                    uncompleted.put(a.key(), r);
                    settle(a.key(), r, bare.id());
                }
            }
            out.add(plan.type() + " " + plan.target() + " (" + a.key() + "): " + r.status().label() + ": " + r.detail());
        }
        return out;
    }

    /**
     * Why a fresh decision would not apply the attempt's plan now, or null: the rails of {@link #act} but the blast
     * radius (taken last, by the caller), in their order. A removed policy, or one that no longer answers the rule
     * with this response, decides nothing.
     */
    private String railsRefuse(ActionPlan plan, ActionLedger.Attempt a, PolicyDef policy) {
        Finding f = a.finding();
        if (policy == null || !policy.enabled()) return "policy " + f.policy() + " is no longer in force (removed or disabled)";
        if (!policy.responsesFor(f.rule()).contains(plan.type())) {
            return "policy " + policy.name() + " no longer answers " + f.rule() + " with " + plan.type();
        }
        if (a.trigger() != null && self.matches(a.trigger())) return "caused by vigil's own principal " + a.trigger().display() + ": not answered";
        Exemptions ex = global.plus(policy.exemptions());
        String why = ex.reason(plan.target(), inventory.tagsOf(plan.target()));
        if (why == null && f.resource() != null && !f.resource().equals(plan.target())) why = ex.reason(f.resource(), inventory.tagsOf(f.resource()));
        if (why != null) return why;
        if (policy.dryRun()) return "policy " + policy.name() + " is dry-run now";
        return null;
    }

    /**
     * Interrupted means unknown, not done: the account is asked whether the change is in place. In place: the claim is
     * completed with what the look-up saw. Not in place: null, with the claim retaken, so the caller applies it again.
     * The look-up fails: held as skipped and reported in the result, the claim left interrupted.
     */
    private ActionResult interrupted(ActionPlan plan, dev.vigil.core.event.AccountId account, Finding bare, String key, Instant now) {
        ChangeCheck check;
        try {
            check = executor.check(plan, bare);
        } catch (RuntimeException e) {
            check = new ChangeCheck.Unknown(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return switch (check) {
            case ChangeCheck.InPlace p -> {
                ActionResult done = ActionResult.of(plan, ActionStatus.APPLIED, "interrupted before the call answered; checked in the account: in place ("
                        + p.seen() + ")").withUndo(p.undo().isEmpty() ? ledger.kept(key) : p.undo()); // never this attempt's view
                // taken over first: a leased ledger completes only the claims its caller holds (else the claim stays
                // in progress past its lease, and every later claim finds it interrupted again); taken by another
                // meanwhile, the complete is a no-op there and the other's record stands
                ledger.retake(key);
                ledger.complete(key, ActionStatus.APPLIED.label(), new ActionLedger.Outcome(done.status(), done.detail(), done.undo()), bare.id());
                if (plan.disruptive()) blastRadius.alreadyCounted(account, now); // applied by the attempt the crash cut short
                yield done;
            }
            case ChangeCheck.NotInPlace n -> ledger.retake(key) ? null : ActionResult.of(plan, ActionStatus.ALREADY_APPLIED,
                    "interrupted, not in place (" + n.seen() + "), and taken over by another runtime meanwhile");
            case ChangeCheck.Unknown u -> ActionResult.of(plan, ActionStatus.SKIPPED, "held: interrupted before the call answered, and whether"
                    + " its change is in place is unknown (" + u.why() + "): check it and 'vigil actions'");
        };
    }

    /** The plan with the undo kept with its claim before the first attempt, when one was kept. */
    private ActionPlan withKeptUndo(ActionPlan plan, String key) {
        Map<String, Object> kept = ledger.kept(key);
        return kept.isEmpty() ? plan : new ActionPlan(plan.type(), plan.target(), plan.params(), plan.detail(), plan.idempotencyKey(),
                plan.disruptive(), kept);
    }

    private ActionResult act(ActionPlan plan, FindingDraft draft, PolicyDef policy, Finding bare, Instant now, String selfReason) {
        if (selfReason != null) return ActionResult.of(plan, ActionStatus.SKIPPED, selfReason);
        if (draft.noActionReason() != null) return ActionResult.of(plan, ActionStatus.SKIPPED, draft.noActionReason());
        Exemptions ex = global.plus(policy.exemptions());
        String why = ex.reason(plan.target(), inventory.tagsOf(plan.target()));
        if (why == null && draft.resource() != null && !draft.resource().equals(plan.target())) {
            why = ex.reason(draft.resource(), inventory.tagsOf(draft.resource()));
        }
        if (why != null) return ActionResult.of(plan, ActionStatus.SKIPPED, why);
        if (globalDryRun || policy.dryRun()) return executor.execute(plan, bare, true);
        if (!plan.disruptive()) return claimAndCall(plan, draft, policy, bare, now);
        String refused = blastRadius.refusal(draft.account(), now); // on a shared store: takes a slot, atomically
        if (refused != null) return ActionResult.of(plan, ActionStatus.SKIPPED, refused);
        ActionResult r = claimAndCall(plan, draft, policy, bare, now); // throws: the slot stays taken for the draft answered again
        if (r.status() != ActionStatus.APPLIED) blastRadius.unused(draft.account()); // not applied here: its slot given back
        return r;
    }

    private ActionResult claimAndCall(ActionPlan plan, FindingDraft draft, PolicyDef policy, Finding bare, Instant now) {
        String key = plan.idempotencyKey();
        ActionResult held = key == null ? null : uncompleted.get(key);
        if (held != null) return settle(key, held, bare.id()); // counted in the blast radius when it was applied
        if (key != null) {
            boolean again = !claimed.add(key); // a fault came between this process's claim (or its commit) and the call
            // the undo known before the first attempt (a quarantine's groups to restore) is kept with the claim
            Optional<ActionLedger.Claim> existing = ledger.claim(key, policy.name(), draft.rule(), now, plan.undo(),
                    new ActionLedger.Attempt(key, plan, bare, draft.trigger() instanceof CloudTrailCall c ? c.principal() : null));
            if (again && existing.isPresent() && IN_PROGRESS.equals(existing.get().status())) existing = Optional.empty(); // ours: not called yet
            if (existing.isPresent() && ActionLedger.INTERRUPTED.equals(existing.get().status())) {
                plan = withKeptUndo(plan, key); // never what this attempt sees now (the isolation the first put there)
                ActionResult checked = interrupted(plan, draft.account(), bare, key, now);
                if (checked != null) {
                    claimed.remove(key);
                    return checked;
                }
                existing = Optional.empty(); // not in place, and the claim retaken: applied again below
            }
            if (existing.isPresent() && IN_PROGRESS.equals(existing.get().status())) {
                // another holder's, under its lease (a shared store): alive and acting, or dead with its call unanswered;
                // neither "already applied" (it may never be) nor ours to make: the message comes back
                claimed.remove(key);
                throw new ClaimHeldElsewhere(key, existing.get());
            }
            if (existing.isEmpty()) FaultPoints.at(FaultPoints.Step.CLAIM);
            if (existing.isPresent()) {
                claimed.remove(key);
                Optional<ActionLedger.Outcome> own = ledger.outcome(key, bare.id());
                if (own.isPresent()) { // this very finding's call, answered before a crash cut the finding's record short
                    ActionLedger.Outcome o = own.get();
                    if (plan.disruptive() && o.status() == ActionStatus.APPLIED) blastRadius.alreadyCounted(draft.account(), now);
                    return ActionResult.of(plan, o.status(), o.detail()).withUndo(o.undo().isEmpty() ? plan.undo() : o.undo());
                }
                ActionLedger.Claim c = existing.get();
                return ActionResult.of(plan, ActionStatus.ALREADY_APPLIED,
                        "already done for " + c.findingRule() + " by policy " + c.policy() + " at " + c.at() + " (" + c.status() + ")");
            }
        }
        ActionResult r;
        try {
            r = executor.execute(plan, bare, false);
            FaultPoints.at(FaultPoints.Step.EXECUTE);
        } catch (RuntimeException e) {
            r = failedOrInPlace(plan, bare, e); // the call may have taken effect before it threw
        }
        if (plan.disruptive() && r.status() == ActionStatus.APPLIED) blastRadius.record(draft.account(), now);
        if (key != null) {
            uncompleted.put(key, r);
            settle(key, r, bare.id());
        }
        return r;
    }
}
