package dev.vigil.core.response;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.Exemptions;
import dev.vigil.core.policy.PolicyDef;
import dev.vigil.core.policy.PolicyNode;
import dev.vigil.core.policy.SelfIdentity;
import dev.vigil.core.policy.TargetDef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live runtime's rails in the responder: blast-radius limit, notifications last and once, global dry-run. */
class ResponderRailsTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    final List<String> calls = new ArrayList<>();
    final List<Finding> notified = new ArrayList<>();

    final Executor recording = (plan, f, dry) -> {
        if (plan.type().equals("notify")) {
            if (dry) return ActionResult.of(plan, ActionStatus.PLANNED, "would send");
            notified.add(f);
            return ActionResult.of(plan, ActionStatus.APPLIED, "sent");
        }
        calls.add(plan.target() + (dry ? " (dry)" : ""));
        return ActionResult.of(plan, dry ? ActionStatus.PLANNED : ActionStatus.APPLIED, "done");
    };

    static PolicyDef policy() {
        return new PolicyDef("p", "probe", true, false, PolicyNode.emptyMap("f", 1, "params"),
                Map.of("*", List.of("notify", "revoke-ingress")), List.of("team"), Exemptions.NONE, "f:1");
    }

    static FindingDraft draft(String id, String account, Instant t) {
        CloudTrailCall c = new CloudTrailCall(id, t, AccountId.of(account), Region.of("us-east-1"), Origin.record("f.json", 1),
                "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", new Principal("IAMUser", "arn:aws:iam::" + account + ":user/x", account,
                null, null, null), "198.51.100.7", "aws-cli", null, null, MissingNode.getInstance(), MissingNode.getInstance(), false);
        return FindingDraft.of("probe-rule", Severity.HIGH).from(c).resource("sg-" + id).summary("s")
                .propose(new ActionPlan("revoke-ingress", "sg-" + id, Map.of("Action", "RevokeSecurityGroupIngress"), "revoke", "k:" + id, true));
    }

    Responder responder(BlastRadius limit, boolean dryRun, ActionLedger ledger) {
        return new Responder(new SelfIdentity(List.of(), "vigil"), Exemptions.NONE, Map.of("team", new TargetDef("team", "stdout", Severity.INFO, Map.of())),
                ledger, recording, StaticInventory.empty(), limit, dryRun);
    }

    @Test
    void beyondTheLimitPerAccountAndWindowActionsAreHeldForApproval() {
        Responder r = responder(new BlastRadius(2, Duration.ofHours(1)), false, new InMemoryActionLedger());
        List<ActionStatus> a = new ArrayList<>();
        for (int i = 0; i < 3; i++) a.add(revoke(r.respond(draft("a" + i, "111122223333", T0.plusSeconds(i)), policy(), T0.plusSeconds(i))));
        assertThat(a).containsExactly(ActionStatus.APPLIED, ActionStatus.APPLIED, ActionStatus.SKIPPED);
        Finding held = r.respond(draft("a9", "111122223333", T0.plusSeconds(9)), policy(), T0.plusSeconds(9));
        assertThat(held.actions().get(0).detail()).startsWith("approval needed: blast-radius limit of 2");
        // another account has its own count; an hour later the first one may act again
        assertThat(revoke(r.respond(draft("b0", "444455556666", T0), policy(), T0))).isEqualTo(ActionStatus.APPLIED);
        Instant later = T0.plus(Duration.ofMinutes(61));
        assertThat(revoke(r.respond(draft("a10", "111122223333", later), policy(), later))).isEqualTo(ActionStatus.APPLIED);
        assertThat(calls).containsExactly("sg-a0", "sg-a1", "sg-b0", "sg-a10");
        // the notification of the held one says so
        assertThat(notified.get(2).actions()).anySatisfy(x -> assertThat(x.detail()).contains("approval needed"));
    }

    @Test
    void notificationsGoLastShowingTheOtherResultsAndAreSentOncePerFinding() {
        InMemoryActionLedger ledger = new InMemoryActionLedger();
        Responder r = responder(BlastRadius.NONE, false, ledger);
        Finding f = r.respond(draft("x", "111122223333", T0), policy(), T0);
        assertThat(f.actions()).extracting(ActionResult::type).containsExactly("revoke-ingress", "notify");
        assertThat(notified).singleElement().satisfies(n -> assertThat(n.actions()).extracting(ActionResult::status)
                .containsExactly(ActionStatus.APPLIED));
        Finding again = r.respond(draft("x", "111122223333", T0), policy(), T0); // the same finding, from a redelivery
        assertThat(again.actions()).extracting(ActionResult::status).containsExactly(ActionStatus.ALREADY_APPLIED, ActionStatus.ALREADY_APPLIED);
        assertThat(notified).hasSize(1);
        assertThat(calls).hasSize(1);
    }

    @Test
    void globalDryRunChecksEverythingAndChangesNothing() {
        Responder r = responder(new BlastRadius(0, Duration.ofHours(1)), true, new InMemoryActionLedger());
        Finding f = r.respond(draft("d", "111122223333", T0), policy(), T0);
        assertThat(f.actions()).extracting(ActionResult::status).containsExactly(ActionStatus.PLANNED, ActionStatus.PLANNED);
        assertThat(calls).containsExactly("sg-d (dry)");
        assertThat(notified).isEmpty();
    }

    private static ActionStatus revoke(Finding f) {
        return f.actions().get(0).status();
    }

    /** A ledger whose every key was claimed by a run that stopped before its call answered. */
    static final class InterruptedLedger implements ActionLedger {
        final Map<String, String> status = new java.util.HashMap<>();

        @Override
        public java.util.Optional<Claim> claim(String key, String policy, String rule, Instant at) {
            String s = status.putIfAbsent(key, INTERRUPTED);
            return java.util.Optional.of(new Claim(key, policy, rule, at, s == null ? INTERRUPTED : s));
        }

        @Override
        public boolean retake(String key) {
            return status.replace(key, INTERRUPTED, "in-progress");
        }

        @Override
        public void complete(String key, String st) {
            status.put(key, st);
        }

        @Override
        public void release(String key) {
            status.remove(key);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"in-place", "not-in-place", "unknown"})
    void anInterruptedActionIsCheckedInTheAccountNeverTakenForDone(String seen) {
        InterruptedLedger ledger = new InterruptedLedger();
        Executor ec2 = new Executor() {
            @Override
            public ActionResult execute(ActionPlan plan, Finding f, boolean dry) {
                return recording.execute(plan, f, dry);
            }

            @Override
            public ChangeCheck check(ActionPlan plan, Finding f) {
                return switch (seen) {
                    case "in-place" -> new ChangeCheck.InPlace("rule gone");
                    case "not-in-place" -> new ChangeCheck.NotInPlace("rule still there");
                    default -> throw new IllegalStateException("DescribeSecurityGroupRules timed out");
                };
            }
        };
        Responder r = new Responder(new SelfIdentity(List.of(), "vigil"), Exemptions.NONE, Map.of("team", new TargetDef("team", "stdout", Severity.INFO, Map.of())),
                ledger, ec2, StaticInventory.empty(), BlastRadius.NONE, false);
        Finding f = r.respond(draft("a", "111122223333", T0), policy(), T0);
        ActionResult revoke = f.actions().stream().filter(a -> a.type().equals("revoke-ingress")).findFirst().orElseThrow();
        ActionResult notify = f.actions().stream().filter(a -> a.type().equals("notify")).findFirst().orElseThrow();
        assertThat(notify.status()).as("an interrupted notification is sent again").isEqualTo(ActionStatus.APPLIED);
        assertThat(notified).hasSize(1);
        switch (seen) {
            case "in-place" -> {
                assertThat(revoke.status()).isEqualTo(ActionStatus.APPLIED);
                assertThat(revoke.detail()).contains("in place (rule gone)");
                assertThat(calls).as("not called again").isEmpty();
                assertThat(ledger.status.get("k:a")).isEqualTo("applied");
            }
            case "not-in-place" -> {
                assertThat(revoke.status()).isEqualTo(ActionStatus.APPLIED);
                assertThat(calls).as("applied again").containsExactly("sg-a");
                assertThat(ledger.status.get("k:a")).isEqualTo("applied");
            }
            default -> {
                assertThat(revoke.status()).isEqualTo(ActionStatus.SKIPPED);
                assertThat(revoke.detail()).startsWith("held: interrupted").contains("DescribeSecurityGroupRules timed out");
                assertThat(calls).isEmpty();
                assertThat(ledger.status.get("k:a")).as("left interrupted").isEqualTo(ActionLedger.INTERRUPTED);
            }
        }
    }
}
